"""The podium's layout follows the phase; nothing the host needs is ever out of view."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from core.counts import Counts
from core.i18n import t
from core.record import Record
from tui.host import HostApp
from tui.widgets.cjk_wrap import NO_LINE_START, wrap_cjk
from tui.widgets.confirm import Confirm
from tui.widgets.entry_list import EntryList, window
from tui.widgets.turnout import turnout_text


def add_questions(store, count: int, asking: int) -> list[int]:
    record = Record(store)
    ids = [
        record.add_question(
            "法工委",
            "高天庚",
            "请问，在立法工作中，如何坚持全过程人民民主，确保每一项立法都更好体现人民意志？",
        )
        for _ in range(count)
    ]
    record.mark_asking(ids[asking])
    return ids


@pytest.mark.parametrize("size", [(80, 24), (200, 60), (60, 20)])
@pytest.mark.parametrize("asking", [0, 12, 25])
async def test_the_asked_question_is_always_in_view(demo_db, clock, store, size, asking):
    add_questions(store, 26, asking)
    store.move(2)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.2)
        panel = app.query_one("#questions-panel", EntryList)
        lines = str(panel.render()).splitlines()
        assert panel.content_size.height >= 8  # the phase's panel is the large one
        assert any(line.startswith(f"▶{asking + 1:>2}. ") for line in lines), lines
        numbers = [line[1:3].strip() for line in lines if line[1:3].strip().isdigit()]
        if numbers[0] != "1":  # clipped above: said so
            assert lines[0] == f"↑ 还有 {int(numbers[0]) - 1} 条"
        if numbers[-1] != "26":
            assert lines[-1] == f"↓ 还有 {26 - int(numbers[-1])} 条"


def test_the_window_keeps_the_focus_and_counts_what_is_clipped():
    assert window([2] * 26, 25, 20) == (17, 26)  # the last, and as many before as fit
    assert window([2] * 26, 0, 20) == (0, 9)  # the first, then the queue after it
    first, end = window([2] * 26, 12, 20)
    assert first < 12 < end and 2 * (end - first) + 2 <= 20


async def test_commentary_phase_shows_the_latest_entries_large(demo_db, clock, store):
    record = Record(store)
    for n in range(25):
        record.add_commentary("法工委", "李清", f"第{n + 1}条点评")
    store.move(1)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        lines = str(app.query_one("#commentary-panel", EntryList).render()).splitlines()
        assert len(lines) >= 8
        assert lines[-1] == "李清：第25条点评"  # the latest is in view
        assert lines[0].startswith("↑ 还有")


@pytest.mark.parametrize(
    "key",
    ["poll.close_confirm", "guard.leave_open_scoring", "timer.reset_confirm", "quit.confirm"],
)
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_no_dialog_line_starts_with_punctuation(demo_db, clock, key, size):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=size) as pilot:
        app.push_screen(Confirm(t(key)))
        await pilot.pause(0.2)
        shown = str(app.screen.query_one("#question").render())
        assert shown.replace("\n", "") == t(key).replace("\n", "")  # nothing lost
        for line in shown.splitlines():
            assert not line or line[0] not in NO_LINE_START, shown


def test_wrap_pulls_a_character_down_with_the_punctuation():
    assert wrap_cjk("确定结束测评吗。", 14) == "确定结束测评\n吗。"
    wrapped = wrap_cjk("一二三四五，六七八九十。", 10).split("\n")
    assert all(cell_len(line) <= 10 for line in wrapped)


def test_turnout_bars_line_up_for_zero_and_full(store):
    counts = Counts(
        signature=(),
        turnout={"党组成员": (0, 24), "党员代表": (24, 24), "机关纪委委员": (5, 7)},
        pending_paper=0,
        tally=None,
    )
    lines = turnout_text(counts, "open", 55).plain.splitlines()[1:]
    assert len({cell_len(line) for line in lines}) == 1  # same width: centred, still aligned
    starts = {cell_len(line[: min(line.find(c) % 999 for c in "█░")]) for line in lines}
    assert len(starts) == 1


async def test_the_agenda_scrolls_its_current_row_into_view(demo_db, clock, store):
    store.move(13)  # results: below the on-site subjects
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(80, 14)) as pilot:
        await pilot.pause(0.3)
        agenda = app.query_one("#agenda")
        text = str(app.query_one("#agenda-lines").render()).splitlines()
        row = next(n for n, line in enumerate(text) if line.startswith(" ▶"))
        height = agenda.scrollable_content_region.height
        assert agenda.scroll_y <= row < agenda.scroll_y + height
