"""Daily-assessment scores (日常考核), one per subject, from Excel or CSV."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from core.ballots.importing import already_imported
from core.ballots.results import set_components
from core.ballots.table import (
    Table,
    cell_at,
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
    if not is_number(cell_at(head, 2).text):  # a header row
        body = table.rows[1:]
        columns, problems = header_columns(table, head, head_row)
        problems += duplicate_columns(table, columns, head_row)
        subject_column = next((columns[h][0] for h in SUBJECT_HEADERS if h in columns), 0)
        score_column = next((columns[h][0] for h in SCORE_HEADERS if h in columns), 0)
        if not subject_column:
            problems.append(
                f"{table.where(head_row)}：" + t("daily.missing_column", got=SUBJECT_HEADERS[0])
            )
        if not score_column:
            problems.append(
                f"{table.where(head_row)}：" + t("daily.missing_column", got=SCORE_HEADERS[0])
            )
        for text, where in columns.items():
            if where[0] not in (subject_column, score_column):
                problems.append(
                    f"{table.where(head_row, where[0])}：" + t("daily.unknown_column", got=text)
                )
    scores: dict[str, Fraction] = {}
    first_row: dict[str, int] = {}
    for number, cells in body:
        if not subject_column or not score_column:
            break
        name_cell, score_cell = cell_at(cells, subject_column), cell_at(cells, score_column)
        for column, cell in ((subject_column, name_cell), (score_column, score_cell)):
            if cell.formula:
                problems.append(f"{table.where(number, column)}：" + t("import.formula"))
        if name_cell.formula or score_cell.formula:
            continue
        name, value = name_cell.text, score_cell.text
        if name not in names:
            got = name or t("import.blank")
            problems.append(
                f"{table.where(number, subject_column)}：" + t("daily.unknown_subject", got=got)
            )
            continue
        if name in first_row:
            problems.append(
                f"{table.where(number, subject_column)}："
                + t("daily.duplicate_subject", got=name, row=first_row[name])
            )
            continue
        first_row[name] = number
        if not is_number(value) or not 0 <= Fraction(value) <= 100:
            got = value or t("import.blank")
            problems.append(
                f"{table.where(number, score_column)}：" + t("daily.bad_score", got=got)
            )
            continue
        scores[name] = Fraction(value)
    refuse(table, "daily", problems)
    return scores, table


def import_daily(store: MeetingStore, path: Path, *, again: bool = False) -> int:
    scores, table = parse_daily_file(store, path)
    before = already_imported(store, "daily.imported", table.digest)
    if before is not None and not again:
        raise ImportProblems([t("import.again", file=path.name, before=before)])
    set_components(store, scores, origin={"file": path.name, "sha256": table.digest})
    return len(scores)
