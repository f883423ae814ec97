"""The ledger as a workbook that travels: exported by the office, filled in by the
subjects (进展, 佐证材料, ...), imported again.

The export keeps a hidden sheet with every value as it was exported. On import a
cell that differs from that original is the subject's edit; if the database has
changed the same field since the export too, the edit conflicts and the import
refuses it, naming the cell. Nothing is ever overwritten silently, nothing is
dropped without a line that names it (too many rows, an id twice, a formula whose
value was never saved), and nothing is stored unless the whole workbook is clean.

It prints as it is filed: one sheet, A4 landscape, one page wide, the 填写说明 above
the table, the header repeated on every page, pages numbered 第 N 页 共 M 页.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.ballots.template import print_setup
from core.errors import ImportProblems
from core.files import check_zip, read_bounded
from core.i18n import t, tn
from core.ledger.items import (
    COMPLETIONS,
    EDITABLE,
    HEADINGS,
    SOURCES,
    Completion,
    LedgerItem,
    ProblemSource,
    check_values,
    parse_date,
)
from core.ledger.ledger import Ledger, today_of
from core.text import cell_text

SHEET = "整改台账"
BASE_SHEET = "原值"  # hidden: the values as exported
ID_HEADING = "编号"
COLUMNS = ("id", "seq", "subject", *EDITABLE)
# About 133 width units in all: the sheet prints one page wide at close to full size
# (A4 landscape holds about 110 at 100 %); long text wraps into taller rows.
WIDTHS = {
    "id": 6,
    "seq": 5,
    "subject": 11,
    "source": 7,
    "problem": 23,
    "measure": 21,
    "owner": 8,
    "deadline": 10.5,
    "progress": 17,
    "completion": 8,
    "evidence": 12,
    "closed_on": 10.5,
}
DATE_FIELDS = ("deadline", "closed_on")
BODY_FONT = "宋体"
HEADER_ROW = 4  # row 1 the title, row 2 the date line, row 3 the 填写说明
HEADER_SEARCH = 20  # a workbook exported before (header on row 3) still imports
MAX_ROWS = 5000  # items in one workbook; more is refused with the count
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_INFLATED = 200 * 1024 * 1024


def _heading(name: str) -> str:
    return ID_HEADING if name == "id" else HEADINGS[name]


def _cell_value(item: LedgerItem, name: str) -> Any:
    value = getattr(item, name)
    return value if value is not None else None


def write_ledger(ledger: Ledger, path: Path, subject: str | None = None) -> int:
    """Write the ledger (or one subject's part); returns the number of items."""
    store = ledger.store
    today = today_of(store)
    items = ledger.items(subject=subject)
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = SHEET
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(COLUMNS))

    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = f"{store.meeting.title} 整改台账" + (f"（{subject}）" if subject else "")
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"] = t("ledgerbook.dateline", date=today.isoformat())
    sheet["A2"].font = Font(name=BODY_FONT, size=10, color="606060")
    notes = t("ledgerbook.notes")
    sheet.merge_cells(f"B3:{last}3")  # A is hidden: the notes start where the table does
    sheet["B3"] = notes
    sheet["B3"].font = Font(name=BODY_FONT, size=10)
    sheet["B3"].alignment = Alignment(wrap_text=True, vertical="top")
    across = sum(WIDTHS[name] for name in COLUMNS[1:])
    sheet.row_dimensions[3].height = (
        15.0 * sum(_lines(line, across) for line in notes.split("\n")) + 6
    )

    for column, name in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=_heading(name))
        cell.font = Font(name=BODY_FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[name]
    sheet.column_dimensions["A"].hidden = True  # the id: how the import finds the item

    overdue_fill = PatternFill("solid", fgColor="F8CBAD")
    for row, item in enumerate(items, HEADER_ROW + 1):
        late = item.overdue(today)
        for column, name in enumerate(COLUMNS, 1):
            cell = sheet.cell(row=row, column=column, value=_cell_value(item, name))
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.font = Font(name=BODY_FONT)
            cell.border = border
            if item.closed:
                cell.font = Font(name=BODY_FONT, color="808080")  # done: steps back
            if name in DATE_FIELDS:
                cell.number_format = "yyyy-mm-dd"
            if late and name == "deadline":
                cell.fill = overdue_fill
                cell.font = Font(name=BODY_FONT, bold=True, color="C00000")
        sheet.row_dimensions[row].height = _row_height(item)

    end = max(HEADER_ROW + len(items) + 200, HEADER_ROW + 1)
    for name, choices in (("source", SOURCES), ("completion", COMPLETIONS)):
        letter = get_column_letter(COLUMNS.index(name) + 1)
        rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"')
        rule.error = t("ledgerbook.choose", choices=" / ".join(choices))
        rule.showErrorMessage = True
        sheet.add_data_validation(rule)
        rule.add(f"{letter}{HEADER_ROW + 1}:{letter}{end}")
    for name in DATE_FIELDS:
        letter = get_column_letter(COLUMNS.index(name) + 1)
        for row in range(HEADER_ROW + 1 + len(items), end + 1):
            sheet[f"{letter}{row}"].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=4).coordinate
    sheet.auto_filter.ref = f"B{HEADER_ROW}:{last}{HEADER_ROW + max(len(items), 1)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    print_setup(sheet, f"A1:{last}{HEADER_ROW + max(len(items), 1)}", landscape=True, margins=0.4)

    base = book.create_sheet(BASE_SHEET)
    base.append(list(COLUMNS))
    for item in items:
        base.append([item.value(name) if name != "id" else item.id for name in COLUMNS])
    base.sheet_state = "hidden"
    book.save(str(path))
    return len(items)


