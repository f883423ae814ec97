"""The tally as the office hands it up: CSV (UTF-8 with BOM) and an Excel workbook."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.ballots import choice_labels
from core.i18n import t
from core.results import tally_json
from core.tally import SubjectResult, Tally, report


def _num(value: Fraction | None, digits: int) -> Decimal | None:
    return report(value, digits)


def _pct(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summary_header(tally: Tally) -> list[str]:
    grades = list(tally.meeting.grades)
    header = [t("col.rank"), t("col.subject"), t("col.mode")]
    for grade in grades:
        header += [t("col.count", grade=grade.label), t("col.share", grade=grade.label)]
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


def summary_row(tally: Tally, subject: SubjectResult) -> list[object]:
    digits = tally.meeting.rules.digits
    answers = sum(subject.counts.values())
    row: list[object] = [subject.rank, subject.name, t(f"mode.{subject.mode}")]
    for grade in tally.meeting.grades:
        count = subject.counts.get(grade.label, 0)
        row += [count, _pct(count, answers)]  # a vote share, never a score
    return [
        *row,
        _num(subject.meeting_score, digits),
        _num(subject.daily_score, digits),
        _num(subject.final_score, digits),
        subject.computed_grade,
        subject.final_grade,
        subject.override_reason,
        "；".join(subject.flags),
    ]


def ballots_caption(tally: Tally) -> list[str]:
    """Ballots issued, returned, valid, invalid, paper; and whether the round is void."""
    b = tally.ballots
    line = t(
        "tally.caption",
        issued=b.issued,
        returned=b.returned,
        valid=b.valid,
        invalid=b.invalid,
        paper=b.paper,
    )
    return [line, t("tally.voided")] if tally.voided else [line]


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):  # vote shares
        return f"{value:.2%}"
    return str(value)


def to_csv(tally: Tally) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(summary_header(tally))
    for subject in tally.subjects:
        writer.writerow([_csv_cell(v) for v in summary_row(tally, subject)])
    return "\ufeff" + buffer.getvalue()  # the BOM makes Excel read UTF-8


THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
FONT = "宋体"


def _sheet_setup(sheet, title: str, width: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = sheet.cell(row=1, column=1, value=title)
    cell.font = Font(name=FONT, size=16, bold=True)
    cell.alignment = Alignment(horizontal="center")
    sheet.row_dimensions[1].height = 28


def _table(
    sheet,
    top: int,
    header: list[str],
    rows: list[list[object]],
    percent_columns: set[int] = frozenset(),
) -> None:
    for column, text in enumerate(header, 1):
        cell = sheet.cell(row=top, column=column, value=text)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, top + 1):
        for column, value in enumerate(row, 1):
            if isinstance(value, Decimal):  # a reported score: keep its digits on screen
                digits = -value.as_tuple().exponent
                value = float(value)
                number_format = "0." + "0" * digits if digits > 0 else "0"
            else:
                number_format = None
            cell = sheet.cell(row=r, column=column, value=value)
            cell.font = Font(name=FONT)
            cell.border = BOX
            if column in percent_columns:
                cell.number_format = "0.0%"
            elif number_format:
                cell.number_format = number_format
    sheet.print_title_rows = f"{top}:{top}"
    for column, text in enumerate(header, 1):
        longest = max([len(str(text))] + [len(str(row[column - 1] or "")) for row in rows])
        sheet.column_dimensions[get_column_letter(column)].width = min(max(6, longest * 2 + 2), 40)


def to_xlsx(tally: Tally, path: Path) -> None:
    meeting = tally.meeting
    digits = meeting.rules.digits
    book = Workbook()

    summary = book.active
    summary.title = t("sheet.summary")
    header = summary_header(tally)
    _sheet_setup(summary, t("tally.title", title=meeting.title), len(header))
    ballots = tally.ballots
    info = [
        f"{meeting.date.isoformat()}　{meeting.venue}",
        f"{t('col.roll')} {meeting.expected_voters}　{t('col.present')} {ballots.returned}　"
        f"{t('col.present_pct')} {(_pct(ballots.returned, meeting.expected_voters) or 0):.1%}",
        *ballots_caption(tally),
    ]
    for offset, line in enumerate(info, 2):
        summary.merge_cells(
            start_row=offset, start_column=1, end_row=offset, end_column=len(header)
        )
        summary.cell(row=offset, column=1, value=line).font = Font(name=FONT)
    top = len(info) + 3
    shares = {4 + 2 * i for i in range(len(meeting.grades))}
    rows = [summary_row(tally, s) for s in tally.subjects]
    _table(summary, top, header, rows, percent_columns=shares)
    summary.freeze_panes = summary.cell(row=top + 1, column=3)

    chart = BarChart()
    chart.type = "bar"
    chart.title = t("sheet.chart")
    chart.y_axis.title = t("col.final_score")
    chart.legend = None
    final_column = header.index(t("col.final_score")) + 1
    chart.add_data(
        Reference(summary, min_col=final_column, min_row=top, max_row=top + len(rows)),
        titles_from_data=True,
    )
    chart.set_categories(Reference(summary, min_col=2, min_row=top + 1, max_row=top + len(rows)))
    chart.height = max(8, len(rows) * 0.6)
    chart.width = 18
    summary.add_chart(chart, f"A{top + len(rows) + 3}")

    criteria_sheet = book.create_sheet(t("sheet.criteria"))
    choices = choice_labels(meeting)
    header = [t("col.subject"), t("col.criterion"), *choices, t("col.score")]
    _sheet_setup(criteria_sheet, t("tally.title", title=meeting.title), len(header))
    rows = [
        [s.name, name, *(c.counts.get(label, 0) for label in choices), _num(c.score, digits)]
        for s in tally.subjects
        for name, c in s.criteria.items()
    ]
    _table(criteria_sheet, 3, header, rows)

    category_sheet = book.create_sheet(t("sheet.categories"))
    header = [
        t("col.subject"),
        t("col.category"),
        t("col.weight"),
        t("col.ballots"),
        t("col.score"),
    ]
    _sheet_setup(category_sheet, t("tally.title", title=meeting.title), len(header))
    weights = {c.name: report(c.weight, 4) for c in meeting.categories}
    rows = [
        [s.name, name, weights[name], c.ballots, _num(c.score, digits)]
        for s in tally.subjects
        for name, c in s.categories.items()
    ]
    _table(category_sheet, 3, header, rows)
    book.save(str(path))


def to_json_text(tally: Tally) -> str:
    return json.dumps(tally_json(tally), ensure_ascii=False, indent=2)
