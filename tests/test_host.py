"""The podium console driven by its keys, with a frozen clock."""

from __future__ import annotations

import pytest
from textual.widgets import Digits, Static

from core.meeting.podium import PodiumLock
from core.meeting.store import MeetingStore
from tests.conftest import settle, ticked, wait_until
from tui.cli import run
from tui.host import HostApp
from tui.widgets.confirm import Confirm
from tui.widgets.phase_timer import PhaseTimer


def digits(app: HostApp) -> str:
    return app.query_one(Digits).value


def text(app: HostApp, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_space_starts_and_pauses_the_timer(demo_db, clock):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        assert digits(app) == "8:00"
        assert "按空格开始" in text(app, "#timer-note")
        await pilot.press("space")
        clock.advance(61.5)
        await ticked(pilot)
        assert digits(app) == "6:59"
        assert app.state.step.timer.running
        await pilot.press("space")
        clock.advance(100)
        await ticked(pilot)
        assert digits(app) == "6:59"  # paused: time stands still
        assert "已暂停" in text(app, "#timer-note")
    kinds = [e.kind for e in MeetingStore(demo_db).events("timer")]
    assert kinds == ["timer.started", "timer.paused"]


@pytest.mark.parametrize(("key", "change"), [("plus", 30), ("minus", -30)])
async def test_adjust_by_thirty_seconds(demo_db, clock, key, change):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("space", key)
        await wait_until(pilot, lambda: app.state.step.timer.added)  # the second key acted
        assert app.state.step.timer.remaining(clock()) == 480 + change


async def test_reset_restores_the_phase_duration(demo_db, clock):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("space")
        clock.advance(200)
        await pilot.press("plus", "r", "y")  # a timer that has run: reset asks first
        await wait_until(pilot, lambda: not app.dialog_open and not app.state.step.timer.started)
        assert digits(app) == "8:00" and not app.state.step.timer.started


@pytest.mark.parametrize(("forward", "back"), [("pagedown", "pageup"), ("right", "left")])
async def test_clicker_and_arrow_keys_walk_the_agenda(demo_db, clock, forward, back):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("space")
        clock.advance(30)
        await pilot.press(forward)
        assert (app.state.step.subject, app.state.step.phase) == ("法工委", "commentary")
        assert text(app, "#phase") == "点评"
        assert digits(app) == "5:00"
        assert app.state.step.timer.running  # auto_start: the next phase's clock runs
        assert not app.state.steps[0].timer.running  # the report timer stopped
        clock.advance(1.5)
        await pilot.press(back)
        assert app.state.step.phase == "report"
        assert digits(app) == "7:30"  # the report keeps the time it used


@pytest.mark.slow  # more than ~2 s on a 2-core machine
async def test_whole_agenda_in_order(demo_db, clock):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    seen = []
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("pagedown")  # the clicker's first press starts the report's clock
        assert app.state.step.timer.running and app.state.position == 0
        for _ in range(20):
            seen.append((app.state.step.subject, app.state.step.phase))
            assert app.state.step.timer is None or app.state.step.timer.running
            clock.advance(1.5)
            await pilot.press("pagedown")
            if app.dialog_open:  # leaving open scoring asks; we opened it to vote
                await pilot.press("y")
            if app.state.step.phase == "scoring" and app.state.poll == "not_open":
                await pilot.press("v")
    expected = [
        (s, p)
        for s in ["法工委", "教科文卫办", "农业与农村办", "人事室"]
        for p in ["report", "commentary", "questions"]
    ] + [(None, "scoring"), (None, "results")]
    assert seen[: len(expected)] == expected
    assert set(seen[len(expected) :]) == {(None, "results")}  # the end stays the end


async def test_results_stay_hidden_until_scoring_closes(demo_db, clock, store):
    store.move(13)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        assert app.state.step.phase == "results"
        assert "测评结束后显示结果" in text(app, "#stage-note")
        assert not app.query_one(PhaseTimer).display


async def test_overtime_counts_on_in_red_and_rings_once(demo_db, clock):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    rings = []
    async with app.run_test(size=(120, 32)) as pilot:
        app.bell = lambda: rings.append(clock())
        await pilot.press("space")
        clock.advance(430)
        await ticked(pilot)
        assert app.query_one(PhaseTimer).has_class("-warning")
        clock.advance(30)
        await ticked(pilot)
        assert app.query_one(PhaseTimer).has_class("-danger")
        clock.advance(25)
        await ticked(pilot)
        assert digits(app) == "-0:05"
        assert app.query_one(PhaseTimer).has_class("-overtime")
        assert "已超时 0:05" in text(app, "#timer-note")
        clock.advance(60)
        await ticked(pilot)
        await ticked(pilot)  # a second tick in overtime: the bell does not ring again
        assert digits(app) == "-1:05"
    assert len(rings) == 1


async def test_poll_opens_and_closes_with_confirmation(demo_db, clock, store):
    store.move(12)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("v")
        assert app.state.poll == "open"
        await pilot.press("v")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert app.state.poll == "open"
        await pilot.press("v", "y")
        assert app.state.poll == "closed"
        await pilot.press("v", "escape")  # reopening asks for a reason; none given
        assert app.state.poll == "closed"
    assert [e.kind for e in MeetingStore(demo_db).events("poll")] == ["poll.open", "poll.closed"]


async def test_closing_scoring_rewrites_the_file_while_the_podium_answers(
    demo_db, clock, store, monkeypatch
):
    """Closing rewrites the database (seconds at 100k ballots) in a worker on its own
    connection: the podium's keys act meanwhile, and the rewrite does happen."""
    import threading

    store.move(12)
    store.set_poll("open")
    rewriting, release = threading.Event(), threading.Event()
    rewriters: list[str] = []
    rewrite = MeetingStore.forget_history

    def slow_rewrite(self: MeetingStore, **kwargs) -> bool:
        rewriters.append(threading.current_thread().name)
        rewriting.set()
        release.wait(10)
        return rewrite(self, **kwargs)

    monkeypatch.setattr(MeetingStore, "forget_history", slow_rewrite)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("v", "y")
        assert app.state.poll == "closed"
        assert rewriting.wait(5)
        await pilot.press("b")  # the projector blanks while the file is rewritten
        assert app.store.projector_blank()
        assert "投影已黑屏" in text(app, "#title-bar")
        release.set()
        await app.workers.wait_for_complete()
        assert rewriters and rewriters[0] != threading.main_thread().name
        wal = demo_db.with_name(demo_db.name + "-wal")  # emptied while the consoles run
        assert wal.exists() and wal.stat().st_size == 0


async def test_quit_always_asks(demo_db, clock, store):
    """A stray `q` never closes the podium: on 结果 with no clock, and with a clock running."""
    store.move(len(store.state().steps) - 1)  # 结果: no clock runs
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("q")
        assert isinstance(app.screen, Confirm)
        assert "确定退出主持台吗" in str(app.screen.query_one("Static").render())
        await pilot.press("n")
        assert app.is_running
        await pilot.press("q", "y")
        await pilot.pause()
        assert not app.is_running


async def test_restart_resumes_the_running_timer(demo_db, clock):
    first = HostApp(demo_db, clock=clock, manage_service=False)
    async with first.run_test(size=(120, 32)) as pilot:
        await pilot.press("space")
        clock.advance(1.5)
        await pilot.press("pagedown")  # the commentary starts by itself
        clock.advance(42)
    # The console is gone (as after kill -9); the clock kept moving.
    clock.advance(18)
    second = HostApp(demo_db, clock=clock, manage_service=False)
    async with second.run_test(size=(120, 32)) as pilot:
        await ticked(pilot)
        assert (second.state.step.subject, second.state.step.phase) == ("法工委", "commentary")
        assert second.state.step.timer.running
        assert digits(second) == "4:00"


async def test_changes_from_another_process_show_within_half_a_second(demo_db, clock):
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        other = MeetingStore(demo_db, actor="script", clock=clock)
        other.set_poll("open")
        other.move(1)
        await settle(pilot)
        assert app.state.poll == "open"
        assert text(app, "#phase") == "点评"
        assert "进行中" in text(app, "#turnout-panel")


def test_a_second_podium_is_refused_politely(demo_db, capsys):
    with PodiumLock(demo_db):
        assert run(["host", "--db", str(demo_db)]) == 1
    message = capsys.readouterr().err
    assert "已有一个主持台" in message and "Traceback" not in message


async def test_the_scoring_clock_runs_with_scoring_and_the_code_shows_only_then(
    demo_db, clock, store
):
    """#19 §6: entering 测评 starts no clock and shows no code; v opens scoring and starts
    its clock; leaving and coming back while it is open, the clock runs again."""
    from tests.conftest import rendered

    store.move(11)  # 询问 of the last on-site subject
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        clock.advance(2)
        await pilot.press("pagedown")
        step = app.store.state().step
        assert step.phase == "scoring" and not step.timer.started
        assert "测评尚未开始" in rendered(app, "#turnout-panel")
        assert "█" not in rendered(app, "#turnout-panel")
        await pilot.press("space")  # refused: the clock starts with scoring
        assert not app.store.state().step.timer.started
        await pilot.press("v")
        assert app.store.poll() == "open" and app.store.state().step.timer.running
        assert "█" in rendered(app, "#turnout-panel")
        clock.advance(2)
        await pilot.press("pageup", "y")  # leaving open scoring asks
        assert app.store.state().step.phase == "questions"
        clock.advance(2)
        await pilot.press("pagedown")
        assert app.store.state().step.timer.running  # phones still vote: it runs again
        await pilot.press("v", "y")  # close
        assert not app.store.state().step.timer.running
        assert "测评已结束" in rendered(app, "#turnout-panel")
        assert "█" not in rendered(app, "#turnout-panel")
