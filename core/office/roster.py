"""The roster from Excel (名单.xlsx): who is reviewed and who scores.

An office keeps its subjects and voter categories in a workbook; `sanshu init
my.toml --roster 名单.xlsx` takes them from there and everything else (criteria,
grades, rules, timings) from the meeting file. Every problem in the workbook is
reported at once with its sheet, row and column; nothing is created unless the
whole roster is clean.
"""

from __future__ import annotations

import io
import json
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.errors import ImportProblems
from core.files import check_zip, read_bounded
from core.i18n import t, tn
from core.meeting.model import MODE_SPELLINGS, Meeting, Mode
from core.office.xlsx import fit_row_heights, page_setup
from core.text import cell_text

SUBJECT_SHEET = "述职对象"
CATEGORY_SHEET = "测评人类别"
NOTES_SHEET = "说明"
SUBJECT_COLUMNS = ("序号", "述职对象", "单位", "方式", "日常考核")
CATEGORY_COLUMNS = ("类别", "权重", "应到人数")
MAX_ROWS = 1000
MAX_BYTES = 5 * 1024 * 1024  # a roster of a thousand rows is a few dozen KB
MAX_INFLATED = 50 * 1024 * 1024
MAX_NAME = 40
MAX_EXPECTED = 100_000


@dataclass(frozen=True)
class RosterSubject:
    order: int
    name: str
    unit: str
    mode: Mode
    daily: Decimal | None


@dataclass(frozen=True)
class RosterCategory:
    name: str
    weight: Decimal
    expected: int


@dataclass(frozen=True)
class Roster:
    subjects: tuple[RosterSubject, ...]
    categories: tuple[RosterCategory, ...]


# ---------------------------------------------------------------------------
# The template


def write_template(path: Path, meeting: Meeting | None = None) -> None:
    """The workbook an office keeps; filled with `meeting`'s people when given."""
    book = Workbook()
    subjects = book.active
    assert isinstance(subjects, Worksheet)  # a new workbook's one sheet
    subjects.title = SUBJECT_SHEET
    _header(subjects, SUBJECT_COLUMNS, (6, 18, 34, 8, 10))
    if meeting is not None:
        for number, s in enumerate((*meeting.onsite, *meeting.written), 1):
            daily = (
                None if s.daily is None else float(Decimal(s.daily.numerator) / s.daily.denominator)
            )
            subjects.append(
                [number, s.name, s.unit, "现场" if s.mode == Mode.ONSITE else "书面", daily]
            )
    mode_rule = DataValidation(type="list", formula1='"现场,书面"', allow_blank=False)
    mode_rule.error = t("roster.mode_choices")
    mode_rule.showErrorMessage = True
    subjects.add_data_validation(mode_rule)
    mode_rule.add(f"D2:D{MAX_ROWS}")
    daily_rule = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
    daily_rule.error = t("roster.daily_range")
    daily_rule.showErrorMessage = True
    subjects.add_data_validation(daily_rule)
    daily_rule.add(f"E2:E{MAX_ROWS}")

    categories = book.create_sheet(CATEGORY_SHEET)
    _header(categories, CATEGORY_COLUMNS, (22, 10, 10))
    if meeting is not None:
        for c in meeting.categories:
            weight = float(Decimal(c.weight.numerator) / c.weight.denominator)
            categories.append([c.name, weight, c.expected])
    weight_rule = DataValidation(type="decimal", operator="between", formula1="0", formula2="1")
    weight_rule.error = t("roster.weight_range")
    weight_rule.showErrorMessage = True
    categories.add_data_validation(weight_rule)
    weight_rule.add(f"B2:B{MAX_ROWS}")
    expected_rule = DataValidation(
        type="whole", operator="between", formula1="0", formula2=str(MAX_EXPECTED)
    )
    expected_rule.error = t("roster.expected_range")
    expected_rule.showErrorMessage = True
    categories.add_data_validation(expected_rule)
    expected_rule.add(f"C2:C{MAX_ROWS}")

    notes = book.create_sheet(NOTES_SHEET)
    for line in t("roster.notes").split("\n"):
        notes.append([line])
    notes.column_dimensions["A"].width = 76  # LibreOffice prints a wider column cut off
    for row in notes.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    for sheet in (subjects, categories, notes):
        page_setup(sheet, landscape=False)  # one page wide: no column alone on page 2
        sheet.print_area = f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"
        if sheet is not notes:
            sheet.print_title_rows = "1:1"
    fit_row_heights(notes)
    book.save(str(path))