def _row_height(item: LedgerItem) -> float:
    """Spreadsheets do not grow a row for wrapped text by themselves: estimate the lines
    (a Chinese character is two width units) and give the row their height."""
    lines = max(_lines(item.value(name), WIDTHS[name]) for name in COLUMNS[3:])
    return 15.0 * lines + 3


def _lines(text: str, width: float) -> int:
    """Lines a text wraps to in a column (a Chinese character is two width units)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return max(1, -(-units // max(int(width) - 1, 1)))


# ---------------------------------------------------------------------------
# Import


@dataclass(frozen=True)
class Change:
    item_id: int
    subject: str
    seq: int
    field: str
    old: str
    new: str
    cell: str


@dataclass(frozen=True)
class NewItem:
    subject: str
    values: dict[str, Any]
    row: int


@dataclass
class ImportPlan:
    changes: list[Change] = field(default_factory=list)
    new_items: list[NewItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.changes and not self.new_items


def _normal(name: str, value: Any, cell: str, problems: list[str]) -> str:
    """A cell's value as the ledger stores it (dates ISO); a bad date is a problem."""
    if name in DATE_FIELDS:
        try:
            day = parse_date(value)
        except ValueError:
            problems.append(t("ledgerbook.bad_date", cell=cell, got=cell_text(value)))
            return ""
        return day.isoformat() if day else ""
    return cell_text(value)


def plan_import(ledger: Ledger, path: Path) -> ImportPlan:
    """Compare the workbook with the export's originals and the database now."""
    book, formulas = _open(path)
    if SHEET not in book.sheetnames:
        raise ImportProblems([t("ledgerbook.no_sheet", file=path.name, sheet=SHEET)])
    if BASE_SHEET not in book.sheetnames:
        raise ImportProblems([t("ledgerbook.no_base", file=path.name)])
    sheet = book[SHEET]
    plan = ImportPlan()
    header_row, columns = _columns(sheet, plan.problems)
    if plan.problems:
        raise ImportProblems(
            [tn("ledgerbook.not_clean", len(plan.problems), file=path.name), *plan.problems]
        )
    rows = _filled_rows(sheet, header_row, columns)
    if len(rows) > MAX_ROWS:
        raise ImportProblems(
            [t("ledgerbook.too_many", file=path.name, count=len(rows), limit=MAX_ROWS)]
        )
    base = _base_values(book[BASE_SHEET], path.name)
    current = {item.id: item for item in ledger.items()}
    subjects = {s.name for s in ledger.store.meeting.subjects}
    seen: dict[str, int] = {}  # id → the first row that names it
    unsaved = formulas.get(SHEET, set())

    for row, cells in rows:
        ref = {name: f"{get_column_letter(col)}{row}" for name, col in columns.items()}
        lost = [ref[name] for name, col in columns.items() if (row, col) in unsaved]
        for cell in lost:
            plan.problems.append(f"{cell}：" + t("import.formula"))
        if lost:
            continue
        item_id = cell_text(cells.get("id"))
        if item_id and item_id in seen:
            plan.problems.append(
                t("ledgerbook.duplicate_id", cell=ref["id"], got=item_id, first=seen[item_id])
            )
            continue
        if item_id:
            seen[item_id] = row
        values = {
            name: _normal(name, cells.get(name), ref.get(name, ""), plan.problems)
            for name in EDITABLE
            if name in columns
        }
        if not item_id:
            _plan_new(plan, cells, values, ref, row, subjects)
            continue
        if not item_id.isdigit() or int(item_id) not in current or int(item_id) not in base:
            plan.problems.append(t("ledgerbook.unknown_id", cell=ref["id"], got=item_id))
            continue
        now, was = current[int(item_id)], base[int(item_id)]
        if cell_text(cells.get("subject")) not in ("", now.subject):
            plan.problems.append(
                t(
                    "ledgerbook.subject_changed",
                    cell=ref["subject"],
                    got=cell_text(cells["subject"]),
                )
            )
        for name, new in values.items():
            old = was.get(name, "")
            if new == old:
                continue  # the subject left it alone; the database keeps its value
            mine = now.value(name)
            if mine == new:
                continue  # the office made the same change already
            if mine != old:
                plan.problems.append(
                    t(
                        "ledgerbook.conflict",
                        cell=ref[name],
                        heading=HEADINGS[name],
                        subject=now.subject,
                        seq=now.seq,
                        old=old or "—",
                        mine=mine or "—",
                        new=new or "—",
                    )
                )
                continue
            for message in (m for n, m in check_values({name: new}) if n == name):
                plan.problems.append(f"{ref[name]}：{HEADINGS[name]}：{message}")
            plan.changes.append(Change(now.id, now.subject, now.seq, name, old, new, ref[name]))
    return plan


