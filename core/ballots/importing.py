"""Ballots collected elsewhere (Excel or CSV), checked whole before anything is stored.

Ballot sheet: one row per ballot, a `类别` column, then for each subject one column per
criterion headed `SUBJECT/CRITERION` holding a grade label, and optionally its
`SUBJECT/意见建议` column for the voter's comment (the template from
`core.ballots.template` has them all, with dropdowns).

Nothing is stored unless the whole file is clean. Every problem is listed at once:
unknown, missing and duplicated columns, unknown categories and grades, formulas
whose value Excel never saved, comments over the length the phone form allows.

The rows stream: each ballot is kept in a compact form (a byte per grade) while the
file is checked, and turned back into a ballot only as it is written, so memory stays
flat whatever the file's length.

Imported ballots are recognised by their content: a digest of each row's category,
grades and comments (keyed by the meeting) is kept, with how many times it was
imported, in `import_rows` — never linked to a ballot id or to the file it came in,
and ordered by the digest. The same ballots again (the workbook re-saved, exported
as CSV, or a file with rows appended) are refused naming the rows they repeat,
unless `--again`.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import overload

from core.ballots.counts import invalid_count
from core.ballots.imported_before import already_imported, remember, repeated_rows, repeats_line
from core.ballots.items import Item, choice_labels, form_items
from core.ballots.storing import BallotEntry, add_ballots
from core.ballots.table import (
    Problems,
    Table,
    column_letter,
    duplicate_columns,
    header_columns,
    is_number,
    read_table,
    refuse,
)
from core.ballots.tally import BallotSource
from core.ballots.xlsx import Row
from core.errors import ImportProblems
from core.i18n import t
from core.meeting.model import Layout, Meeting
from core.meeting.store import MeetingStore
from core.text import clean_text

CATEGORY = "类别"
COMMENT = "意见建议"
COMMENT_LIMIT = 500  # characters, as on the phone form
HEADER_SEARCH_ROWS = 50  # a title typed above the header is allowed, within these rows


def header(store: MeetingStore) -> list[str]:
    return header_of(store.meeting)


def header_of(meeting: Meeting) -> list[str]:
    """类别, then subject by subject in form order: its criteria, then its comment."""
    heads = [CATEGORY]
    items = form_items(meeting)
    for subject in dict.fromkeys(s for s, _ in items):
        heads += [f"{s}/{c}" for s, c in items if s == subject]
        heads.append(f"{subject}/{COMMENT}")
    return heads


def comment_heading(subject: str) -> str:
    return f"{subject}/{COMMENT}"


@dataclass
class Parsed(Sequence[tuple[str, BallotEntry]]):
    """The checked ballots of a file, compact: per ballot its category's index, one
    code per grade (form order) and its comments, if any. Indexing gives the ballot
    back as (category, BallotEntry), made when it is written."""

    meeting: Meeting
    categories: tuple[str, ...]
    values: list[str]  # code → grade text ('' = blank)
    ballots: list[tuple[int, bytes | array[int], tuple[tuple[str, str], ...]]] = field(
        default_factory=list
    )
    digests: list[bytes] = field(default_factory=list)  # per ballot, in file order
    rows: array[int] = field(default_factory=lambda: array("I"))  # each ballot's sheet row
    _lookup: tuple[str | None, ...] = ()

    def __len__(self) -> int:
        return len(self.ballots)

    @overload
    def __getitem__(self, index: int) -> tuple[str, BallotEntry]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, BallotEntry]]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[str, BallotEntry] | Sequence[tuple[str, BallotEntry]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        category = self.ballots[index][0]
        return self.categories[category], _Entry(self, index)

    def entry(self, index: int) -> tuple[dict[Item, str | None], dict[str, str]]:
        """Ballot `index`'s grades (form order) and comments, as a ballot holds them."""
        _category, codes, comments = self.ballots[index]
        grades = dict(zip(self._items, map(self._grades.__getitem__, codes), strict=True))
        return grades, dict(comments)

    @property
    def _items(self) -> tuple[Item, ...]:
        return form_items(self.meeting)

    @property
    def _grades(self) -> tuple[str | None, ...]:
        """Code → the grade as stored (None: blank)."""
        if len(self._lookup) != len(self.values):
            self._lookup = tuple(value or None for value in self.values)
        return self._lookup


class _Entry(BallotEntry):
    """A ballot of a file, made from its compact form only when its grades are read:
    storing asks some ballots only for their category."""

    def __init__(self, parsed: Parsed, index: int):  # no fields yet: see __getattr__
        self._parsed = parsed
        self._index = index

    def __getattr__(self, name: str) -> object:
        if name not in ("grades", "comments"):
            raise AttributeError(name)
        self.grades, self.comments = self._parsed.entry(self._index)
        return getattr(self, name)


