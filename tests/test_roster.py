"""The roster from Excel: the template, a demo meeting built from it, every bad-roster
problem listed at once with sheet and cell, nothing created from a bad roster."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sanshu_data import demo_meeting_path

from core.errors import ImportProblems
from core.meeting.file import load_meeting
from core.meeting.store import MeetingStore
from core.office.roster import read_roster, write_template
from tui.cli import run


@pytest.fixture
def demo_roster(tmp_path: Path) -> Path:
    path = tmp_path / "名单.xlsx"
    write_template(path, load_meeting(demo_meeting_path()))
    return path


def test_template_has_the_sheets_columns_and_dropdowns(tmp_path):
    path = tmp_path / "名单.xlsx"
    assert run(["roster", "template", "--out", str(path)]) == 0
    book = load_workbook(path)
    assert book.sheetnames == ["述职对象", "测评人类别", "说明"]
    assert [c.value for c in book["述职对象"][1]] == [
        "序号",
        "述职对象",
        "单位",
        "方式",
        "日常考核",
    ]
    assert [c.value for c in book["测评人类别"][1]] == ["类别", "权重", "应到人数"]
    lists = [v for v in book["述职对象"].data_validations.dataValidation if v.type == "list"]
    assert lists and lists[0].formula1 == '"现场,书面"' and "D2" in str(lists[0].sqref)


def test_the_demo_meeting_built_from_the_roster_is_the_demo_meeting(demo_roster, tmp_path):
    db = tmp_path / "r.db"
    code = run(["init", str(demo_meeting_path()), "--roster", str(demo_roster), "--db", str(db)])
    assert code == 0
    demo = load_meeting(demo_meeting_path())
    with MeetingStore(db) as store:
        built = store.meeting
    assert [(s.name, s.unit, s.mode, s.daily) for s in built.onsite + built.written] == [
        (s.name, s.unit, s.mode, s.daily) for s in demo.onsite + demo.written
    ]
    assert built.categories == demo.categories  # weights exact: 0.15 stays 15/100
    assert built.criteria == demo.criteria and built.rules == demo.rules


def _edit(path: Path, sheet: str, cells: dict[str, object]) -> None:
    book = load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref] = value
    book.save(path)


def test_every_problem_is_listed_with_sheet_and_cell_and_nothing_is_created(
    demo_roster, tmp_path, capsys
):
    _edit(
        demo_roster,
        "述职对象",
        {
            "D3": "视频",  # unknown 方式
            "B4": "法工委",  # a duplicate name (first at B2)
            "E5": "九十",  # a bad number
            "E6": 120,  # out of range
        },
    )
    _edit(demo_roster, "测评人类别", {"B2": 0.3, "C3": "很多"})  # weights sum 1.05; bad count
    with pytest.raises(ImportProblems) as caught:
        read_roster(demo_roster)
    lines = caught.value.lines[1:]
    assert any(line.startswith("述职对象!D3") and "视频" in line for line in lines)
    assert any(line.startswith("述职对象!B4") and "B2" in line for line in lines)
    assert any(line.startswith("述职对象!E5") and "九十" in line for line in lines)
    assert any(line.startswith("述职对象!E6") and "120" in line for line in lines)
    assert any(line.startswith("测评人类别!C3") and "很多" in line for line in lines)
    assert any("测评人类别!B" in line and "1.05" in line for line in lines)
    assert len(lines) == 6

    db = tmp_path / "bad.db"
    code = run(["init", str(demo_meeting_path()), "--roster", str(demo_roster), "--db", str(db)])
    assert code == 1
    assert not db.exists()  # nothing half-created
    assert "述职对象!D3" in capsys.readouterr().err


def test_missing_sheet_and_column_are_named(tmp_path):
    path = tmp_path / "名单.xlsx"
    write_template(path)
    book = load_workbook(path)
    del book["测评人类别"]
    book["述职对象"]["D1"] = "形式"
    book.save(path)
    with pytest.raises(ImportProblems) as caught:
        read_roster(path)
    text = "\n".join(caught.value.lines)
    assert "测评人类别" in text and "方式" in text


def test_no_onsite_subject_is_a_problem(demo_roster):
    _edit(demo_roster, "述职对象", {f"D{row}": "书面" for row in range(2, 6)})
    with pytest.raises(ImportProblems, match="现场"):
        read_roster(demo_roster)