def _columns(sheet: Any, problems: list[str]) -> tuple[int, dict[str, int]]:
    """The header's row (the first of the top rows naming 述职对象 and 问题) and each
    known heading's column."""
    by_heading = {_heading(name): name for name in COLUMNS}
    header_row = HEADER_ROW
    columns: dict[str, int] = {}
    for row in range(1, min(sheet.max_row, HEADER_SEARCH) + 1):
        found = {}
        for col in range(1, min(sheet.max_column, 60) + 1):
            heading = cell_text(sheet.cell(row=row, column=col).value)
            if heading in by_heading:
                found[by_heading[heading]] = col
        if "subject" in found and "problem" in found:
            header_row, columns = row, found
            break
    for name in ("id", "subject", "problem"):
        if name not in columns:
            problems.append(t("ledgerbook.missing_column", heading=_heading(name), row=header_row))
    return header_row, columns


def _filled_rows(
    sheet: Any, header_row: int, columns: dict[str, int]
) -> list[tuple[int, dict[str, Any]]]:
    """Every row under the header with something in a known column, all of them."""
    rows = []
    for row, values in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True)):
        cells = {
            name: values[col - 1] if col <= len(values) else None for name, col in columns.items()
        }
        if any(cell_text(v) != "" for v in cells.values()):
            rows.append((header_row + 1 + row, cells))
    return rows


def _open(path: Path) -> tuple[Any, dict[str, set[tuple[int, int]]]]:
    """The workbook's values, and per sheet the cells holding a formula whose value was
    never saved (they read as blank: an edit would be lost without a word). Bounded:
    a regular file of at most 20 MB whose parts inflate to at most 200 MB."""
    import io

    data = read_bounded(path, MAX_FILE_BYTES)
    check_zip(data, path.name, MAX_INFLATED)
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
        raw = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # not a workbook at all (zipfile.BadZipFile, KeyError …)
        raise ImportProblems([t("import.bad_file", file=path.name, detail=exc)]) from None
    unsaved: dict[str, set[tuple[int, int]]] = {}
    for name in raw.sheetnames:
        values = book[name]
        for number, row in enumerate(raw[name].iter_rows(values_only=True), 1):
            for column, value in enumerate(row, 1):
                is_formula = isinstance(value, str) and value.startswith("=")
                if is_formula and values.cell(row=number, column=column).value is None:
                    unsaved.setdefault(name, set()).add((number, column))
    return book, unsaved


def _base_values(sheet: Any, file: str) -> dict[int, dict[str, str]]:
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return {}
    if len(rows) - 1 > MAX_ROWS:
        raise ImportProblems(
            [t("ledgerbook.too_many", file=file, count=len(rows) - 1, limit=MAX_ROWS)]
        )
    names = [cell_text(v) for v in rows[0]]
    out: dict[int, dict[str, str]] = {}
    for row in rows[1:]:
        values = dict(zip(names, (cell_text(v) for v in row), strict=False))
        if values.get("id", "").isdigit():
            out[int(values["id"])] = values
    return out


def _plan_new(
    plan: ImportPlan,
    cells: dict[str, Any],
    values: dict[str, str],
    ref: dict[str, str],
    row: int,
    subjects: set[str],
) -> None:
    """A row the subject added (自查 items): needs a subject and a problem."""
    subject = cell_text(cells.get("subject"))
    if subject not in subjects:
        plan.problems.append(t("ledgerbook.bad_subject", cell=ref["subject"], got=subject or "—"))
        return
    values = {name: value for name, value in values.items() if value}
    values.setdefault("source", ProblemSource.SELF_CHECK)
    values.setdefault("completion", Completion.IN_PROGRESS)
    for name, message in check_values({"problem": values.get("problem", ""), **values}):
        plan.problems.append(f"{ref.get(name, f'#{row}')}：{HEADINGS[name]}：{message}")
    plan.new_items.append(NewItem(subject, values, row))


def apply_import(ledger: Ledger, plan: ImportPlan) -> None:
    """Store a clean plan: every change and new item in one transaction."""
    if plan.problems:
        raise ImportProblems(plan.problems)
    by_item: dict[int, dict[str, Any]] = {}
    for change in plan.changes:
        value: Any = change.new
        if change.field in DATE_FIELDS:
            value = dt.date.fromisoformat(change.new) if change.new else None
        by_item.setdefault(change.item_id, {})[change.field] = value
    store = ledger.store
    with store.transaction():
        for item_id, changes in by_item.items():
            ledger.apply_edit(item_id, changes, via="import")
        for new in plan.new_items:
            ledger.insert(new.subject, dict(new.values))
        store.record(
            "ledger.imported", {"changes": len(plan.changes), "new_items": len(plan.new_items)}
        )
