"""The ledger screen driven as the office would: add, edit, filter, close."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Input, Select

from core.ledger.ledger import Ledger
from core.meeting.store import MeetingStore
from tests.conftest import seen
from tui.ledger import LedgerApp


def _rows(app: LedgerApp) -> list[list[str]]:
    table = app.query_one("#items", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_add_an_item_through_the_form(demo_db, clock):
    app = LedgerApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-subject", Select).value = "人事室"
        form.query_one("#f-problem", Input).value = "干部档案管理不规范"
        form.query_one("#f-deadline", Input).value = "明年"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # a bad date keeps the form and what was typed
        assert form.query_one("#f-problem", Input).value == "干部档案管理不规范"
        form.query_one("#f-deadline", Input).value = "2024年6月30日"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        assert _rows(app)[0][:4] == ["人事室", "1", "自查", "干部档案管理不规范"]
    with MeetingStore(demo_db) as store:
        item = Ledger(store).items()[0]
    assert item.deadline == dt.date(2024, 6, 30)


async def test_overdue_stands_out_filters_and_close(demo_db, clock):
    with MeetingStore(demo_db, clock=clock) as store:
        ledger = Ledger(store)
        ledger.add("法工委", problem="学习不够深入", deadline=dt.date(2024, 1, 31))
        ledger.add("人事室", problem="制度不健全", deadline=dt.date(2024, 12, 31))
    clock.now = dt.datetime(2024, 3, 1, 10, 0).timestamp()
    app = LedgerApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        rows = _rows(app)
        assert "逾期" in rows[0][5] and "逾期" not in rows[1][5]
        table = app.query_one("#items", DataTable)
        deadline_cell = table.get_row_at(0)[5]
        assert "red" in str(deadline_cell.style)

        await pilot.press("o")  # overdue only
        await pilot.pause()
        assert [r[0] for r in _rows(app)] == ["法工委"]

        await pilot.press("c")  # 销号
        await pilot.pause()
        assert _rows(app) == []  # no longer overdue
        await pilot.press("o")
        await pilot.pause()
        assert _rows(app)[0][6] == "已销号"

        app.query_one("#subject", Select).value = "人事室"
        await pilot.pause()
        assert [r[0] for r in _rows(app)] == ["人事室"]
    with MeetingStore(demo_db) as store:
        assert Ledger(store).items("法工委")[0].closed_on == dt.date(2024, 3, 1)
        assert [e.kind for e in store.events("ledger.closed")] == ["ledger.closed"]


async def test_another_process_sees_the_change(demo_db, clock):
    app = LedgerApp(demo_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert _rows(app) == []
        with MeetingStore(demo_db, clock=clock) as other:
            Ledger(other).add("法工委", problem="调研不够")
        await seen(pilot)
        assert _rows(app)[0][0] == "法工委"


async def test_m_marks_a_carried_item_answered(demo_db, clock):
    with MeetingStore(demo_db, clock=clock) as store:
        ledger = Ledger(store)
        own = ledger.add("法工委", problem="今年的问题")
        carried = ledger.add("法工委", problem="上年的问题", carried_from="2023年度会议")
    app = LedgerApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        assert _rows(app)[1][1] == "2↩"  # a carried item is marked
        await pilot.press("m")  # on this year's own item: nothing to mark
        await pilot.press("down", "m")
        await pilot.pause()
        assert "已在会上答复" in str(app.query_one("#detail").render())
    with MeetingStore(demo_db) as store:
        ledger = Ledger(store)
        assert ledger.item(carried).answered_at is not None
        assert ledger.item(own).answered_at is None


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_ledger_screen_snapshot(snap_compare, demo_db, clock, size):
    """How the ledger looks with an overdue, a closed and a carried item (clock frozen)."""
    with MeetingStore(demo_db, clock=clock) as store:
        ledger = Ledger(store)
        ledger.add(
            "法工委",
            source="点评",
            problem="理论学习抓得实，调研成果转化不够",
            measure="建立调研成果转化台账，每季度通报",
            owner="法工委主任",
            deadline=dt.date(2024, 1, 31),
        )
        ledger.add(
            "教科文卫办", source="询问", problem="风险点排查不全", deadline=dt.date(2024, 6, 30)
        )
        done = ledger.add("人事室", problem="培训针对性不强", deadline=dt.date(2024, 5, 31))
        ledger.close(done, dt.date(2024, 2, 20))
        ledger.add("信息中心", problem="信息安全管理漏洞", carried_from="2022年度会议")
    clock.now = dt.datetime(2024, 3, 1, 10, 0).timestamp()
    assert snap_compare(LedgerApp(demo_db, clock=clock), terminal_size=size)


async def test_the_clerks_l_key_drafts_the_selected_entry_into_the_ledger(demo_db, clock, store):
    from textual.widgets import ListView

    from core.record.entries import Record
    from tui.clerk import ClerkApp
    from tui.widgets.entry import EntryArea

    record = Record(store)
    record.add_question("法工委", "高天庚", "风险点排查是否全覆盖？")
    record.add_commentary("法工委", "李清", "调研成果转化不够")
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        app.query_one("#question-text", EntryArea).focus()
        await pilot.press("l")  # typing: an l in the question box, nothing drafted
        assert Ledger(store).items() == []
        app.query_one("#question-list", ListView).focus()
        await pilot.pause()
        await pilot.press("l")
        await pilot.press("l")  # twice: still one item
        await pilot.press("f2")
        app.query_one("#commentary-list", ListView).focus()
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
    items = Ledger(store).items()
    assert [(i.subject, i.source) for i in items] == [("法工委", "询问"), ("法工委", "点评")]
    assert "风险点排查是否全覆盖" in items[0].problem and "调研成果转化不够" in items[1].problem
    assert all(e.actor == "clerk" for e in store.events("ledger.added"))
