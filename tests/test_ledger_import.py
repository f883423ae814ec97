"""The ledger import drops nothing without a line that names it (#20 §5), and the
ledger workbook prints as it is filed (#21 §5)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from openpyxl import load_workbook

from core.errors import ImportProblems
from core.ledger.ledger import Ledger
from core.ledger.reimport import plan_import
from core.ledger.workbook import HEADER_ROW, MAX_ROWS, SHEET, write_ledger
from tui.cli import run


@pytest.fixture
def ledger(store) -> Ledger:
    ledger = Ledger(store)
    ledger.add("法工委", source="点评", problem="理论学习不够深入", deadline=dt.date(2024, 3, 31))
    ledger.add("人事室", problem="干部档案管理不规范", deadline=dt.date(2024, 6, 30))
    return ledger


def _headings(sheet, row: int = HEADER_ROW) -> dict[str, int]:
    return {sheet.cell(row=row, column=c).value: c for c in range(1, sheet.max_column + 1)}


def exported(ledger, tmp_path):
    """The exported workbook, open to edit as a subject would: (path, book, sheet, columns)."""
    path = tmp_path / "台账.xlsx"
    write_ledger(ledger, path)
    book = load_workbook(path)
    sheet = book[SHEET]
    return path, book, sheet, _headings(sheet)


def _ledger_rows(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM ledger").fetchone()[0]


def test_more_rows_than_an_import_takes_are_refused_with_the_count(demo_db, ledger, tmp_path):
    path, book, sheet, columns = exported(ledger, tmp_path)
    first = sheet.max_row + 1
    for row in range(first, first + 10_000):  # 10,000 new 自查 items
        sheet.cell(row=row, column=columns["述职对象"], value="法工委")
        sheet.cell(row=row, column=columns["问题"], value=f"自查问题 {row}")
    book.save(path)
    before = _ledger_rows(demo_db)
    with pytest.raises(ImportProblems) as refused:
        plan_import(ledger, path)
    [line] = refused.value.lines
    assert "10002 行" in line and f"上限 {MAX_ROWS} 行" in line and "未导入任何内容" in line
    assert run(["ledger", "import", "--db", str(demo_db), str(path)]) == 1
    assert _ledger_rows(demo_db) == before


def test_two_rows_with_one_id_are_refused_naming_both(demo_db, ledger, tmp_path, capsys):
    path, book, sheet, columns = exported(ledger, tmp_path)
    copy = sheet.max_row + 1
    for column in range(1, sheet.max_column + 1):  # the first item's row, pasted again
        sheet.cell(
            row=copy, column=column, value=sheet.cell(row=HEADER_ROW + 1, column=column).value
        )
    sheet.cell(row=HEADER_ROW + 1, column=columns["进展"], value="已学习两次")
    sheet.cell(row=copy, column=columns["进展"], value="已学习三次")
    book.save(path)
    assert run(["ledger", "import", "--db", str(demo_db), str(path)]) == 1
    err = capsys.readouterr().err
    assert f"A{copy}：编号" in err and f"在第 {HEADER_ROW + 1} 行已出现过" in err
    assert "台账未作任何修改" in err
    assert [i.progress for i in ledger.items()] == ["", ""]


def test_a_formula_without_a_saved_value_is_refused_cell_by_cell(demo_db, ledger, tmp_path, capsys):
    path, book, sheet, columns = exported(ledger, tmp_path)
    sheet.cell(row=HEADER_ROW + 1, column=columns["进展"], value='=CONCAT("已","完成")')
    sheet.cell(row=HEADER_ROW + 2, column=columns["佐证材料"], value="=1+1")
    book.save(path)  # openpyxl saves formulas without a value, as a script would
    assert run(["ledger", "import", "--db", str(demo_db), str(path)]) == 1
    err = capsys.readouterr().err
    progress = sheet.cell(row=HEADER_ROW + 1, column=columns["进展"]).coordinate
    evidence = sheet.cell(row=HEADER_ROW + 2, column=columns["佐证材料"]).coordinate
    assert f"{progress}：公式没有保存计算结果" in err and f"{evidence}：公式没有保存计算结果" in err
    assert [i.progress for i in ledger.items()] == ["", ""]


def test_a_workbook_exported_before_the_notes_moved_still_imports(ledger, tmp_path):
    """Workbooks exported by the previous release have their header on row 3."""
    path = tmp_path / "台账.xlsx"
    write_ledger(ledger, path)
    book = load_workbook(path)
    sheet = book[SHEET]
    [notes] = [r for r in sheet.merged_cells.ranges if r.min_row == 3]
    sheet.unmerge_cells(str(notes))
    sheet.delete_rows(3)  # no 填写说明 row: the header moves up to row 3
    columns = _headings(sheet, 3)
    sheet.cell(row=4, column=columns["进展"], value="已开展集中学习")
    book.save(path)
    plan = plan_import(ledger, path)
    assert plan.problems == []
    assert [(c.field, c.new, c.cell) for c in plan.changes] == [
        ("progress", "已开展集中学习", f"{sheet.cell(row=4, column=columns['进展']).coordinate}")
    ]


def test_the_ledger_prints_one_page_wide_with_its_notes_on_the_sheet(ledger, tmp_path):
    path = tmp_path / "台账.xlsx"
    write_ledger(ledger, path)
    book = load_workbook(path)
    assert book.sheetnames == [SHEET, "原值"]  # no separate 说明 page to print
    assert book["原值"].sheet_state == "hidden"
    sheet = book[SHEET]
    assert "整改台账填写说明" in sheet["B3"].value and sheet["B3"].alignment.wrap_text
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    # Narrow enough to print at close to full size: about 133 width units in all.
    widths = [
        sheet.column_dimensions[sheet.cell(row=HEADER_ROW, column=c).column_letter].width
        for c in range(2, sheet.max_column + 1)
    ]
    assert sum(widths) <= 135
