"""评议情况汇总表: a sheet per subject, with the committee's opinion to fill in.

Every count, share and score is a number in its cell (shown with the tally's
digits), each sheet prints on one A4 landscape page with "第 N 页 共 M 页" at
its foot."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from core.ballots.items import choice_labels
from core.ballots.points import report
from core.ballots.tally import SubjectResult
from core.i18n import t
from core.meeting.labels import mode_label
from core.office.data import CellValue, OfficeResults
from core.office.heads import convener


def write_summary_book(results: OfficeResults, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    from core.office.xlsx import (
        BOX,
        FONT,
        HEAD_FILL,
        cell_value,
        fit_row_heights,
        mark_fingerprint,
        page_setup,
    )

    tally = results.tally
    meeting = tally.meeting
    digits = meeting.rules.digits
    labels = choice_labels(meeting)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    book = Workbook()
    first = book.active
    assert isinstance(first, Worksheet)  # a new workbook's one sheet, replaced below
    book.remove(first)
    by_name = {r.name: r for r in tally.subjects}
    expected = meeting.expected_voters
    width = 2 + 2 * len(labels)
    bold = Font(name=FONT, bold=True)
    plain = Font(name=FONT)
    for subject in (*meeting.onsite, *meeting.written):
        result = by_name[subject.name]
        sheet = book.create_sheet(_sheet_name(subject.name))
        page_setup(sheet, one_page=True)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        sheet["A1"] = t("summary_book.title", subject=subject.name)
        sheet["A1"].font = Font(name="黑体", size=16, bold=True)
        sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[1].height = 28
        facts: list[tuple[str, CellValue]] = [
            (t("summary_book.subject"), f"{subject.name}（{subject.unit}）"),
            (t("summary_book.mode"), mode_label(subject.mode)),
            (t("summary_book.on_roll"), expected),
            (t("summary_book.present"), tally.ballots.returned),
            (t("summary_book.present_share"), _share(tally.ballots.returned, expected)),
            (t("summary_book.valid"), tally.ballots.valid),
            (t("summary_book.meeting_score"), report(result.meeting_score, digits)),
            (t("summary_book.daily"), report(result.daily_score, digits)),
            (t("summary_book.final_score"), report(result.final_score, digits)),
            (t("summary_book.grade"), _grade_text(result, convener(meeting))),
            (t("summary_book.rank", count=len(tally.subjects)), result.rank),
            (t("fingerprint.label"), results.fingerprint),
        ]
        row = 3
        for label, value in facts:
            sheet.cell(row=row, column=1, value=label).font = bold
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
            stored, number_format = cell_value(value if value is not None else "—")
            cell = sheet.cell(row=row, column=2, value=stored)
            cell.font = plain
            cell.alignment = Alignment(horizontal="left", vertical="center")
            if number_format:
                cell.number_format = number_format
            row += 1
        row += 1
        header = [t("feedback.col.criterion")]
        for label in labels:
            header += [t("summary_book.count", grade=label), t("summary_book.share", grade=label)]
        header.append(t("feedback.col.score"))
        for column, text in enumerate(header, 1):
            cell = sheet.cell(row=row, column=column, value=text)
            cell.font, cell.fill, cell.border, cell.alignment = bold, HEAD_FILL, BOX, centre
        sheet.row_dimensions[row].height = 32
        sheet.print_title_rows = f"{row}:{row}"
        lines = [(name, c.counts, c.score) for name, c in result.criteria.items()]
        lines.append((t("summary_book.all_criteria"), result.counts, result.meeting_score))
        for name, counts, score in lines:
            row += 1
            total = sum(counts.values())
            values: list[CellValue] = [name]
            for label in labels:
                count = counts.get(label, 0)
                values += [count, _share(count, total)]
            values.append(report(score, digits))
            for column, value in enumerate(values, 1):
                stored, number_format = cell_value(value)
                cell = sheet.cell(row=row, column=column, value=stored)
                cell.font, cell.border = plain, BOX
                cell.alignment = wrap if column == 1 else centre
                if number_format:
                    cell.number_format = number_format
        row += 2
        for label in (
            t("summary_book.strengths"),
            t("summary_book.weaknesses"),
            t("summary_book.opinion", convener=convener(meeting)),
        ):
            sheet.cell(row=row, column=1, value=label).font = bold
            sheet.cell(row=row, column=1).alignment = wrap
            sheet.merge_cells(start_row=row, start_column=1, end_row=row + 2, end_column=1)
            sheet.merge_cells(start_row=row, start_column=2, end_row=row + 2, end_column=width)
            for r in range(row, row + 3):
                for c in range(1, width + 1):
                    sheet.cell(row=r, column=c).border = BOX
            row += 3
        sheet.column_dimensions["A"].width = 22
        for column in range(2, width + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 9
        sheet.print_area = f"A1:{get_column_letter(width)}{row - 1}"
        fit_row_heights(sheet)
    mark_fingerprint(book, results.fingerprint)
    book.save(str(path))


def _share(part: int, whole: int) -> Fraction | None:
    """A share for a spreadsheet cell (stored as a number, shown as 71.4%)."""
    return Fraction(part, whole) if whole else None


def _grade_text(result: SubjectResult, decided_by: str) -> str:
    grade = result.final_grade or "—"
    if result.override_reason:
        return t(
            "summary_book.overridden",
            grade=grade,
            computed=result.computed_grade or "—",
            convener=decided_by,
        )
    return grade


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str) -> str:
    return _BAD_SHEET_CHARS.sub("_", name)[:31]
