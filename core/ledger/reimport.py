"""The ledger workbook coming back: the subjects' edits compared with the values as
exported (the hidden 原值 sheet) and with the database now; nothing overwritten
silently, nothing dropped without a line naming it, nothing stored unless the whole
workbook is clean. The workbook's layout is core/ledger/workbook.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.errors import ImportProblems
from core.files import check_zip, read_bounded
from core.i18n import t, tn
from core.ledger.items import (
    EDITABLE,
    HEADINGS,
    Completion,
    ProblemSource,
    check_values,
    parse_date,
)
from core.ledger.ledger import Ledger
from core.ledger.workbook import (
    BASE_SHEET,
    COLUMNS,
    DATE_FIELDS,
    HEADER_ROW,
    HEADER_SEARCH,
    MAX_FILE_BYTES,
    MAX_INFLATED,
    MAX_ROWS,
    SHEET,
    column_heading,
)
from core.text import cell_text


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
    by_heading = {column_heading(name): name for name in COLUMNS}
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
            problems.append(
                t("ledgerbook.missing_column", heading=column_heading(name), row=header_row)
            )
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