def parse_ballot_file(store: MeetingStore, path: Path) -> tuple[Parsed, Table]:
    with read_table(path) as table:
        head, body = _split_header(table)
        return _Reader(store.meeting, _digest_key(store), table).read(head, body), table


def _digest_key(store: MeetingStore) -> bytes:
    return (store.meta("meeting_uid") or "").encode()[:64]


def _split_header(table: Table) -> tuple[Row, Iterator[Row]]:
    """The header is the first row with a 类别 cell (a title typed above it is allowed);
    without one, the first row, so that its problems are listed."""
    rows = table.rows
    seen: list[Row] = []
    for row in rows:
        if not _filled(row):
            continue
        if any(text.strip() == CATEGORY for text in row[1]):
            return row, rows
        seen.append(row)
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise ImportProblems([t("import.empty", file=table.file)])
    return seen[0], _chain(seen[1:], rows)


def _filled(row: Row) -> bool:
    return bool(row[2]) or bool("".join(row[1]).strip())


def _chain(first: list[Row], rest: Iterator[Row]) -> Iterator[Row]:
    yield from first
    yield from rest


class _Reader:
    """One pass over the rows below the header."""

    def __init__(self, meeting: Meeting, key: bytes, table: Table):
        self.meeting = meeting
        self.key = key
        self.table = table
        self.problems = Problems()
        self.heading_at: dict[int, str] = {}  # column (0-based) → its header, but 类别

    def _columns(self, head: Row) -> dict[str, list[int]]:
        """The header's columns, every problem with them noted."""
        table, problems = self.table, self.problems
        head_row, texts, formulas = head
        columns, found = header_columns(table, texts, formulas, head_row)
        problems.extend(found)
        problems.extend(duplicate_columns(table, columns, head_row))
        items = form_items(self.meeting)
        known = {CATEGORY, *(f"{s}/{c}" for s, c in items)}
        known |= {comment_heading(s) for s, _ in items}
        if CATEGORY not in columns:
            problems.add(f"{table.where(head_row)}：" + t("import.missing_category"))
        for text, where in columns.items():
            if text not in known:
                problems.add(
                    f"{table.where(head_row, where[0])}：" + t("import.unknown_column", got=text)
                )
        for s, c in items:
            if f"{s}/{c}" not in columns:
                problems.add(
                    f"{table.where(head_row)}：" + t("import.missing_column", got=f"{s}/{c}")
                )
        return columns

    def read(self, head: Row, body: Iterator[Row]) -> Parsed:
        meeting, table, problems = self.meeting, self.table, self.problems
        columns = self._columns(head)
        categories = tuple(c.name for c in meeting.categories)
        parsed = Parsed(meeting, categories, [""])
        numeric = meeting.rules.layout == Layout.NUMERIC
        codes: dict[str, int] = {"": 0}
        for label in () if numeric else choice_labels(meeting):
            codes[label] = len(parsed.values)
            parsed.values.append(label)
        # With a wrong header the rows are still checked, against the columns it has:
        # every problem is listed at once (and nothing is stored).
        items = [i for i in form_items(meeting) if f"{i[0]}/{i[1]}" in columns]
        category_column = columns[CATEGORY][0] - 1 if CATEGORY in columns else None
        grade_columns = [columns[f"{s}/{c}"][0] - 1 for s, c in items]
        comments = [
            (s, columns[comment_heading(s)][0] - 1)
            for s in dict.fromkeys(s for s, _ in form_items(meeting))
            if comment_heading(s) in columns
        ]
        comment_texts = _getter([c for _, c in comments]) if comments else None
        headed = {column - 1 for where in columns.values() for column in where}
        head_width = len(head[1])
        unheaded = [c for c in range(head_width) if c not in headed]
        width = max(head_width, 1)
        self.heading_at = {
            where[0] - 1: text for text, where in columns.items() if text != CATEGORY
        }
        grades_of = _getter(grade_columns)
        category_index = {name: i for i, name in enumerate(categories)}
        allowed = frozenset(codes)
        wide = numeric
        for number, cells, formulas in body:
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            elif not formulas and not "".join(cells).strip():
                continue  # a blank row
            for column in formulas:
                problems.add(f"{self._place(number, column - 1)}：" + t("import.formula"))
            for column in (*unheaded, *range(width, len(cells))):
                if cells[column].strip():  # data under no header: which item is it?
                    problems.add(f"{table.where(number, column + 1)}：" + t("import.no_header"))
            if category_column is None:
                category, index = "", None
            else:
                category = cells[category_column].strip()
                index = category_index.get(category)
            if (
                index is None
                and category_column is not None
                and category_column + 1 not in formulas
            ):
                if not category and not "".join(cells).strip():
                    continue  # a blank row
                problems.add(
                    f"{table.where(number, category_column + 1)}："
                    + t(
                        "import.unknown_category",
                        got=category or t("import.blank"),
                        choices="、".join(categories),
                    )
                )
            grades = grades_of(cells)
            if not allowed.issuperset(grades):
                grades = tuple(g.strip() for g in grades)
                if not allowed.issuperset(grades):
                    self._check_grades(number, grades, grade_columns, codes)
            notes: tuple[tuple[str, str], ...] = ()
            if comment_texts is not None:
                texts = comment_texts(cells)
                if "".join(texts).strip():
                    notes = tuple(
                        (subject, self._comment(number, column, text))
                        for (subject, column), text in zip(comments, texts, strict=True)
                        if text.strip()
                    )
            if problems:
                continue  # nothing of this file will be stored: only look for problems
            if numeric:
                for grade in grades:
                    if grade not in codes:
                        codes[grade] = len(parsed.values)
                        parsed.values.append(grade)
            packed: bytes | array[int] = (
                array("I", map(codes.__getitem__, grades))
                if wide
                else bytes(map(codes.__getitem__, grades))
            )
            parsed.ballots.append((index or 0, packed, notes))
            parsed.rows.append(number)
            parsed.digests.append(self._digest(category, grades, notes))
        refuse(table, "ballots", problems)
        return parsed

    def _check_grades(
        self,
        number: int,
        grades: tuple[str, ...],
        grade_columns: list[int],
        codes: dict[str, int],
    ) -> None:
        """Each unknown grade of a row named with its cell and its item."""
        numeric = self.meeting.rules.layout == Layout.NUMERIC
        labels = choice_labels(self.meeting)
        for grade, column in zip(grades, grade_columns, strict=True):
            if not grade or (is_number(grade) if numeric else grade in codes):
                continue
            expected = t("import.number") if numeric else "、".join(labels)
            self.problems.add(
                f"{self._place(number, column)}："
                + t("import.unknown_grade", got=grade, choices=expected)
            )

    def _place(self, number: int, column: int) -> str:
        """Where a problem is: the sheet's row and column, and the column's header."""
        where = self.table.where(number, column + 1)
        heading = self.heading_at.get(column)
        return f"{where}（{heading}）" if heading else where

    def _comment(self, number: int, column: int, text: str) -> str:
        cleaned = clean_text(text).strip()
        if len(cleaned) > COMMENT_LIMIT:
            self.problems.add(
                f"{self.table.where(number, column + 1)}："
                + t("import.comment_too_long", count=len(cleaned), limit=COMMENT_LIMIT)
            )
        return cleaned

    def _digest(
        self, category: str, grades: tuple[str, ...], notes: tuple[tuple[str, str], ...]
    ) -> bytes:
        """A row's content, the same whichever file format carried it."""
        text = "\x1f".join((category, *grades)) + "\x1e" + "\x1f".join(n for _, n in notes)
        return hashlib.blake2b(text.encode(), digest_size=16, key=self.key).digest()


