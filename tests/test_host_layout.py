"""The podium's layout follows the phase; nothing the host needs is ever out of view."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from core.ballots.turnout import Counts
from core.i18n import t
from core.meeting.store import MeetingStore
from core.record.entries import Record
from tests.conftest import laid_out, settle, shows, wait_until
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
        await laid_out(pilot, "#questions-panel")
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


async def test_a_long_queue_is_wrapped_only_where_it_shows(demo_db, clock, store, monkeypatch):
    """500 questions: drawing the panel wraps the entries on screen (and the few
    beside them), not the whole queue, and a podium key (+30 s) rebuilds no queue,
    so keys answer as fast with 500 questions as with 5 (#14 §5)."""
    import tui.widgets.entry_list as entry_list

    record = Record(store)
    subject = store.state().step.subject
    for n in range(500):
        record.add_question(subject, "高天庚", f"第{n}个问题：整改措施如何落实？")
    wrapped: list[str] = []
    wrap = entry_list.hanging

    def counting(prefix, body, width, console):
        wrapped.append(body.plain)
        return wrap(prefix, body, width, console)

    monkeypatch.setattr(entry_list, "hanging", counting)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await laid_out(pilot, "#questions-panel")
        panel = app.query_one("#questions-panel", EntryList)
        wrapped.clear()
        lines = panel.lines(panel.content_size.width, panel.content_size.height)
        assert "第0个问题" in str(lines[0]) and "还有" in str(lines[-1])
        assert 0 < len(wrapped) <= panel.content_size.height + 2
        shown = panel.entries
        await pilot.press("plus")
        await wait_until(pilot, lambda: app.state.step.timer.added == 30)  # the key acted
        assert panel.entries is shown  # the queue was not rebuilt for a clock key


async def test_commentary_phase_shows_the_latest_entries_large(demo_db, clock, store):
    record = Record(store)
    for n in range(25):
        record.add_commentary("法工委", "李清", f"第{n + 1}条点评")
    store.move(1)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await laid_out(pilot, "#commentary-panel")
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
        shown = str((await laid_out(pilot, "#question")).render())  # wrapped at its width
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
        agenda = await laid_out(pilot, "#agenda")  # and scrolled, if it had to
        text = str(app.query_one("#agenda-lines").render()).splitlines()
        row = next(n for n, line in enumerate(text) if line.startswith(" ▶"))
        height = agenda.scrollable_content_region.height
        assert agenda.scroll_y <= row < agenda.scroll_y + height


def footer_says(app) -> tuple[str, str]:
    """What the footer says PgDn and PgUp do."""
    from textual.widgets._footer import FooterKey

    keys = {key.action: key.description for key in app.screen.query(FooterKey)}
    return keys.get("next_phase", ""), keys.get("previous_phase", "")


@pytest.mark.slow  # more than ~2 s on a 2-core machine
async def test_results_page_at_80x24_and_the_projector_follows(demo_db, clock, store):
    from core.ballots.demo import fill_demo_ballots
    from tui.display import DisplayApp
    from tui.widgets.results import ResultsView

    fill_demo_ballots(store)  # 21 subjects, scoring closed
    store.move(13)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.query_one(ResultsView)
        assert view.page.count == 2
        assert "第 1/2 页" in str(app.query_one("#page-mark").render())
        # The footer says what PgDn/PgUp do here: turn the page, or step back on page 1.
        await wait_until(pilot, lambda: footer_says(app) == ("下一页", "上一步"))
        assert footer_says(app) == ("下一页", "上一步")
        await pilot.press("down")
        await wait_until(pilot, lambda: store.meta("results_row") == "1")
        assert view.selected == 1 and store.meta("results_row") == "1"  # the projector follows
        await pilot.press("pagedown")
        await shows(pilot, "#page-mark", "第 2/2 页")
        ranking = app.query_one("#ranking")
        assert "第 2/2 页" in str(app.query_one("#page-mark").render())
        assert str(ranking.get_row_at(ranking.row_count - 1)[1]) == view.tally.subjects[-1].name
        assert app.state.step.phase == "results"  # the page turned, the phase did not
        assert store.meta("results_row") == str(view.page.first)
        await wait_until(pilot, lambda: footer_says(app) == ("下一步", "上一页"))
        assert footer_says(app) == ("下一步", "上一页")
        clock.advance(1.5)
        await pilot.press("pageup")
        await shows(pilot, "#page-mark", "第 1/2 页")
        assert "第 1/2 页" in str(app.query_one("#page-mark").render())
        clock.advance(1.5)
        await pilot.press("pageup")  # on the first page: back to 测评
        await wait_until(pilot, lambda: app.state.step.phase == "scoring")
        assert app.state.step.phase == "scoring"
    store.move(1)
    store.set_meta("results_row", "19")
    projector = DisplayApp(demo_db, clock=clock)
    async with projector.run_test(size=(64, 18)) as pilot:
        await settle(pilot)
        view = projector.query_one(ResultsView)
        assert view.selected == 19 and view.page.number == view.page.count - 1
        name = str(projector.query_one("#ranking").get_row_at(19 - view.page.first)[1])
        assert name == view.tally.subjects[19].name


@pytest.mark.parametrize("phase", [0, 13])
async def test_the_footer_keeps_its_order_and_t_q_at_60x20(demo_db, clock, store, phase):
    from textual.widgets._footer import FooterKey

    from core.ballots.demo import fill_demo_ballots

    if phase:
        fill_demo_ballots(store)
        store.move(phase)  # the results: the ranking has the focus
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_until(
            pilot,
            lambda: (
                len(app.screen.query(FooterKey)) >= 5
                and all(k.region.width > 0 for k in list(app.screen.query(FooterKey))[:5])
            ),
        )
        keys = [k for k in app.screen.query(FooterKey)]
        actions = [k.action for k in keys]
        expected = [
            "toggle_timer",
            "next_phase",
            "previous_phase",
            "toggle_poll",
            "show_results",
            "request_quit",
        ]
        if phase:  # the results have no clock: its keys leave the footer
            expected = expected[1:]
            assert not {"toggle_timer", "add_time", "reset_timer"} & set(actions)
        assert actions[: len(expected)] == expected
        for key in keys[: len(expected)]:
            assert key.region.right <= 60 and key.region.width > 0  # on screen


async def test_no_recount_when_nothing_about_ballots_changed(demo_db, clock, store, monkeypatch):
    import core.ballots.turnout
    import tui.base

    calls = []
    real = core.ballots.turnout.count

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(tui.base, "count", counting)
    store.move(12)
    store.set_poll("open")
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        first = len(calls)
        assert first >= 1
        other = MeetingStore(demo_db, actor="clerk", clock=clock)
        for _ in range(4):  # the timer and the clerk: nothing about ballots
            other.toggle_timer()
            await settle(pilot)  # seen, and any recount it started has finished
        assert len(calls) == first
        from core.ballots.items import form_items
        from core.ballots.storing import BallotEntry, store_ballot
        from core.ballots.tokens import issue_tokens

        slip = issue_tokens(other, "党员代表", 1)[0]
        grades = dict.fromkeys(form_items(other.meeting), "较好")
        store_ballot(other, slip.token, BallotEntry(grades))
        await settle(pilot)
        assert len(calls) > first
        assert "1/72" in str(app.query_one("#stage-note").render())


def MeetingStore_for(path, clock):
    from core.meeting.store import MeetingStore

    return MeetingStore(path, actor="clerk", clock=clock)


async def test_the_ranking_says_it_is_counting_until_the_tally_arrives():
    """The tally is counted after the first frame: meanwhile the ranking says so
    instead of standing empty."""
    from textual.app import App
    from textual.widgets import Static

    from tui.widgets.results import ResultsView

    class Bare(App):
        def compose(self):
            yield ResultsView(id="results")

    app = Bare()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "正在统计结果" in str(app.query_one("#legend", Static).render())
