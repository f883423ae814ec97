"""Ballots and daily-assessment scores collected elsewhere (Excel or CSV).

Ballot sheet: one row per ballot, a `类别` column, then one column per subject
and criterion headed `SUBJECT/CRITERION` holding a grade label (the template
from `write_template` has dropdowns for both).

Nothing is stored unless the whole file is clean. Every problem is listed at
once with the sheet, the sheet's own row number and the column letter, so the
office fixes the file in one pass: unknown, missing and duplicated columns,
unknown categories and grades, formulas whose value Excel never saved,
duplicated subjects. A file already imported (same content) is refused unless
asked again. The file type is told by its content, not its name; CSV may be
UTF-8 (with or without BOM) or GB18030 (what Excel saves on Chinese Windows).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from core.ballots import (
    BallotEntry,
    Item,
    add_ballots,
    choice_labels,
    form_items,
)
from core.errors import ImportProblems  # re-exported
from core.i18n import t
from core.store import MeetingStore
from core.text import cell_text

CATEGORY = "类别"
BALLOT_SHEET = "测评票"
MAX_FILE_BYTES = 20 * 1024 * 1024  # a ballot sheet of thousands of rows is far below this
MAX_NUMBER_TEXT = 24  # longer than any score anyone types: refused before it is converted
TEMPLATE_ROWS = 1000

__all__ = [
    "ImportProblems",
    "header",
    "import_ballots",
    "import_daily",
    "parse_ballot_file",
    "parse_daily_file",
    "write_template",
]


def header(store: MeetingStore) -> list[str]:
    return [CATEGORY] + [f"{s}/{c}" for s, c in form_items(store.meeting)]


# --- reading a table, whatever its format --------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    formula: bool = False  # a formula whose value was never saved (the file looks blank)


@dataclass(frozen=True)
class Table:
    file: str  # the file's name
    name: str  # the sheet's name (the file's name for CSV)
    rows: list[tuple[int, list[Cell]]]  # (the sheet's own row number, cells); blank rows left out
    digest: str  # sha256 of the file's bytes

    def where(self, row: int, column: int | None = None) -> str:
        if column is None:
            return t("import.at_row", sheet=self.name, row=row)
        return t("import.at_cell", sheet=self.name, row=row, column=column_letter(column))


def column_letter(column: int) -> str:
    """1 → A, 27 → AA (the letters Excel shows)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(path: Path) -> Table:
    """The first sheet (or the one named 测评票) of a workbook, or a CSV file."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportProblems([t("import.too_big", file=path.name)])
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportProblems([t("import.not_found", file=path)]) from None
    except OSError as exc:
        raise ImportProblems([t("import.bad_file", file=path.name, detail=exc.strerror)]) from None
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"PK\x03\x04"):
        name, rows = _xlsx_rows(path, data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportProblems([t("import.old_xls", file=path.name)])
    elif b"\x00" in data[:4096]:
        raise ImportProblems([t("import.not_a_table", file=path.name)])
    else:
        name, rows = path.name, _csv_rows(path, data)
    kept = [(number, cells) for number, cells in rows if any(c.text or c.formula for c in cells)]
    return Table(path.name, name, kept, digest)


def _xlsx_rows(path: Path, data: bytes) -> tuple[str, list[tuple[int, list[Cell]]]]:
    from itertools import zip_longest

    from openpyxl import load_workbook

    try:
        # Read twice: values as Excel saved them, and the formulas, to tell a truly blank
        # cell from a formula whose value was never computed and saved. Read-only
        # workbooks stream the sheet row by row (a sheet of thousands of ballots would
        # otherwise be held twice in memory, cell objects and all).
        values = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    except Exception:  # a renamed or damaged file: openpyxl raises many kinds
        raise ImportProblems([t("import.not_xlsx", file=path.name)]) from None
    try:
        name = BALLOT_SHEET if BALLOT_SHEET in values.sheetnames else values.active.title
        sheet, formula_sheet = values[name], formulas[name]
        # The size a file states for a sheet may be wrong: read every row it holds.
        sheet.reset_dimensions()
        formula_sheet.reset_dimensions()
        rows = []
        pairs = zip_longest(
            sheet.iter_rows(min_row=1, values_only=True),
            formula_sheet.iter_rows(min_row=1, values_only=True),
            fillvalue=(),
        )
        for number, (row, raw_row) in enumerate(pairs, 1):  # rows come in order, gaps filled
            cells = []
            for value, raw in zip_longest(row, raw_row):
                is_formula = isinstance(raw, str) and raw.startswith("=")
                cells.append(Cell(cell_text(value), formula=is_formula and value is None))
            if cells:
                rows.append((number, cells))
    except Exception:  # damaged inside (openpyxl reads lazily): the same plain message
        raise ImportProblems([t("import.not_xlsx", file=path.name)]) from None
    finally:
        values.close()
        formulas.close()
    return name, rows


def _csv_rows(path: Path, data: bytes) -> list[tuple[int, list[Cell]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportProblems([t("import.bad_encoding", file=path.name)])
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportProblems([t("import.bad_file", file=path.name, detail=exc)]) from None
    # Excel shows one row per record: the record's position is the row number people see.
    return [(number, [Cell(v.strip()) for v in record]) for number, record in enumerate(records, 1)]


def _cell(cells: list[Cell], column: int) -> Cell:
    return cells[column - 1] if column <= len(cells) else Cell("")


def _header_columns(
    table: Table, head: list[Cell], row: int
) -> tuple[dict[str, list[int]], list[str]]:
    """Header text → its columns (1-based); problems with formulas in the header."""
    columns: dict[str, list[int]] = {}
    problems = []
    for column, cell in enumerate(head, 1):
        if cell.formula:
            problems.append(f"{table.where(row, column)}：{t('import.formula')}")
        elif cell.text:
            columns.setdefault(_header_text(cell.text), []).append(column)
    return columns, problems


def _header_text(text: str) -> str:
    """A header as typed by hand: a full-width slash or spaces around it still match."""
    return "/".join(part.strip() for part in text.replace("／", "/").split("/"))


def _duplicates(table: Table, columns: dict[str, list[int]], row: int) -> list[str]:
    return [
        f"{table.where(row)}："
        + t("import.duplicate_column", got=text, columns="、".join(map(column_letter, where)))
        for text, where in columns.items()
        if len(where) > 1
    ]


# Plain decimals only: Fraction("1e10000000") would take seconds to build.
_PLAIN_NUMBER = re.compile(r"[+-]?\d{1,9}(?:\.\d{1,6})?")


def _is_number(value: str) -> bool:
    return len(value) <= MAX_NUMBER_TEXT and _PLAIN_NUMBER.fullmatch(value.strip()) is not None


def _refuse(table: Table, kind: str, problems: list[str]) -> None:
    if problems:
        raise ImportProblems(
            [t(f"import.not_clean.{kind}", file=table.file, count=len(problems)), *problems]
        )


# --- ballots ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    category: str
    grades: dict[Item, str | None]


def parse_ballot_file(store: MeetingStore, path: Path) -> tuple[list[Parsed], Table]:
    meeting = store.meeting
    table = read_table(path)
    if not table.rows:
        raise ImportProblems([t("import.empty", file=table.file)])
    # The header is the first row with a 类别 cell: a title typed above it is allowed.
    start = next(
        (i for i, (_, cells) in enumerate(table.rows) if any(c.text == CATEGORY for c in cells)),
        0,
    )
    head_row, head = table.rows[start]
    columns, problems = _header_columns(table, head, head_row)
    problems += _duplicates(table, columns, head_row)
    items = {f"{s}/{c}": (s, c) for s, c in form_items(meeting)}
    if CATEGORY not in columns:
        problems.append(f"{table.where(head_row)}：{t('import.missing_category')}")
    for text, where in columns.items():
        if text != CATEGORY and text not in items:
            problems.append(
                f"{table.where(head_row, where[0])}：{t('import.unknown_column', got=text)}"
            )
    missing = [text for text in items if text not in columns]
    problems += [
        f"{table.where(head_row)}：{t('import.missing_column', got=text)}" for text in missing
    ]

    category_column = columns.get(CATEGORY, [None])[0]
    item_columns = {where[0]: items[text] for text, where in columns.items() if text in items}
    categories = [c.name for c in meeting.categories]
    labels = choice_labels(meeting)
    numeric = meeting.rules.layout == "numeric"
    headed = {column for where in columns.values() for column in where}
    parsed: list[Parsed] = []
    for number, cells in table.rows[start + 1 :]:
        category = ""
        if category_column is not None:
            cell = _cell(cells, category_column)
            category = cell.text
            if cell.formula:
                problems.append(f"{table.where(number, category_column)}：{t('import.formula')}")
            elif category not in categories:
                problems.append(
                    f"{table.where(number, category_column)}："
                    + t(
                        "import.unknown_category",
                        got=category or t("import.blank"),
                        choices="、".join(categories),
                    )
                )
        grades: dict[Item, str | None] = {}
        for column, item in item_columns.items():
            cell = _cell(cells, column)
            where = f"{table.where(number, column)}（{item[0]}/{item[1]}）"
            if cell.formula:
                problems.append(f"{where}：{t('import.formula')}")
                continue
            ok = not cell.text or (_is_number(cell.text) if numeric else cell.text in labels)
            if not ok:
                expected = t("import.number") if numeric else "、".join(labels)
                problems.append(
                    f"{where}：{t('import.unknown_grade', got=cell.text, choices=expected)}"
                )
            grades[item] = cell.text or None
        for column in range(1, len(cells) + 1):
            if (
                column not in headed and _cell(cells, column).text
            ):  # data under no header: which ballot item is it?
                problems.append(f"{table.where(number, column)}：{t('import.no_header')}")
        parsed.append(Parsed(category, grades))
    _refuse(table, "ballots", problems)
    return parsed, table


def _already_imported(store: MeetingStore, kind: str, digest: str) -> str | None:
    """The file name under which this content was imported before, if it was."""
    for event in store.events(kind):
        if event.payload.get("sha256") == digest:
            return str(event.payload.get("file", ""))
    return None


def _invalid_imported(store: MeetingStore) -> int:
    query = "SELECT total(n) FROM tally_ballots WHERE source = 'import' AND problems != ''"
    return int(store.db.execute(query).fetchone()[0])


def import_ballots(store: MeetingStore, path: Path, *, again: bool = False) -> tuple[int, int]:
    """Import every row as a ballot of its category; returns (imported, invalid)."""
    parsed, table = parse_ballot_file(store, path)
    # The check, the ballots and the record that this file was imported (what a second
    # import of the same file is checked against) in one transaction: a crash stores
    # both or neither, and two imports of one file at once cannot both pass the check.
    with store.transaction():
        before = _already_imported(store, "import.ballots", table.digest)
        if before is not None and not again:
            raise ImportProblems([t("import.again", file=path.name, before=before)])
        invalid_before = _invalid_imported(store)
        add_ballots(store, [(b.category, BallotEntry(b.grades)) for b in parsed], source="import")
        # Invalid ballots are kept and counted as invalid by the tally, not dropped; how
        # many is read from the counts add_ballots just wrote (validity decided once).
        invalid = _invalid_imported(store) - invalid_before
        store.record(
            "import.ballots",
            {"file": path.name, "sha256": table.digest, "count": len(parsed), "again": again},
        )
    return len(parsed), invalid


def write_template(store: MeetingStore, path: Path) -> None:
    """The empty ballot workbook: a 测评票 sheet with dropdowns of the meeting's categories
    and grades, a frozen header, readable widths; and a 说明 sheet saying how to fill it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    meeting = store.meeting
    book = Workbook()
    sheet = book.active
    sheet.title = BALLOT_SHEET
    names = header(store)
    for column, text in enumerate(names, 1):
        cell = sheet.cell(row=1, column=column, value=text)
        cell.font = Font(name="宋体", bold=True)
        cell.fill = PatternFill("solid", fgColor="E7ECF3")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[column_letter(column)].width = 16 if column == 1 else 14
    sheet.row_dimensions[1].height = 48  # "subject/criterion" wraps onto three lines
    sheet.freeze_panes = "B2"
    last = column_letter(len(names))

    guide = book.create_sheet(t("template.guide_sheet"))
    categories = [c.name for c in meeting.categories]
    labels = choice_labels(meeting)
    lines = [
        t("template.guide_title", title=meeting.title),
        t("template.guide_rows"),
        t("template.guide_category", choices="、".join(categories)),
        (
            t(
                "template.guide_numeric",
                low=meeting.rules.numeric_range[0],
                high=meeting.rules.numeric_range[1],
            )
            if meeting.rules.layout == "numeric"
            else t("template.guide_grades", choices="、".join(labels))
        ),
        t("template.guide_blank"),
        t("template.guide_columns"),
        t("template.guide_import"),
        "",
        t("template.list_categories"),
        *categories,
        "",
        t("template.list_grades"),
        *labels,
    ]
    for row, text in enumerate(lines, 1):
        guide.cell(row=row, column=1, value=text).alignment = Alignment(wrap_text=True)
    guide.column_dimensions["A"].width = 90
    guide["A1"].font = Font(name="宋体", size=14, bold=True)
    first_category = lines.index(t("template.list_categories")) + 2
    first_grade = lines.index(t("template.list_grades")) + 2
    title = guide.title

    # Lists live on the 说明 sheet (an inline list is limited to 255 characters).
    category_list = DataValidation(
        type="list",
        formula1=f"'{title}'!$A${first_category}:$A${first_category + len(categories) - 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=t("template.error_title"),
        error=t("template.error_category"),
    )
    category_list.add(f"A2:A{TEMPLATE_ROWS}")
    sheet.add_data_validation(category_list)
    if meeting.rules.layout == "numeric":
        low, high = meeting.rules.numeric_range
        grade_check = DataValidation(
            type="decimal",
            operator="between",
            formula1=str(float(low)),
            formula2=str(float(high)),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=t("template.error_title"),
            error=t("template.error_number", low=low, high=high),
        )
    else:
        grade_check = DataValidation(
            type="list",
            formula1=f"'{title}'!$A${first_grade}:$A${first_grade + len(labels) - 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=t("template.error_title"),
            error=t("template.error_grade", choices="、".join(labels)),
        )
    if len(names) > 1:
        grade_check.add(f"B2:{last}{TEMPLATE_ROWS}")
    sheet.add_data_validation(grade_check)
    book.save(str(path))


