"""Daily-assessment scores (日常考核), one per subject, from Excel or CSV."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from core.ballots.imported_before import already_imported
from core.ballots.results import set_components
from core.ballots.table import (
    Problems,
    Table,
    cell,
    duplicate_columns,
    header_columns,
    is_number,
    read_table,
    refuse,
)
from core.errors import ImportProblems
from core.i18n import t
from core.meeting.store import MeetingStore

SUBJECT_HEADERS = ("述职对象",)

SCORE_HEADERS = ("日常考核得分", "日常考核", "得分")

DECIMALS = 2  # a daily score has at most two decimals, as the office records it
_SCORE = re.compile(rf"\d{{1,3}}(?:\.\d{{1,{DECIMALS}}})?")
MAX_ROWS = 10_000  # far more subjects than any meeting has: a wrong file is refused early


def parse_daily_file(store: MeetingStore, path: Path) -> tuple[dict[str, Fraction], Table]:
    """Subject name and score, one per row: columns A and B, or the columns headed
    述职对象 and 日常考核得分 when the first row is a header."""
    with read_table(path) as table:
        rows = []
        for row in table.rows:
            if row[2] or "".join(row[1]).strip():
                rows.append(row)
            if len(rows) > MAX_ROWS:
                raise ImportProblems([t("daily.too_many_rows", file=path.name, limit=MAX_ROWS)])
        return _parse(store, table, rows), table


def _parse(
    store: MeetingStore, table: Table, rows: list[tuple[int, list[str], tuple[int, ...]]]
) -> dict[str, Fraction]:
    if not rows:
        raise ImportProblems([t("import.empty", file=table.file)])
    names = {s.name for s in store.meeting.subjects}
    problems = Problems()
    head_row, head, head_formulas = rows[0]
    subject_column, score_column = 1, 2
    body = rows
    if not is_number(cell(head, 2)) or 2 in head_formulas:  # a header row
        body = rows[1:]
        columns, found = header_columns(table, head, head_formulas, head_row)
        problems.extend(found)
        problems.extend(duplicate_columns(table, columns, head_row))
        subject_column = next((columns[h][0] for h in SUBJECT_HEADERS if h in columns), 0)
        score_column = next((columns[h][0] for h in SCORE_HEADERS if h in columns), 0)
        if not subject_column:
            problems.add(
                f"{table.where(head_row)}：" + t("daily.missing_column", got=SUBJECT_HEADERS[0])
            )
        if not score_column:
            problems.add(
                f"{table.where(head_row)}：" + t("daily.missing_column", got=SCORE_HEADERS[0])
            )
        for text, where in columns.items():
            if where[0] not in (subject_column, score_column):
                problems.add(
                    f"{table.where(head_row, where[0])}：" + t("daily.unknown_column", got=text)
                )
    scores: dict[str, Fraction] = {}
    first_row: dict[str, int] = {}
    for number, cells, formulas in body:
        if not subject_column or not score_column:
            break
        unsaved = [c for c in (subject_column, score_column) if c in formulas]
        for column in unsaved:
            problems.add(f"{table.where(number, column)}：" + t("import.formula"))
        if unsaved:
            continue
        name, value = cell(cells, subject_column), cell(cells, score_column)
        if name not in names:
            got = name or t("import.blank")
            problems.add(
                f"{table.where(number, subject_column)}：" + t("daily.unknown_subject", got=got)
            )
            continue
        if name in first_row:
            problems.add(
                f"{table.where(number, subject_column)}："
                + t("daily.duplicate_subject", got=name, row=first_row[name])
            )
            continue
        first_row[name] = number
        if not _SCORE.fullmatch(value) or not 0 <= Fraction(value) <= 100:
            got = value or t("import.blank")
            problems.add(f"{table.where(number, score_column)}：" + t("daily.bad_score", got=got))
            continue
        scores[name] = Fraction(value)
    refuse(table, "daily", problems)
    return scores


def import_daily(store: MeetingStore, path: Path, *, again: bool = False) -> int:
    scores, table = parse_daily_file(store, path)
    before = already_imported(store, "daily.imported", table.digest)
    if before is not None and not again:
        raise ImportProblems([t("import.again", file=path.name, before=before)])
    set_components(store, scores, origin={"file": path.name, "sha256": table.digest})
    return len(scores)
