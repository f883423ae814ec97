from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sanshu_data import demo_meeting_path

from core.i18n import set_language
from core.meeting.store import MeetingStore

DEMO_TEXT = demo_meeting_path().read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeClock:
    """A clock the test moves by hand: timers are computed from its instants."""

    def __init__(self, now: float = 1_706_580_000.0):  # 2024-01-30 09:20 Beijing time
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def _language():
    """Tests read Chinese unless they ask for English; nothing leaks between tests."""
    set_language("zh")
    yield
    set_language(None)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def demo_db(tmp_path: Path, clock: FakeClock) -> Path:
    path = tmp_path / "demo.db"
    MeetingStore.create(path, DEMO_TEXT, "demo-meeting.toml", clock=clock).close()
    return path


@pytest.fixture
def store(demo_db: Path, clock: FakeClock):
    s = MeetingStore(demo_db, clock=clock)
    yield s
    s.close()


async def settle(pilot, seconds: float = 0.3) -> None:
    """Let a console see the database change, count in its worker, and show it."""
    await pilot.pause(seconds)
    app = pilot.app
    # On a loaded machine the first count can start late: wait until it has arrived
    # and no worker is left running (bounded, so a real hang still fails the test).
    calm = 0
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)
        counts = getattr(app, "counts", True)
        counted = counts is not None
        state = getattr(app, "state", None)
        if counted and state is not None and state.results_visible(app.meeting):
            counted = getattr(counts, "tally", True) is not None
        calm = calm + 1 if counted and not any(w.is_running for w in app.workers) else 0
        if calm >= 3:  # settled for a while, not just between two requests
            break
    await pilot.pause(0.2)


async def wait_until(pilot, condition, timeout: float = 5.0) -> None:
    """Pause until `condition()` holds (another process's write seen, a layout done).

    Bounded: a console that never gets there still fails the test's own assert.
    Fixed pauses flaked on a loaded two-core machine.
    """
    for _ in range(int(timeout / 0.05)):
        try:
            if condition():
                return
        except Exception:  # a widget not mounted yet
            pass
        await pilot.pause(0.05)
