"""Mashing the podium's keys never changes the meeting without a confirmation.

Table-driven: every meeting key in every phase, with and without a dialog open;
the stored state (timers, position, scoring, projector) changes only where allowed.
"""

from __future__ import annotations

import re

import pytest

from core.meeting.podium import ACT, ASK, REASON, REFUSE, Debounce, judge
from core.meeting.store import MeetingStore
from tests.conftest import seen, wait_until
from tui.host import HostApp
from tui.widgets.confirm import Confirm
from tui.widgets.reason import AskReason

SCORING, RESULTS = 12, 13  # positions in the demo agenda

# name: (position, poll, start the timer)
PHASES = {
    "report-idle": (0, "not_open", False),
    "report-running": (0, "not_open", True),
    "commentary": (1, "not_open", True),
    "questions": (2, "not_open", True),
    "scoring-not-open": (SCORING, "not_open", True),
    "scoring-open": (SCORING, "open", True),
    "scoring-closed": (SCORING, "closed", False),
    "results-hidden": (RESULTS, "not_open", False),
    "results": (RESULTS, "closed", False),
}
KEYS = ["space", "pagedown", "pageup", "right", "left", "plus", "minus", "r", "v", "t", "b"]
TIMED = {"report-idle", "report-running", "commentary", "questions"} | {
    p for p in PHASES if p.startswith("scoring")
}


def allowed_to_change(phase: str, key: str) -> bool:
    """The table the host can rely on: keys that change the meeting at once."""
    if key == "space":  # 测评's clock runs with scoring: v starts it, closing stops it
        return phase in TIMED and phase not in ("scoring-not-open", "scoring-closed")
    if key in ("plus", "minus"):
        return phase in TIMED
    if key in ("pagedown", "right"):  # out of open or never-opened scoring: asks first
        return phase not in ("scoring-open", "scoring-not-open", "results", "results-hidden")
    if key in ("pageup", "left"):
        return phase != "scoring-open" and PHASES[phase][0] > 0  # the start stays the start
    if key == "v":
        return phase == "scoring-not-open"
    if key == "t":
        return phase == "scoring-closed"
    return key == "b"  # blanking the projector is the clicker's own key; r always asks


def snapshot(store: MeetingStore) -> tuple:
    timers = store.db.execute(
        "SELECT position, started_at, paused_at, paused_total, added FROM agenda"
    ).fetchall()
    state = store.db.execute("SELECT position, poll FROM state").fetchall()
    return (tuple(timers), tuple(state), store.projector_blank())


def restore(store: MeetingStore, saved: tuple) -> None:
    timers, state, blank = saved
    with store.transaction():
        store.db.conn.executemany(
            "UPDATE agenda SET started_at = ?, paused_at = ?, paused_total = ?, added = ? "
            "WHERE position = ?",
            [(*row[1:], row[0]) for row in timers],
        )
        store.db.execute("UPDATE state SET position = ?, poll = ?", list(state[0]))
        store.db["meta"].upsert(
            {"key": "projector_blank", "value": "1" if blank else "0"}, pk="key"
        )


def prepare(store: MeetingStore, phase: str) -> None:
    position, poll, running = PHASES[phase]
    store.move(position)  # the demo meeting auto-starts timed phases
    if store.state().step.timer and store.state().step.timer.running != running:
        store.toggle_timer()
    if poll != "not_open":
        store.set_poll("open")
    if poll == "closed":
        store.set_poll("closed")
    store.set_projector_blank(False)


def no_english(app: HostApp) -> None:
    for note in app._notifications:
        assert not re.search(r"[A-Za-z]{3,}", note.message), note.message


@pytest.mark.slow  # more than ~2 s on a 2-core machine
@pytest.mark.parametrize("phase", list(PHASES))
async def test_every_key_changes_the_meeting_only_where_allowed(demo_db, clock, store, phase):
    prepare(store, phase)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        for key in KEYS:
            before = snapshot(store)
            clock.advance(2)  # past the clicker's debounce
            await pilot.press(key)
            await pilot.pause()
            if isinstance(app.screen, Confirm | AskReason):
                await pilot.press("escape")  # the nervous host thinks again
                await pilot.pause()
            assert not app.dialog_open
            changed = snapshot(store) != before
            assert changed == allowed_to_change(phase, key), (phase, key)
            if changed:
                restore(store, before)
                app.state = app.store.state()
                app.show_state()
        no_english(app)


@pytest.mark.slow  # more than ~2 s on a 2-core machine
@pytest.mark.parametrize("phase", list(PHASES))
async def test_behind_a_dialog_no_meeting_key_acts(demo_db, clock, store, phase):
    prepare(store, phase)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        before = snapshot(store)
        app.push_screen(Confirm("？"))
        await pilot.pause()
        for key in [k for k in KEYS if k != "space"] + ["q", "ctrl+q", "ctrl+c", "q"]:
            clock.advance(2)
            await pilot.press(key)
            await pilot.pause()
            assert len(app.screen_stack) == 2  # no second dialog, no dialog closed
        assert snapshot(store) == before
        await pilot.press("space")  # Space presses the focused button (取消)
        await wait_until(pilot, lambda: not app.dialog_open)
        assert not app.dialog_open and app.is_running
        assert snapshot(store) == before


