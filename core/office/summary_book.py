"""评议情况汇总表: a sheet per subject, with the committee's opinion to fill in."""

from __future__ import annotations

import re
from pathlib import Path

from core.ballots.tally import SubjectResult
from core.i18n import t
from core.meeting.labels import mode_label
from core.office.data import OfficeResults
from core.office.letters import figure


def write_summary_book(results: OfficeResults, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    tally = results.tally
    meeting = tally.meeting
    digits = meeting.rules.digits
    labels = [g.label for g in meeting.grades] + ([meeting.abstain] if meeting.abstain else [])
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    wrap = Alignment(wrap_text=True, vertical="center")
    book = Workbook()
    first = book.active
    assert isinstance(first, Worksheet)  # a new workbook's one sheet, replaced below
    book.remove(first)
    by_name = {r.name: r for r in tally.subjects}
    expected = meeting.expected_voters
    width = 2 + 2 * len(labels)
    for subject in (*meeting.onsite, *meeting.written):
        result = by_name[subject.name]
        sheet = book.create_sheet(_sheet_name(subject.name))
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        sheet["A1"] = t("summary_book.title", subject=subject.name)
        sheet["A1"].font = Font(name="黑体", size=16, bold=True)
        sheet["A1"].alignment = Alignment(horizontal="center")
        sheet.row_dimensions[1].height = 28
        facts = [
            (t("summary_book.subject"), f"{subject.name}（{subject.unit}）"),
            (t("summary_book.mode"), mode_label(subject.mode)),
            (t("summary_book.on_roll"), expected),
            (t("summary_book.present"), tally.ballots.returned),
            (t("summary_book.present_share"), _ratio(tally.ballots.returned, expected)),
            (t("summary_book.valid"), tally.ballots.valid),
            (t("summary_book.meeting_score"), figure(result.meeting_score, digits)),
            (t("summary_book.daily"), figure(result.daily_score, digits)),
            (t("summary_book.final_score"), figure(result.final_score, digits)),
            (t("summary_book.grade"), _grade_text(result)),
            (t("summary_book.rank"), f"{result.rank or '—'} / {len(tally.subjects)}"),
        ]
        row = 3
        for label, value in facts:
            sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
            cell = sheet.cell(row=row, column=2, value=value)
            cell.alignment = Alignment(horizontal="left")
            if isinstance(value, float):
                cell.number_format = "0.0%"
            row += 1
        row += 1
        header = [t("feedback.col.criterion")]
        for label in labels:
            header += [t("summary_book.count", grade=label), t("summary_book.share", grade=label)]
        header.append(t("feedback.col.score"))
        for column, text in enumerate(header, 1):
            cell = sheet.cell(row=row, column=column, value=text)
            cell.font, cell.fill, cell.border, cell.alignment = (
                Font(bold=True),
                head_fill,
                border,
                wrap,
            )
        sheet.row_dimensions[row].height = 32
        lines = [(name, c.counts, c.score) for name, c in result.criteria.items()]
        lines.append((t("summary_book.all_criteria"), result.counts, result.meeting_score))
        for name, counts, score in lines:
            row += 1
            total = sum(counts.values())
            values: list[object] = [name]
            for label in labels:
                count = counts.get(label, 0)
                values += [count, _ratio(count, total)]
            values.append(figure(score, digits))
            for column, value in enumerate(values, 1):
                cell = sheet.cell(row=row, column=column, value=value)
                cell.border, cell.alignment = border, wrap
                if isinstance(value, float):
                    cell.number_format = "0.0%"
        row += 2
        for label in (
            t("summary_book.strengths"),
            t("summary_book.weaknesses"),
            t("summary_book.opinion"),
        ):
            sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
            sheet.cell(row=row, column=1).alignment = Alignment(vertical="center")
            sheet.merge_cells(start_row=row, start_column=1, end_row=row + 2, end_column=1)
            sheet.merge_cells(start_row=row, start_column=2, end_row=row + 2, end_column=width)
            for r in range(row, row + 3):
                for c in range(1, width + 1):
                    sheet.cell(row=r, column=c).border = border
            row += 3
        sheet.column_dimensions["A"].width = 22
        for column in range(2, width + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 10
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.save(str(path))


def _ratio(part: int, whole: int) -> float | str:
    """A share for a spreadsheet cell (shown as 71.4% by the cell's format)."""
    return part / whole if whole else "—"


def _grade_text(result: SubjectResult) -> str:
    grade = result.final_grade or "—"
    if result.override_reason:
        return t("summary_book.overridden", grade=grade, computed=result.computed_grade or "—")
    return grade


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str) -> str:
    return _BAD_SHEET_CHARS.sub("_", name)[:31]
