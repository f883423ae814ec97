"""The 排名表 as a workbook: one A4 portrait page for the 主任会议 / 常委会, numbers as
numbers (the rank an integer, the final score a number shown to the reported digits)."""

from __future__ import annotations

from pathlib import Path

from core.ballots.points import report
from core.i18n import t
from core.office.bulletin import ranking_notes
from core.office.data import OfficeResults
from core.office.document import chinese_date
from core.office.heads import head_fields


def write_ranking_xlsx(results: OfficeResults, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.worksheet import Worksheet

    from core.office.xlsx import (
        FONT,
        fit_row_heights,
        mark_fingerprint,
        page_setup,
        write_lines,
        write_table,
    )

    tally = results.tally
    meeting = tally.meeting
    digits = meeting.rules.digits
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = t("ranking.sheet")
    page_setup(sheet, landscape=False, one_page=True)
    head = head_fields(meeting, results.made_on)
    width = 4
    title = t("ranking.title", title=meeting.title)
    if results.provisional:
        title += "　" + t("tally.provisional")
    top = write_lines(
        sheet,
        1,
        width,
        [
            (title, Font(name=FONT, size=16, bold=True)),
            (
                t(
                    "tally.meeting_line",
                    title=meeting.title,
                    date=chinese_date(meeting.date),
                    venue=meeting.venue or "—",
                ),
                Font(name=FONT, size=11),
            ),
        ],
    )
    header = [t("col.rank"), t("col.subject"), t("col.final_score"), t("col.final_grade")]
    rows = [
        [
            r.rank,
            r.name,
            report(r.final_score, digits),
            (r.final_grade or "—") + ("*" if r.override_reason else ""),
        ]
        for r in tally.subjects
    ]
    write_table(sheet, top + 1, header, rows)
    for index in range(len(rows)):
        for column in (1, 3, 4):
            sheet.cell(row=top + 2 + index, column=column).alignment = Alignment(
                horizontal="center", vertical="center"
            )
    end = top + 2 + len(rows)
    notes = [(line, Font(name=FONT, size=10)) for line in ranking_notes(results)]
    notes.append(
        (t("tally.made_by", unit=head["组织单位"], date=head["制表日期"]), Font(name=FONT))
    )
    last = write_lines(sheet, end + 1, width, notes) - 1
    for letter, size in zip("ABCD", (10, 30, 16, 14), strict=True):
        sheet.column_dimensions[letter].width = size
    sheet.print_area = f"A1:D{last}"
    for row in range(top + 2, end):
        sheet.row_dimensions[row].height = 20
    fit_row_heights(sheet)
    mark_fingerprint(book, results.fingerprint)
    book.save(str(path))
