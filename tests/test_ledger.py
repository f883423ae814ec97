"""The rectification ledger: items, audit events, overdue, the workbook round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.errors import ImportProblems, StoreError
from core.ledger.ledger import Ledger, draft_from_commentary, draft_from_question
from core.ledger.reimport import apply_import, plan_import
from core.ledger.workbook import HEADER_ROW, SHEET, write_ledger
from core.record.entries import Record
from tui.cli import run


@pytest.fixture
def ledger(store) -> Ledger:
    return Ledger(store)


def _seed(ledger: Ledger) -> tuple[int, int]:
    first = ledger.add(
        "法工委",
        source="点评",
        problem="理论学习不够深入",
        measure="每月集中学习一次",
        owner="张主任",
        deadline=dt.date(2024, 3, 31),
    )
    second = ledger.add("人事室", problem="干部档案管理不规范", deadline=dt.date(2024, 6, 30))
    return first, second


def test_items_are_numbered_per_subject_and_every_change_is_an_audit_event(ledger, store):
    first, _ = _seed(ledger)
    third = ledger.add("法工委", problem="调研不够")
    assert [(i.subject, i.seq) for i in ledger.items()] == [
        ("法工委", 1),
        ("法工委", 2),
        ("人事室", 1),
    ]
    assert ledger.item(third).source == "自查"

    changed = ledger.edit(first, {"progress": "已开展两次集中学习", "owner": "张主任"})
    assert changed == {"progress": ("", "已开展两次集中学习")}  # unchanged owner not logged
    ledger.close(first, dt.date(2024, 3, 20))
    assert ledger.item(first).closed_on == dt.date(2024, 3, 20)
    assert ledger.item(first).completion == "已完成"

    kinds = [e.kind for e in store.events("ledger.")]
    assert kinds == ["ledger.added"] * 3 + ["ledger.edited", "ledger.closed"]
    edited = store.events("ledger.edited")[0].payload
    assert edited["changes"] == {"progress": ["", "已开展两次集中学习"]}


def test_bad_values_are_refused_with_the_column_named(ledger):
    with pytest.raises(StoreError, match="问题来源"):
        ledger.add("法工委", source="听说", problem="x")
    with pytest.raises(StoreError, match="问题"):
        ledger.add("法工委", problem="  ")
    with pytest.raises(StoreError, match="没有这个述职对象"):
        ledger.add("不存在", problem="x")
    assert ledger.items() == []


def test_overdue_with_a_frozen_clock(ledger, clock):
    first, second = _seed(ledger)  # deadlines 2024-03-31 and 2024-06-30
    clock.now = dt.datetime(2024, 4, 1, 9, 0).timestamp()
    assert [i.id for i in ledger.overdue()] == [first]
    clock.now = dt.datetime(2024, 7, 1, 9, 0).timestamp()
    assert [i.id for i in ledger.overdue()] == [first, second]
    ledger.close(first)
    assert [i.id for i in ledger.items(status="overdue")] == [second]
    assert [i.id for i in ledger.items(status="closed")] == [first]
    assert ledger.item(first).closed_on == dt.date(2024, 7, 1)


def test_overdue_command_lists_items_past_their_deadline(demo_db, capsys):
    from core.meeting.store import MeetingStore

    with MeetingStore(demo_db) as store:
        _seed(Ledger(store))
    assert run(["ledger", "overdue", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert "理论学习不够深入" in out and "干部档案管理不规范" in out  # the real clock is past 2024
    assert "逾期" in out


def test_commentary_and_question_become_draft_items_once(ledger, store):
    record = Record(store)
    comment_id = record.add_commentary("法工委", "李清", "基层党建工作抓得不够实")
    question_id = record.add_question("法工委", "高天庚", "廉政风险点排查是否全覆盖？")
    record.answer(question_id, "已排查 12 个风险点")
    comment = record.commentary("法工委")[0]
    question = record.questions("法工委")[0]

    item_id, created = ledger.add_draft(draft_from_commentary(comment))
    assert created
    again, created_again = ledger.add_draft(draft_from_commentary(comment))
    assert (again, created_again) == (item_id, False)
    asked_id, _ = ledger.add_draft(draft_from_question(question))

    item, asked = ledger.item(item_id), ledger.item(asked_id)
    assert (
        item.source == "点评"
        and "基层党建工作抓得不够实" in item.problem
        and "李清" in item.problem
    )
    assert asked.source == "询问" and "廉政风险点" in asked.problem
    assert "已排查 12 个风险点" in asked.measure
    assert item.origin == f"commentary:{comment_id}"


def _fill(path: Path, edits: dict[tuple[int, str], object], extra_row: list | None = None):
    """Edit the exported workbook as a subject would, by (item seq row, heading)."""
    book = load_workbook(path)
    sheet = book[SHEET]
    header = HEADER_ROW  # the title, the date line and the 填写说明 above it
    headings = {sheet.cell(row=header, column=c).value: c for c in range(1, sheet.max_column + 1)}
    for (row, heading), value in edits.items():
        sheet.cell(row=row, column=headings[heading], value=value)
    if extra_row:
        row = sheet.max_row + 1
        for heading, value in extra_row:
            sheet.cell(row=row, column=headings[heading], value=value)
    book.save(path)


def test_ledger_round_trip_through_xlsx(ledger, tmp_path):
    first, second = _seed(ledger)
    path = tmp_path / "台账.xlsx"
    assert write_ledger(ledger, path) == 2
    _fill(
        path,
        {
            (5, "进展"): "已开展两次集中学习",
            (5, "佐证材料"): "学习记录2份",
            (6, "时限"): "2024年9月30日",
        },
        extra_row=[("述职对象", "人事室"), ("问题", "保密培训次数少")],
    )
    plan = plan_import(ledger, path)
    assert plan.problems == []
    assert {(c.item_id, c.field, c.new) for c in plan.changes} == {
        (first, "progress", "已开展两次集中学习"),
        (first, "evidence", "学习记录2份"),
        (second, "deadline", "2024-09-30"),
    }
    assert [(n.subject, n.values["problem"]) for n in plan.new_items] == [
        ("人事室", "保密培训次数少")
    ]
    apply_import(ledger, plan)
    assert ledger.item(first).progress == "已开展两次集中学习"
    assert ledger.item(second).deadline == dt.date(2024, 9, 30)
    assert [i.problem for i in ledger.items("人事室")][-1] == "保密培训次数少"
    # Importing the same file again changes nothing new: the edits are already in.
    again = plan_import(ledger, path)
    assert again.changes == [] and again.problems == []


def test_a_conflicting_edit_is_refused_with_its_cell_and_nothing_is_stored(ledger, tmp_path):
    first, second = _seed(ledger)
    path = tmp_path / "台账.xlsx"
    write_ledger(ledger, path)
    ledger.edit(first, {"progress": "机关党办已督办"})  # the office, after the export
    _fill(path, {(5, "进展"): "已开展两次集中学习", (6, "佐证材料"): "制度文件"})

    plan = plan_import(ledger, path)
    assert len(plan.problems) == 1
    assert plan.problems[0].startswith("I5")  # 进展 of the first data row
    assert "机关党办已督办" in plan.problems[0] and "已开展两次集中学习" in plan.problems[0]
    with pytest.raises(ImportProblems):
        apply_import(ledger, plan)
    assert ledger.item(first).progress == "机关党办已督办"
    assert ledger.item(second).evidence == ""  # the clean edit was not half-applied


def test_import_command_shows_changes_and_refuses_bad_cells(demo_db, tmp_path, capsys):
    from core.meeting.store import MeetingStore

    with MeetingStore(demo_db) as store:
        _seed(Ledger(store))
    path = tmp_path / "台账.xlsx"
    assert run(["ledger", "export", "--db", str(demo_db), "--out", str(path)]) == 0
    _fill(path, {(5, "时限"): "明年春天", (6, "问题来源"): "听说"})
    assert run(["ledger", "import", "--db", str(demo_db), str(path)]) == 1
    err = capsys.readouterr().err
    assert "H5" in err and "明年春天" in err
    assert "D6" in err and "听说" in err

    path2 = tmp_path / "台账2.xlsx"
    run(["ledger", "export", "--db", str(demo_db), "--out", str(path2)])
    _fill(path2, {(5, "进展"): "已整改"})
    assert run(["ledger", "import", "--db", str(demo_db), str(path2), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "I5" in out and "已整改" in out
    with MeetingStore(demo_db) as store:
        assert Ledger(store).items()[0].progress == ""  # a dry run stores nothing
    assert run(["ledger", "import", "--db", str(demo_db), str(path2)]) == 0
    with MeetingStore(demo_db) as store:
        assert Ledger(store).items()[0].progress == "已整改"


def test_a_workbook_without_the_originals_is_refused(ledger, tmp_path):
    _seed(ledger)
    path = tmp_path / "台账.xlsx"
    write_ledger(ledger, path)
    book = load_workbook(path)
    del book["原值"]
    book.save(path)
    with pytest.raises(ImportProblems, match="原值"):
        plan_import(ledger, path)


def test_the_clerks_key_drafts_an_item_from_an_entry(store):
    from core.ledger.ledger import draft_entry, drafted_message

    record = Record(store)
    comment_id = record.add_commentary("人事室", "李清", "干部培训针对性不强")
    item, created = draft_entry(store, "commentary", comment_id)
    assert created and item.subject == "人事室" and item.source == "点评"
    assert "已列入整改台账" in drafted_message(item, created)
    again, created_again = draft_entry(store, "commentary", comment_id)
    assert again.id == item.id and not created_again
    assert "已在整改台账中" in drafted_message(again, created_again)
    record.delete_commentary(comment_id)
    with pytest.raises(StoreError):
        draft_entry(store, "commentary", comment_id)
