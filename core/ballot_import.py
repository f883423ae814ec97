"""Ballots collected elsewhere (paper tallied in Excel, another survey tool).

One row per ballot: a `类别` column, then one column per subject and criterion
headed `SUBJECT/CRITERION` holding a grade label. Nothing is imported unless
the whole file is clean; every problem is listed with its row and column.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.ballots import (
    BallotEntry,
    Item,
    add_ballots,
    ballot_problems,
    choice_labels,
    form_items,
)
from core.errors import ImportProblems  # re-exported
from core.i18n import t
from core.store import MeetingStore

CATEGORY = "类别"


def header(store: MeetingStore) -> list[str]:
    return [CATEGORY] + [f"{s}/{c}" for s, c in form_items(store.meeting)]


def write_template(store: MeetingStore, path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "测评票"
    for column, text in enumerate(header(store), 1):
        sheet.cell(row=1, column=column, value=text).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = 8 if column > 1 else 20
    sheet.freeze_panes = "B2"
    book.save(str(path))


def _rows(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                return [[cell.strip() for cell in row] for row in csv.reader(handle)]
        if suffix == ".xlsx":
            sheet = load_workbook(str(path), read_only=True, data_only=True).active
            return [
                ["" if v is None else str(v).strip() for v in row]
                for row in sheet.iter_rows(values_only=True)
            ]
    except (OSError, ValueError, KeyError, csv.Error) as exc:
        raise ImportProblems([t("import.bad_file", file=path.name, detail=exc)]) from None
    raise ImportProblems([t("import.bad_suffix")])


@dataclass(frozen=True)
class Parsed:
    category: str
    grades: dict[Item, str | None]


def parse_ballot_file(store: MeetingStore, path: Path) -> list[Parsed]:
    meeting = store.meeting
    rows = [row for row in _rows(path) if any(row)]
    if not rows:
        raise ImportProblems([t("import.missing_category")])
    head = rows[0]
    items = {f"{s}/{c}": (s, c) for s, c in form_items(meeting)}
    problems: list[str] = []
    if CATEGORY not in head:
        problems.append(t("import.missing_category"))
    columns: dict[int, Item] = {}
    for index, text in enumerate(head):
        if text == CATEGORY:
            continue
        if text in items:
            columns[index] = items[text]
        elif text:
            problems.append(
                t("import.unknown_column", column=get_column_letter(index + 1), got=text)
            )
    category_index = head.index(CATEGORY) if CATEGORY in head else None
    categories = {c.name for c in meeting.categories}
    labels = set(choice_labels(meeting))
    parsed: list[Parsed] = []
    for number, row in enumerate(rows[1:], 2):
        row = row + [""] * (len(head) - len(row))
        category = row[category_index] if category_index is not None else ""
        if category_index is not None and category not in categories:
            problems.append(t("import.unknown_category", row=number, got=category))
        grades: dict[Item, str | None] = {}
        for index, item in columns.items():
            value = row[index]
            if meeting.rules.layout == "numeric":
                ok = not value or _is_number(value)
            else:
                ok = not value or value in labels
            if not ok:
                problems.append(
                    t(
                        "import.unknown_grade",
                        row=number,
                        column=get_column_letter(index + 1),
                        header=head[index],
                        got=value,
                    )
                )
            grades[item] = value or None
        parsed.append(Parsed(category, grades))
    if problems:
        raise ImportProblems(
            [t("import.not_clean", file=path.name, count=len(problems)), *problems]
        )
    return parsed


def _is_number(value: str) -> bool:
    try:
        Fraction(value)
    except (ValueError, ZeroDivisionError):
        return False
    return True


def import_ballots(store: MeetingStore, path: Path) -> tuple[int, int]:
    """Import every row as a ballot of its category; returns (imported, invalid)."""
    parsed = parse_ballot_file(store, path)
    # Invalid ballots are kept and counted as invalid by the tally, not dropped.
    invalid = sum(bool(ballot_problems(store.meeting, b.grades, on_screen=False)) for b in parsed)
    add_ballots(store, [(b.category, BallotEntry(b.grades)) for b in parsed], source="import")
    return len(parsed), invalid


def parse_daily_file(store: MeetingStore, path: Path) -> dict[str, Fraction]:
    """Subject name + score, one per row (a header row is skipped)."""
    rows = [row for row in _rows(path) if any(row)]
    names = {s.name for s in store.meeting.subjects}
    problems: list[str] = []
    scores: dict[str, Fraction] = {}
    for number, row in enumerate(rows, 1):
        name, value = ([*row, "", ""])[:2]
        if number == 1 and not _is_number(value):
            continue  # the header
        if name not in names:
            problems.append(t("daily.unknown_subject", row=number, got=name))
            continue
        if not _is_number(value) or not 0 <= Fraction(value) <= 100:
            problems.append(t("daily.bad_score", row=number, got=value))
            continue
        scores[name] = Fraction(value)
    if problems:
        raise ImportProblems(
            [t("import.not_clean", file=path.name, count=len(problems)), *problems]
        )
    return scores
