"""The empty ballot workbook the office fills by hand or hands out."""

from __future__ import annotations

from pathlib import Path

from core.ballots.importing import header
from core.ballots.items import choice_labels
from core.ballots.table import BALLOT_SHEET, column_letter
from core.i18n import t
from core.meeting.model import Layout
from core.meeting.store import MeetingStore

TEMPLATE_ROWS = 1000


def write_template(store: MeetingStore, path: Path) -> None:
    """The empty ballot workbook: a 测评票 sheet with dropdowns of the meeting's categories
    and grades, a frozen header, readable widths; and a 说明 sheet saying how to fill it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

    meeting = store.meeting
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = BALLOT_SHEET
    names = header(store)
    for column, text in enumerate(names, 1):
        cell = sheet.cell(row=1, column=column, value=text)
        cell.font = Font(name="宋体", bold=True)
        cell.fill = PatternFill("solid", fgColor="E7ECF3")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[column_letter(column)].width = 16 if column == 1 else 14
    sheet.row_dimensions[1].height = 48  # "subject/criterion" wraps onto three lines
    sheet.freeze_panes = "B2"
    last = column_letter(len(names))

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
        guide.cell(row=row, column=1, value=text).alignment = Alignment(wrap_text=True)
    guide.column_dimensions["A"].width = 90
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
    if len(names) > 1:
        grade_check.add(f"B2:{last}{TEMPLATE_ROWS}")
    sheet.add_data_validation(grade_check)
    book.save(str(path))
