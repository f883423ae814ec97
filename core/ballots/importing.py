"""Ballots collected elsewhere (Excel or CSV), checked whole before anything is stored.

Ballot sheet: one row per ballot, a `类别` column, then one column per subject
and criterion headed `SUBJECT/CRITERION` holding a grade label (the template
from `core.ballots.template` has dropdowns for both).

Nothing is stored unless the whole file is clean. Every problem is listed at
once: unknown, missing and duplicated columns, unknown categories and grades,
formulas whose value Excel never saved, duplicated subjects. A file already
imported (same content) is refused unless asked again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.ballots.counts import invalid_count
from core.ballots.items import Item, choice_labels, form_items
from core.ballots.storing import BallotEntry, add_ballots
from core.ballots.table import (
    Table,
    cell_at,
    duplicate_columns,
    header_columns,
    is_number,
    read_table,
    refuse,
)
from core.ballots.tally import BallotSource
from core.errors import ImportProblems
from core.i18n import t
from core.meeting.model import Layout
from core.meeting.store import MeetingStore

CATEGORY = "类别"


def header(store: MeetingStore) -> list[str]:
    return [CATEGORY] + [f"{s}/{c}" for s, c in form_items(store.meeting)]


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
    columns, problems = header_columns(table, head, head_row)
    problems += duplicate_columns(table, columns, head_row)
    items = {f"{s}/{c}": (s, c) for s, c in form_items(meeting)}
    if CATEGORY not in columns:
        problems.append(f"{table.where(head_row)}：" + t("import.missing_category"))
    for text, where in columns.items():
        if text != CATEGORY and text not in items:
            problems.append(
                f"{table.where(head_row, where[0])}：" + t("import.unknown_column", got=text)
            )
    missing = [text for text in items if text not in columns]
    problems += [
        f"{table.where(head_row)}：" + t("import.missing_column", got=text) for text in missing
    ]

    category_column = columns.get(CATEGORY, [None])[0]
    item_columns = {where[0]: items[text] for text, where in columns.items() if text in items}
    categories = [c.name for c in meeting.categories]
    labels = choice_labels(meeting)
    numeric = meeting.rules.layout == Layout.NUMERIC
    headed = {column for where in columns.values() for column in where}
    parsed: list[Parsed] = []
    for number, cells in table.rows[start + 1 :]:
        category = ""
        if category_column is not None:
            cell = cell_at(cells, category_column)
            category = cell.text
            if cell.formula:
                problems.append(f"{table.where(number, category_column)}：" + t("import.formula"))
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
            cell = cell_at(cells, column)
            place = f"{table.where(number, column)}（{item[0]}/{item[1]}）"
            if cell.formula:
                problems.append(f"{place}：" + t("import.formula"))
                continue
            ok = not cell.text or (is_number(cell.text) if numeric else cell.text in labels)
            if not ok:
                expected = t("import.number") if numeric else "、".join(labels)
                problems.append(
                    f"{place}：" + t("import.unknown_grade", got=cell.text, choices=expected)
                )
            grades[item] = cell.text or None
        for column in range(1, len(cells) + 1):
            if (
                column not in headed and cell_at(cells, column).text
            ):  # data under no header: which ballot item is it?
                problems.append(f"{table.where(number, column)}：" + t("import.no_header"))
        parsed.append(Parsed(category, grades))
    refuse(table, "ballots", problems)
    return parsed, table


def already_imported(store: MeetingStore, kind: str, digest: str) -> str | None:
    """The file name under which this content was imported before, if it was."""
    for event in store.events(kind):
        if event.payload.get("sha256") == digest:
            return str(event.payload.get("file", ""))
    return None


def import_ballots(store: MeetingStore, path: Path, *, again: bool = False) -> tuple[int, int]:
    """Import every row as a ballot of its category; returns (imported, invalid)."""
    parsed, table = parse_ballot_file(store, path)
    # The check, the ballots and the record that this file was imported (what a second
    # import of the same file is checked against) in one transaction: a crash stores
    # both or neither, and two imports of one file at once cannot both pass the check.
    with store.transaction():
        before = already_imported(store, "import.ballots", table.digest)
        if before is not None and not again:
            raise ImportProblems([t("import.again", file=path.name, before=before)])
        invalid_before = invalid_count(store, BallotSource.IMPORT)
        add_ballots(
            store,
            [(b.category, BallotEntry(b.grades)) for b in parsed],
            source=BallotSource.IMPORT,
        )
        # Invalid ballots are kept and counted as invalid by the tally, not dropped; how
        # many is read from the counts add_ballots just wrote (validity decided once).
        invalid = invalid_count(store, BallotSource.IMPORT) - invalid_before
        store.record(
            "import.ballots",
            {"file": path.name, "sha256": table.digest, "count": len(parsed), "again": again},
        )
    return len(parsed), invalid
