"""The ledger as a workbook that travels: exported by the office, filled in by the
subjects (进展, 佐证材料, ...), imported again.

The export keeps a hidden sheet with every value as it was exported. On import a
cell that differs from that original is the subject's edit; if the database has
changed the same field since the export too, the edit conflicts and the import
refuses it, naming the cell. Nothing is ever overwritten silently, nothing is
dropped without a line that names it (too many rows, an id twice, a formula whose
value was never saved), and nothing is stored unless the whole workbook is clean.

It prints as it is filed: one sheet, A4 landscape, one page wide, the 填写说明 above
the table, the header repeated on every page, pages numbered 第 N 页 共 M 页.
Reading it back is core/ledger/reimport.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.ballots.template import print_setup
from core.i18n import t
from core.ledger.items import (
    COMPLETIONS,
    EDITABLE,
    HEADINGS,
    SOURCES,
    LedgerItem,
)
from core.ledger.ledger import Ledger, today_of

SHEET = "整改台账"
BASE_SHEET = "原值"  # hidden: the values as exported
ID_HEADING = "编号"
COLUMNS = ("id", "seq", "subject", *EDITABLE)
# About 133 width units in all: the sheet prints one page wide at close to full size
# (A4 landscape holds about 110 at 100 %); long text wraps into taller rows.
WIDTHS = {
    "id": 6,
    "seq": 5,
    "subject": 11,
    "source": 7,
    "problem": 23,
    "measure": 21,
    "owner": 8,
    "deadline": 10.5,
    "progress": 17,
    "completion": 8,
    "evidence": 12,
    "closed_on": 10.5,
}
DATE_FIELDS = ("deadline", "closed_on")
BODY_FONT = "宋体"
HEADER_ROW = 4  # row 1 the title, row 2 the date line, row 3 the 填写说明
HEADER_SEARCH = 20  # a workbook exported before (header on row 3) still imports
MAX_ROWS = 5000  # items in one workbook; more is refused with the count
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_INFLATED = 200 * 1024 * 1024


def column_heading(name: str) -> str:
    return ID_HEADING if name == "id" else HEADINGS[name]


def _cell_value(item: LedgerItem, name: str) -> Any:
    value = getattr(item, name)
    return value if value is not None else None


def write_ledger(ledger: Ledger, path: Path, subject: str | None = None) -> int:
    """Write the ledger (or one subject's part); returns the number of items."""
    store = ledger.store
    today = today_of(store)
    items = ledger.items(subject=subject)
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = SHEET
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(COLUMNS))

    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = f"{store.meeting.title} 整改台账" + (f"（{subject}）" if subject else "")
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"] = t("ledgerbook.dateline", date=today.isoformat())
    sheet["A2"].font = Font(name=BODY_FONT, size=10, color="606060")
    notes = t("ledgerbook.notes")
    sheet.merge_cells(f"B3:{last}3")  # A is hidden: the notes start where the table does
    sheet["B3"] = notes
    sheet["B3"].font = Font(name=BODY_FONT, size=10)
    sheet["B3"].alignment = Alignment(wrap_text=True, vertical="top")
    across = sum(WIDTHS[name] for name in COLUMNS[1:])
    sheet.row_dimensions[3].height = (
        15.0 * sum(_lines(line, across) for line in notes.split("\n")) + 6
    )

    for column, name in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=column_heading(name))
        cell.font = Font(name=BODY_FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[name]
    sheet.column_dimensions["A"].hidden = True  # the id: how the import finds the item

    overdue_fill = PatternFill("solid", fgColor="F8CBAD")
    for row, item in enumerate(items, HEADER_ROW + 1):
        late = item.overdue(today)
        for column, name in enumerate(COLUMNS, 1):
            cell = sheet.cell(row=row, column=column, value=_cell_value(item, name))
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.font = Font(name=BODY_FONT)
            cell.border = border
            if item.closed:
                cell.font = Font(name=BODY_FONT, color="808080")  # done: steps back
            if name in DATE_FIELDS:
                cell.number_format = "yyyy-mm-dd"
            if late and name == "deadline":
                cell.fill = overdue_fill
                cell.font = Font(name=BODY_FONT, bold=True, color="C00000")
        sheet.row_dimensions[row].height = _row_height(item)

    end = max(HEADER_ROW + len(items) + 200, HEADER_ROW + 1)
    for name, choices in (("source", SOURCES), ("completion", COMPLETIONS)):
        letter = get_column_letter(COLUMNS.index(name) + 1)
        rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"')
        rule.error = t("ledgerbook.choose", choices=" / ".join(choices))
        rule.showErrorMessage = True
        sheet.add_data_validation(rule)
        rule.add(f"{letter}{HEADER_ROW + 1}:{letter}{end}")
    for name in DATE_FIELDS:
        letter = get_column_letter(COLUMNS.index(name) + 1)
        for row in range(HEADER_ROW + 1 + len(items), end + 1):
            sheet[f"{letter}{row}"].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=4).coordinate
    sheet.auto_filter.ref = f"B{HEADER_ROW}:{last}{HEADER_ROW + max(len(items), 1)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    print_setup(sheet, f"A1:{last}{HEADER_ROW + max(len(items), 1)}", landscape=True, margins=0.4)

    base = book.create_sheet(BASE_SHEET)
    base.append(list(COLUMNS))
    for item in items:
        base.append([item.value(name) if name != "id" else item.id for name in COLUMNS])
    base.sheet_state = "hidden"
    book.save(str(path))
    return len(items)


def _row_height(item: LedgerItem) -> float:
    """Spreadsheets do not grow a row for wrapped text by themselves: estimate the lines
    (a Chinese character is two width units) and give the row their height."""
    lines = max(_lines(item.value(name), WIDTHS[name]) for name in COLUMNS[3:])
    return 15.0 * lines + 3


def _lines(text: str, width: float) -> int:
    """Lines a text wraps to in a column (a Chinese character is two width units)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return max(1, -(-units // max(int(width) - 1, 1)))
