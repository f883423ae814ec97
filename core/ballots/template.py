"""The empty ballot workbook the office fills by hand or hands out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.ballots.importing import COMMENT, header
from core.ballots.items import choice_labels
from core.ballots.table import BALLOT_SHEET, column_letter
from core.i18n import t
from core.meeting.model import Layout
from core.meeting.store import MeetingStore

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

TEMPLATE_ROWS = 1000
GRADE_WIDTH = 5.5  # 不了解 fits; the header above is turned upright
COMMENT_WIDTH = 10
CATEGORY_WIDTH = 14
GUIDE_WIDTH = 75
PRINT_ROWS = 30  # rows printed below the header of an empty template
# Printed at 80 %: A4 landscape less its margins is about 130 columns of width at this
# scale. A row of 21 subjects cannot be one page wide and readable (it would print at
# about a quarter of its size), so each page holds whole subjects, with the 类别
# column and the header repeated, and the pages are numbered 第 N 页 共 M 页.
PRINT_SCALE = 80
PAGE_WIDTH = 128


def write_template(store: MeetingStore, path: Path) -> None:
    """The empty ballot workbook: a 测评票 sheet with dropdowns of the meeting's categories
    and grades, a comment column per subject, a frozen header, readable widths; a 说明
    sheet saying how to fill it. Both print on A4, one page wide, pages numbered."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.pagebreak import Break
    from openpyxl.worksheet.worksheet import Worksheet

    meeting = store.meeting
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = BALLOT_SHEET
    names = header(store)
    line = Side(style="thin", color="A0A0A0")
    grade_columns: list[int] = []
    comment_columns: list[int] = []
    for column, text in enumerate(names, 1):
        cell = sheet.cell(row=1, column=column, value=text)
        cell.font = Font(name="宋体", size=10, bold=True)
        cell.fill = PatternFill("solid", fgColor="E7ECF3")
        cell.border = Border(left=line, right=line, top=line, bottom=line)
        letter = column_letter(column)
        if column == 1:
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            sheet.column_dimensions[letter].width = CATEGORY_WIDTH
        else:
            # Upright text: "法工委/抓基层党建工作" reads top to bottom over a narrow column.
            cell.alignment = Alignment(horizontal="center", vertical="bottom", text_rotation=255)
            comment = text.endswith("/" + COMMENT)
            (comment_columns if comment else grade_columns).append(column)
            sheet.column_dimensions[letter].width = COMMENT_WIDTH if comment else GRADE_WIDTH
    sheet.row_dimensions[1].height = 14 * max(len(n) for n in names) + 10
    sheet.freeze_panes = "B2"
    last = column_letter(len(names))
    for column in comment_columns:  # a comment wraps in its cell
        sheet.column_dimensions[column_letter(column)].alignment = Alignment(wrap_text=True)

    guide = book.create_sheet(t("template.guide_sheet"))
    categories = [c.name for c in meeting.categories]
    labels = choice_labels(meeting)
    lines = [
        t("template.guide_title", title=meeting.title),
        t("template.guide_rows"),
        t("template.guide_category", choices="、".join(categories)),
        (
            t(
                "template.guide_numeric",
                low=meeting.rules.numeric_range[0],
                high=meeting.rules.numeric_range[1],
            )
            if meeting.rules.layout == Layout.NUMERIC
            else t("template.guide_grades", choices="、".join(labels))
        ),
        t("template.guide_blank"),
        t("template.guide_comments"),
        t("template.guide_columns"),
        t("template.guide_import"),
        "",
        t("template.list_categories"),
        *categories,
        "",
        t("template.list_grades"),
        *labels,
    ]
    for row, text in enumerate(lines, 1):
        guide.cell(row=row, column=1, value=text).alignment = Alignment(
            wrap_text=True, vertical="top"
        )
        # Spreadsheets do not grow a row for wrapped text by themselves: two width units
        # for a Chinese character, the column's width a line.
        units = sum(2 if ord(char) > 0x2E80 else 1 for char in text)
        guide.row_dimensions[row].height = 16 * max(1, -(-units // (GUIDE_WIDTH - 4))) + 2
    guide.column_dimensions["A"].width = GUIDE_WIDTH
    guide["A1"].font = Font(name="宋体", size=14, bold=True)
    first_category = lines.index(t("template.list_categories")) + 2
    first_grade = lines.index(t("template.list_grades")) + 2
    title = guide.title

    # Lists live on the 说明 sheet (an inline list is limited to 255 characters).
    category_list = DataValidation(
        type="list",
        formula1=f"'{title}'!$A${first_category}:$A${first_category + len(categories) - 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=t("template.error_title"),
        error=t("template.error_category"),
    )
    category_list.add(f"A2:A{TEMPLATE_ROWS}")
    sheet.add_data_validation(category_list)
    if meeting.rules.layout == Layout.NUMERIC:
        low, high = meeting.rules.numeric_range
        grade_check = DataValidation(
            type="decimal",
            operator="between",
            formula1=str(float(low)),
            formula2=str(float(high)),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=t("template.error_title"),
            error=t("template.error_number", low=low, high=high),
        )
    else:
        grade_check = DataValidation(
            type="list",
            formula1=f"'{title}'!$A${first_grade}:$A${first_grade + len(labels) - 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=t("template.error_title"),
            error=t("template.error_grade", choices="、".join(labels)),
        )
    for first, end in _runs(grade_columns):  # each subject's criteria; its comment is free text
        grade_check.add(f"{column_letter(first)}2:{column_letter(end)}{TEMPLATE_ROWS}")
    sheet.add_data_validation(grade_check)

    print_setup(sheet, f"A1:{last}{1 + PRINT_ROWS}", landscape=True, fit=False)
    sheet.print_title_rows = "1:1"
    sheet.print_title_cols = "A:A"
    sheet.page_setup.scale = PRINT_SCALE
    sheet.print_options.gridLines = True  # an empty grid to read the rows by
    for column in _page_breaks(names):
        sheet.col_breaks.append(Break(id=column))
    print_setup(guide, f"A1:A{len(lines)}", landscape=False)
    book.save(str(path))


def _page_breaks(names: list[str]) -> list[int]:
    """The columns after which a printed page ends: whole subjects on every page."""
    groups: list[tuple[int, float]] = []  # (a subject's last column, its width)
    width = 0.0
    for column, text in enumerate(names[1:], 2):
        comment = text.endswith("/" + COMMENT)
        width += COMMENT_WIDTH if comment else GRADE_WIDTH
        if comment:
            groups.append((column, width))
            width = 0.0
    breaks = []
    used = 0.0
    previous = 0
    for last, group_width in groups:
        if used and CATEGORY_WIDTH + used + group_width > PAGE_WIDTH:
            breaks.append(previous)
            used = 0.0
        used += group_width
        previous = last
    return breaks


def _runs(columns: list[int]) -> list[tuple[int, int]]:
    """Consecutive columns as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for column in columns:
        if runs and runs[-1][1] == column - 1:
            runs[-1] = (runs[-1][0], column)
        else:
            runs.append((column, column))
    return runs


def print_setup(
    sheet: Worksheet, area: str, *, landscape: bool, margins: float = 0.5, fit: bool = True
) -> None:
    """A4, one page wide (as many pages down as it takes) unless `fit` is off, pages
    numbered 第 N 页 共 M 页. Shared by the workbooks people print (the ledger too)."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.print_area = area
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    if fit:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins.left = sheet.page_margins.right = margins
    sheet.page_margins.top = sheet.page_margins.bottom = margins + 0.25
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    footer = sheet.oddFooter
    assert footer is not None  # a new sheet has every header and footer
    footer.center.text = t("template.page_footer")