@pytest.mark.parametrize("key", ["q", "ctrl+q", "ctrl+c"])
async def test_quit_keys_all_ask(demo_db, clock, key):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("space", key)
        assert isinstance(app.screen, Confirm)
        assert "计时器正在运行" in str(app.screen.query_one("Static").render())
        await pilot.press(key)  # pressed again: still one dialog
        assert len(app.screen_stack) == 2
        await pilot.press("n")
        assert app.is_running and app.state.step.timer.running
        no_english(app)
        await pilot.press("space", key)  # the clock paused: still asks
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


async def test_v_outside_scoring_says_where_it_works(demo_db, clock):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("pagedown", "v")
        assert app.state.poll == "not_open"
        assert "测评" in list(app._notifications)[-1].message


async def test_closing_scoring_asks_and_stops_its_timer(demo_db, clock, store):
    store.move(SCORING)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        assert not app.state.step.timer.started  # 测评's clock waits for scoring (#19 §6)
        await pilot.press("v")
        assert app.state.poll == "open" and app.state.step.timer.running
        await pilot.press("v")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        assert app.state.poll == "closed"
        assert not app.state.step.timer.running


async def test_reopening_asks_for_a_reason_that_is_kept(demo_db, clock, store):
    store.move(SCORING)
    store.set_poll("open")
    store.set_poll("closed")
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("v")
        assert isinstance(app.screen, AskReason)
        await pilot.press("enter")  # no reason: still asking
        assert isinstance(app.screen, AskReason) and app.state.poll == "closed"
        for char in "补录":
            await pilot.press(char)
        await pilot.press("space", "q", "v", "t", "b", "r")  # typed into the reason, not keys
        assert app.is_running and app.dialog_open and not store.projector_blank()
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.poll == "open"
    (event,) = MeetingStore(demo_db).events("poll.open")[-1:]
    assert event.payload["reason"] == "补录 qvtbr"


async def test_leaving_open_scoring_asks_first(demo_db, clock, store):
    store.move(SCORING)
    store.set_poll("open")
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("pagedown")
        assert isinstance(app.screen, Confirm) and app.state.step.phase == "scoring"
        await pilot.press("y")
        assert app.state.step.phase == "results"
        assert app.state.poll == "open"  # leaving does not close scoring


async def test_reset_asks_and_the_used_time_stays_in_the_log(demo_db, clock):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("space")
        clock.advance(200)
        await pilot.press("r")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert app.state.step.timer.started
        await pilot.press("r", "y")
        await pilot.pause()
        assert not app.state.step.timer.started
    (event,) = MeetingStore(demo_db).events("timer.reset")
    assert event.payload["used_s"] == 200


async def test_a_bouncing_clicker_moves_one_step(demo_db, clock):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("space")
        await pilot.press("pagedown", "pagedown", "pagedown")  # within the same second
        assert app.state.position == 1
        clock.advance(0.6)
        await pilot.press("pagedown")
        assert app.state.position == 1  # still too soon after the first
        clock.advance(0.5)
        await pilot.press("pagedown")
        assert app.state.position == 2
        clock.advance(1.1)
        await pilot.press("pageup")
        assert app.state.position == 1


def test_debounce_window_follows_the_injected_clock(clock):
    debounce = Debounce(clock, window=1.0)
    assert debounce.accept()
    clock.advance(0.99)
    assert not debounce.accept()
    clock.advance(0.02)
    assert debounce.accept()


def test_the_guard_table(store):
    state = store.state()
    assert judge("toggle_poll", state).do == REFUSE
    assert judge("show_results", state).do == REFUSE
    assert judge("next_phase", state).do == ACT
    state = store.move(SCORING)
    assert judge("toggle_poll", state).do == ACT
    assert judge("next_phase", state).do == ASK  # on to 结果 with no ballot cast
    assert judge("previous_phase", state).do == ACT
    assert judge("toggle_timer", state).do == REFUSE  # its clock starts with scoring
    state = store.set_poll("open")
    assert judge("toggle_poll", state).do == ASK
    assert judge("next_phase", state).do == ASK
    assert judge("show_results", state).do == REFUSE
    state = store.set_poll("closed")
    assert judge("toggle_poll", state).do == REASON
    assert judge("show_results", state).do == ACT
    assert judge("reset_timer", state).do == ASK  # the scoring clock ran


async def test_b_blanks_the_projector_and_back(demo_db, clock):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("b")
        assert MeetingStore(demo_db).projector_blank()
        await pilot.press("full_stop")
        assert not MeetingStore(demo_db).projector_blank()


async def test_other_consoles_changes_show_behind_a_dialog(demo_db, clock):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "q")
        assert isinstance(app.screen, Confirm)
        other = MeetingStore(demo_db, actor="script", clock=clock)
        other.move(1)
        await seen(pilot)
        assert app.is_running and app.state.step.phase == "commentary"
        assert isinstance(app.screen, Confirm)  # the dialog stays, answered by the host
