"""Workbook helpers every office sheet shares: fonts, borders, page setup for A4,
column widths that fit Chinese text, rows tall enough for wrapped text."""

from __future__ import annotations

import math
import unicodedata
import weakref
from collections.abc import Container, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from core.i18n import t

if TYPE_CHECKING:
    from openpyxl import Workbook

    from core.office.data import CellValue

THIN = Side(style="thin", color="808080")

BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

HEAD_FILL = PatternFill("solid", fgColor="E7ECF3")

FONT = "宋体"

WARN_FONT = Font(name=FONT, size=11, bold=True, color="C00000")

PERCENT = "0.0%"


def text_width(value: object) -> int:
    """Columns a text needs in Excel: a Chinese character is two."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def page_setup(sheet: Worksheet, landscape: bool = True, *, one_page: bool = False) -> None:
    """A4, one page wide (`one_page`: and one page tall), centred, numbered
    "第 1 页 共 3 页" at the foot."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages down as it needs
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.footer = 0.25
    footer = sheet.oddFooter
    assert footer is not None  # a new sheet has every header and footer
    footer.center.text = t("xlsx.footer")  # &P this page, &N the number of pages


def mark_fingerprint(book: Workbook, code: str) -> None:
    """The result's fingerprint in the workbook's properties (标记) as well as on its
    sheets: `sanshu tally --check` finds it even after the sheets were edited."""
    book.properties.keywords = t("fingerprint.line", code=code)


def write_lines(sheet: Worksheet, top: int, width: int, lines: list[tuple[str, Font]]) -> int:
    """Full-width merged lines (title, meeting, notes); returns the next free row."""
    for offset, (text, font) in enumerate(lines):
        row = top + offset
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(
            horizontal="center" if font.size and font.size >= 14 else "left",
            vertical="center",
            wrap_text=True,
        )
        if font.size and font.size >= 14:
            sheet.row_dimensions[row].height = 30 if width > 8 else 44  # narrow: two lines
    return top + len(lines)


def cell_value(value: CellValue) -> tuple[str | int | float | None, str | None]:
    """What to store in a cell and its number format."""
    if isinstance(value, Fraction):  # a vote share
        return float(value), PERCENT
    if isinstance(value, Decimal):  # a reported score: keep its digits on screen
        exponent = value.as_tuple().exponent  # a letter only for NaN and infinities
        digits = -exponent if isinstance(exponent, int) else 0
        return float(value), "0." + "0" * digits if digits > 0 else "0"
    if isinstance(value, int) and not isinstance(value, bool):
        return value, "0"
    return value, None


def write_table(
    sheet: Worksheet,
    top: int,
    header: list[str],
    rows: Sequence[Sequence[CellValue]],
    *,
    max_width: int = 40,
    wrap_columns: Container[int] = frozenset(),
) -> None:
    """A bordered table with its header at row `top`, repeated on every printed page."""
    for column, text in enumerate(header, 1):
        cell = sheet.cell(row=top, column=column, value=text)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, top + 1):
        for column, raw in enumerate(row, 1):
            value, number_format = cell_value(raw)
            cell = sheet.cell(row=r, column=column, value=value)
            cell.font = Font(name=FONT)
            cell.border = BOX
            cell.alignment = Alignment(vertical="center", wrap_text=column in wrap_columns)
            if number_format:
                cell.number_format = number_format
    sheet.print_title_rows = f"{top}:{top}"
    for column, text in enumerate(header, 1):
        shown = [shown_width(row[column - 1]) for row in rows]
        # The header wraps onto two lines: half its width is enough, rounded up.
        longest = max([-(-text_width(text) // 2) + 1, *shown])
        letter = get_column_letter(column)
        # Several tables may share a column: it fits the widest.
        fitted = fitted_widths.setdefault(sheet, {})
        fitted[letter] = max(fitted.get(letter, 0), min(longest + 2, max_width))
        sheet.column_dimensions[letter].width = fitted[letter]


# Widths this module gave each sheet's columns (openpyxl reports 13 for a column never set).
fitted_widths: weakref.WeakKeyDictionary[Worksheet, dict[str, float]] = weakref.WeakKeyDictionary()


def shown_width(value: object) -> int:
    if isinstance(value, Fraction):
        return 6  # 100.0%
    if isinstance(value, Decimal):
        return len(str(value))
    if isinstance(value, float):  # a mean or weight, shown with at most 4 decimals
        return len(f"{value:.4f}")
    return text_width(value)


def fit_row_heights(sheet: Worksheet) -> None:
    """Rows tall enough for their wrapped text: neither Excel nor LibreOffice grows a row
    for a merged cell, and a fixed-height row would let text spill over the next one."""
    merged = {(r.min_row, r.min_col): r for r in sheet.merged_cells.ranges}

    def width_of(column: int) -> float:
        letter = get_column_letter(column)
        if letter in sheet.column_dimensions and sheet.column_dimensions[letter].width:
            return sheet.column_dimensions[letter].width
        return 8.43  # Excel's default column

    for number, row in enumerate(sheet.iter_rows(), 1):  # every row from the first
        needed = 0.0
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            span = merged.get((cell.row, cell.column))
            columns = range(span.min_col, span.max_col + 1) if span else [cell.column]
            room = sum(width_of(c) for c in columns) - 1
            size = float(cell.font.size or 11)
            lines = max(1, math.ceil(text_width(cell.value) * size / 11 / room))
            needed = max(needed, lines * size * 1.45)
        if needed:
            current = sheet.row_dimensions[number].height or 0
            sheet.row_dimensions[number].height = max(current, needed)