def _header(sheet: Any, columns: tuple[str, ...], widths: tuple[int, ...]) -> None:
    sheet.append(list(columns))
    for column, width in enumerate(widths, 1):
        cell = sheet.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


# ---------------------------------------------------------------------------
# Reading


def _decimal(value: Any) -> Decimal | None:
    """A number as typed (bounded before it is converted); None when it is not one."""
    text = cell_text(value)
    if not text or len(text) > 20 or not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        if isinstance(value, float):  # Excel keeps 0.15 as 0.15000000000000002 at times
            return Decimal(repr(round(value, 10)))
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def fail(self, sheet: str, cell: str, message: str) -> None:
        self.problems.append(f"{sheet}!{cell}：{message}")

    def rows(
        self, book: Any, name: str, columns: tuple[str, ...]
    ) -> list[tuple[int, dict[str, tuple[str, Any]]]]:
        """(row number, {column heading: (cell ref, value)}) for each non-empty row."""
        if name not in book.sheetnames:
            self.problems.append(t("roster.no_sheet", sheet=name))
            return []
        sheet = book[name]
        head = [cell_text(c.value) for c in sheet[1]] if sheet.max_row >= 1 else []
        where: dict[str, int] = {}
        for heading in columns:
            if heading in head:
                where[heading] = head.index(heading) + 1
            else:
                self.problems.append(t("roster.no_column", sheet=name, heading=heading))
        if len(where) < len(columns):
            return []
        out = []
        last = min(sheet.max_row, MAX_ROWS + 1)
        for row in range(2, last + 1):
            cells = {
                heading: (
                    f"{get_column_letter(col)}{row}",
                    sheet.cell(row=row, column=col).value,
                )
                for heading, col in where.items()
            }
            if any(cell_text(v) for _, v in cells.values()):
                out.append((row, cells))
        if sheet.max_row > MAX_ROWS + 1:
            self.problems.append(t("roster.too_many_rows", sheet=name, max=MAX_ROWS))
        return out

    def name(self, sheet: str, cell: tuple[str, Any], what: str) -> str:
        text = cell_text(cell[1])
        if not text:
            self.fail(sheet, cell[0], t("roster.empty", what=what))
        elif len(text) > MAX_NAME:
            self.fail(sheet, cell[0], t("roster.too_long", max=MAX_NAME, got=len(text)))
        return text

    def unique(self, sheet: str, names: list[tuple[str, str]], what: str) -> None:
        seen: dict[str, str] = {}
        for name, cell in names:
            if not name:
                continue
            if name in seen:
                self.fail(
                    sheet, cell, t("roster.duplicate", what=what, name=name, other=seen[name])
                )
            else:
                seen[name] = cell


def read_roster(path: Path) -> Roster:
    """The roster, or ImportProblems listing every problem with sheet and cell. Read
    bounded: a regular file of at most MAX_BYTES, its zip members checked before
    anything inflates (FileRefused says which limit)."""
    data = read_bounded(path, MAX_BYTES)
    check_zip(data, path.name, MAX_INFLATED)
    try:
        book = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # not a workbook: zipfile.BadZipFile, KeyError, ValueError
        raise ImportProblems([t("import.bad_file", file=path.name, detail=exc)]) from None
    reader = _Reader(path)
    subjects = _subjects(reader, book)
    categories = _categories(reader, book)
    if reader.problems:
        raise ImportProblems(
            [tn("roster.not_clean", len(reader.problems), file=path.name), *reader.problems]
        )
    return Roster(tuple(subjects), tuple(categories))