# --- daily-assessment scores -----------------------------------------------------------

SUBJECT_HEADERS = ("述职对象",)
SCORE_HEADERS = ("日常考核得分", "日常考核", "得分")


def parse_daily_file(store: MeetingStore, path: Path) -> tuple[dict[str, Fraction], Table]:
    """Subject name and score, one per row: columns A and B, or the columns headed
    述职对象 and 日常考核得分 when the first row is a header."""
    table = read_table(path)
    if not table.rows:
        raise ImportProblems([t("import.empty", file=table.file)])
    names = {s.name for s in store.meeting.subjects}
    problems: list[str] = []
    head_row, head = table.rows[0]
    subject_column, score_column = 1, 2
    body = table.rows
    if not _is_number(_cell(head, 2).text):  # a header row
        body = table.rows[1:]
        columns, problems = _header_columns(table, head, head_row)
        problems += _duplicates(table, columns, head_row)
        subject_column = next((columns[h][0] for h in SUBJECT_HEADERS if h in columns), 0)
        score_column = next((columns[h][0] for h in SCORE_HEADERS if h in columns), 0)
        if not subject_column:
            problems.append(
                f"{table.where(head_row)}：{t('daily.missing_column', got=SUBJECT_HEADERS[0])}"
            )
        if not score_column:
            problems.append(
                f"{table.where(head_row)}：{t('daily.missing_column', got=SCORE_HEADERS[0])}"
            )
        for text, where in columns.items():
            if where[0] not in (subject_column, score_column):
                problems.append(
                    f"{table.where(head_row, where[0])}：{t('daily.unknown_column', got=text)}"
                )
    scores: dict[str, Fraction] = {}
    first_row: dict[str, int] = {}
    for number, cells in body:
        if not subject_column or not score_column:
            break
        name_cell, score_cell = _cell(cells, subject_column), _cell(cells, score_column)
        for column, cell in ((subject_column, name_cell), (score_column, score_cell)):
            if cell.formula:
                problems.append(f"{table.where(number, column)}：{t('import.formula')}")
        if name_cell.formula or score_cell.formula:
            continue
        name, value = name_cell.text, score_cell.text
        if name not in names:
            got = name or t("import.blank")
            problems.append(
                f"{table.where(number, subject_column)}：{t('daily.unknown_subject', got=got)}"
            )
            continue
        if name in first_row:
            problems.append(
                f"{table.where(number, subject_column)}："
                + t("daily.duplicate_subject", got=name, row=first_row[name])
            )
            continue
        first_row[name] = number
        if not _is_number(value) or not 0 <= Fraction(value) <= 100:
            got = value or t("import.blank")
            problems.append(f"{table.where(number, score_column)}：{t('daily.bad_score', got=got)}")
            continue
        scores[name] = Fraction(value)
    _refuse(table, "daily", problems)
    return scores, table


def import_daily(store: MeetingStore, path: Path, *, again: bool = False) -> int:
    from core.results import set_components

    scores, table = parse_daily_file(store, path)
    before = _already_imported(store, "daily.imported", table.digest)
    if before is not None and not again:
        raise ImportProblems([t("import.again", file=path.name, before=before)])
    set_components(store, scores, origin={"file": path.name, "sha256": table.digest})
    return len(scores)
