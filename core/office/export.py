"""The tally as the office hands it up: CSV (UTF-8 with BOM) and JSON; the Excel
workbook is `core.office.results_book`."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from typing import overload

from core.ballots.items import choice_labels
from core.ballots.points import report
from core.ballots.results import tally_json
from core.ballots.tally import SubjectResult, Tally
from core.i18n import t
from core.meeting.labels import mode_label
from core.office.data import (
    CellValue,
    OfficeResults,
    ballots_caption,
    invalid_reason_text,
    made_by_line,
    turnout_line,
)


@overload
def number_cell(value: Fraction, digits: int) -> Decimal: ...
@overload
def number_cell(value: Fraction | None, digits: int) -> Decimal | None: ...
def number_cell(value: Fraction | None, digits: int) -> Decimal | None:
    return report(value, digits)


def share_of(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def summary_header(tally: Tally) -> list[str]:
    header = [t("col.rank"), t("col.subject"), t("col.mode")]
    for label in choice_labels(tally.meeting):
        header += [t("col.count", grade=label), t("col.share", grade=label)]
    return [
        *header,
        t("col.meeting_score"),
        t("col.daily_score"),
        t("col.final_score"),
        t("col.computed_grade"),
        t("col.final_grade"),
        t("col.override"),
        t("col.flags"),
    ]


def summary_row(tally: Tally, subject: SubjectResult) -> list[CellValue]:
    """Counts are integers; shares (count ÷ all answers, 不了解 included, so they add up to
    100%) are Fractions: a vote share, never a score."""
    digits = tally.meeting.rules.digits
    answers = sum(subject.counts.values())
    row: list[CellValue] = [subject.rank, subject.name, mode_label(subject.mode)]
    for label in choice_labels(tally.meeting):
        count = subject.counts.get(label, 0)
        row += [count, share_of(count, answers)]
    daily: CellValue = number_cell(subject.daily_score, digits)
    if daily is None and "daily" in tally.meeting.rules.combination:
        daily = t("missing")  # the final score is then the vote score alone: say so
    return [
        *row,
        number_cell(subject.meeting_score, digits),
        daily,
        number_cell(subject.final_score, digits),
        subject.computed_grade,
        subject.final_grade,
        subject.override_reason,
        "；".join(subject.flags),
    ]


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Fraction):  # vote shares
        return f"{float(value):.1%}"
    return str(value)


def to_csv(results: OfficeResults) -> str:
    """The title, the table, then the ballots line and any warnings under it."""
    tally = results.tally
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([results.title])
    writer.writerow(summary_header(tally))
    for subject in tally.subjects:
        writer.writerow([_csv_cell(v) for v in summary_row(tally, subject)])
    writer.writerow([])
    for line in [*ballots_caption(tally), turnout_line(results)]:
        writer.writerow([line])
    for line in results.warnings:
        writer.writerow([f"⚠ {line}"])
    writer.writerow([made_by_line(results)])
    return "\ufeff" + buffer.getvalue()  # the BOM makes Excel read UTF-8


def to_json_text(results: OfficeResults) -> str:
    data = tally_json(results.tally)
    data["title"] = results.title
    data["provisional"] = results.provisional
    data["warnings"] = list(results.warnings)
    data["ballots"]["imported"] = results.tally.ballots.imported
    data["ballots"]["invalid_reasons"] = {
        invalid_reason_text(kind): count
        for kind, count in results.tally.ballots.invalid_reasons.items()
    }
    data["turnout"] = {
        name: {"returned": r, "expected": e} for name, (r, e) in results.turnout.items()
    }
    data["comments"] = results.comments
    data["fingerprint"] = results.fingerprint  # 结果校验码: `sanshu tally --check` reads it
    return json.dumps(data, ensure_ascii=False, indent=2)