def _subjects(reader: _Reader, book: Any) -> list[RosterSubject]:
    sheet = SUBJECT_SHEET
    out: list[RosterSubject] = []
    names: list[tuple[str, str]] = []
    for row, cells in reader.rows(book, sheet, SUBJECT_COLUMNS):
        name = reader.name(sheet, cells["述职对象"], "述职对象")
        names.append((name, cells["述职对象"][0]))
        unit = cell_text(cells["单位"][1]) or name
        if len(unit) > 3 * MAX_NAME:
            reader.fail(
                sheet, cells["单位"][0], t("roster.too_long", max=3 * MAX_NAME, got=len(unit))
            )
        mode_text = cell_text(cells["方式"][1])
        mode = MODE_SPELLINGS.get(mode_text)
        if mode is None:
            reader.fail(sheet, cells["方式"][0], t("roster.bad_mode", got=mode_text or "—"))
        order_text = cell_text(cells["序号"][1])
        order = row - 1
        if order_text:
            if order_text.isdigit() and len(order_text) <= 5:
                order = int(order_text)
            else:
                reader.fail(sheet, cells["序号"][0], t("roster.bad_order", got=order_text))
        daily = None
        daily_cell = cells["日常考核"]
        if cell_text(daily_cell[1]):
            daily = _decimal(daily_cell[1])
            if daily is None or not 0 <= daily <= 100:
                reader.fail(
                    sheet, daily_cell[0], t("roster.bad_daily", got=cell_text(daily_cell[1]))
                )
                daily = None
        if name and mode:
            out.append(RosterSubject(order, name, unit, mode, daily))
    reader.unique(sheet, names, "述职对象")
    orders = [(str(s.order), "") for s in out if s.mode == Mode.ONSITE]
    if len({o for o, _ in orders}) < len(orders):
        reader.problems.append(t("roster.duplicate_order", sheet=sheet))
    if names and not any(s.mode == Mode.ONSITE for s in out) and not reader.problems:
        reader.problems.append(t("roster.no_onsite", sheet=sheet))
    if not names and f"{sheet}" in book.sheetnames:
        reader.problems.append(t("roster.no_rows", sheet=sheet))
    return out


def _categories(reader: _Reader, book: Any) -> list[RosterCategory]:
    sheet = CATEGORY_SHEET
    out: list[RosterCategory] = []
    names: list[tuple[str, str]] = []
    weights_ok = True
    weights: list[Decimal] = []
    for _row, cells in reader.rows(book, sheet, CATEGORY_COLUMNS):
        name = reader.name(sheet, cells["类别"], "类别")
        names.append((name, cells["类别"][0]))
        weight = _decimal(cells["权重"][1])
        if weight is None or not 0 <= weight <= 1:
            reader.fail(
                sheet,
                cells["权重"][0],
                t("roster.bad_weight", got=cell_text(cells["权重"][1]) or "—"),
            )
            weights_ok = False
        else:
            weights.append(weight)
        expected_text = cell_text(cells["应到人数"][1])
        expected = None
        if (
            expected_text.isdigit()
            and len(expected_text) <= 6
            and int(expected_text) <= MAX_EXPECTED
        ):
            expected = int(expected_text)
        else:
            reader.fail(
                sheet, cells["应到人数"][0], t("roster.bad_expected", got=expected_text or "—")
            )
        if name and weight is not None and expected is not None:
            out.append(RosterCategory(name, weight, expected))
    reader.unique(sheet, names, "类别")
    if not names and sheet in book.sheetnames:
        reader.problems.append(t("roster.no_rows", sheet=sheet))
    total = sum(weights, Decimal(0))
    if weights and weights_ok and total != 1:
        reader.problems.append(
            t("roster.weights_sum", sheet=sheet, got=format(total.normalize(), "f"))
        )
    return out


# ---------------------------------------------------------------------------
# Into the meeting file

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\"-]+)\s*\]\]?")
_REPLACED = ("subjects", "categories")


def _replaced(header: str) -> bool:
    return any(header == name or header.startswith(name + ".") for name in _REPLACED)


def meeting_text_with_roster(text: str, roster: Roster, roster_name: str) -> str:
    """The meeting file with its [[subjects]] and [[categories]] replaced by the roster's.

    The rest of the file (comments included) stays as written, so the stored
    meeting file still reads like the organiser's own.
    """
    kept: list[str] = []
    skipping = False
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            skipping = _replaced(match.group(1))
        if not skipping:
            kept.append(line)
    stripped = "\n".join(kept).rstrip() + "\n"
    try:
        left = tomllib.loads(stripped)
    except tomllib.TOMLDecodeError:
        left = {}
    if any(key in left for key in _REPLACED):
        raise ImportProblems([t("roster.inline_people")])
    out = [stripped, "", t("roster.generated", file=roster_name)]
    for c in roster.categories:
        out += [
            "[[categories]]",
            f"name = {_quoted(c.name)}",
            f"weight = {_number(c.weight)}",
            f"expected = {c.expected}",
            "",
        ]
    for s in sorted(roster.subjects, key=lambda s: s.order):
        out += [
            "[[subjects]]",
            f"name = {_quoted(s.name)}",
            f"unit = {_quoted(s.unit)}",
            f'mode = "{s.mode}"',
            f"order = {s.order}",
        ]
        if s.daily is not None:
            out.append(f"daily = {_number(s.daily)}")
        out.append("")
    return "\n".join(out)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _number(value: Decimal) -> str:
    """As typed: the meeting file reads 0.15 as exactly fifteen hundredths."""
    text = format(value.normalize(), "f")
    return text