def _getter(columns: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The cells of these columns, as a tuple (in C, for two or more)."""
    if len(columns) >= 2:
        return itemgetter(*columns)
    return lambda cells: tuple(cells[c] for c in columns)


def import_ballots(store: MeetingStore, path: Path, *, again: bool = False) -> tuple[int, int]:
    """Import every row as a ballot of its category; returns (imported, invalid)."""
    parsed, table = parse_ballot_file(store, path)
    # The check, the ballots and the record that this file was imported (what a second
    # import of the same file is checked against) in one transaction: a crash stores
    # both or neither, and two imports of one file at once cannot both pass the check.
    with store.transaction():
        if not again:
            before = already_imported(store, "import.ballots", table.digest)
            if before is not None:
                raise ImportProblems([t("import.again", file=path.name, before=before)])
            repeats = repeated_rows(store, parsed.digests, parsed.rows)
            if repeats:
                raise ImportProblems([repeats_line(store, path.name, repeats)])
        invalid_before = invalid_count(store, BallotSource.IMPORT)
        add_ballots(store, parsed, source=BallotSource.IMPORT)
        remember(store, parsed.digests)
        # Invalid ballots are kept and counted as invalid by the tally, not dropped; how
        # many is read from the counts add_ballots just wrote (validity decided once).
        invalid = invalid_count(store, BallotSource.IMPORT) - invalid_before
        store.record(
            "import.ballots",
            {"file": path.name, "sha256": table.digest, "count": len(parsed), "again": again},
        )
    return len(parsed), invalid


__all__ = ["CATEGORY", "COMMENT", "Parsed", "column_letter", "header", "import_ballots"]
