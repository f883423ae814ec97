from __future__ import annotations

import asyncio
import inspect
import socket
import time
from collections.abc import Callable
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


def on_this_laptop(db_path: Path) -> int:
    """The meeting's slips kept on 127.0.0.1 at a free port (a rehearsal on this laptop):
    opening scoring then depends neither on this machine's adapters nor on port 8700
    being free. The port."""
    from core.venue.addresses import Source, Where, keep

    port = free_port()
    with MeetingStore(db_path) as store:
        keep(store, Where("127.0.0.1", port, Source.SLIPS), "test")
    return port


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


# -- waiting on conditions, never on the clock ------------------------------------
#
# A test waits for what it needs to be true (the console saw the database change,
# the counting worker finished, a widget shows a text, a subprocess wrote its event),
# never for a fixed time: fixed pauses were slow on a quiet machine and flaky on a
# loaded one. Each wait is bounded; at the bound it fails and says what it waited for.

WAIT_S = 60.0  # only a console that never gets there waits this long (a starved
# 2-core machine ran 10-20 times slower than a quiet one: 20 s was not enough)
POLL_S = 0.01  # between two looks at another process (no event loop to pump there)


class NotYet(AssertionError):
    """A condition did not hold within its bound."""


def _describe(predicate: Callable[[], object], what: str | None) -> str:
    if what:
        return what
    try:
        return inspect.getsource(predicate).strip()
    except (OSError, TypeError):
        return repr(predicate)


def _check(predicate: Callable[[], object]) -> tuple[object, BaseException | None]:
    try:
        return predicate(), None
    except Exception as exc:  # a widget not mounted yet, a row not written yet
        return None, exc


def _not_yet(predicate, what, timeout, last, error) -> NotYet:
    seen = f"{type(error).__name__}: {error}" if error is not None else repr(last)
    return NotYet(f"waited {timeout:g} s for: {_describe(predicate, what)}\nlast seen: {seen}")


async def wait_until(
    pilot, predicate: Callable[[], object], timeout: float = WAIT_S, what: str | None = None
) -> object:
    """Pump the app one event-loop turn at a time (`pilot.pause()`, which lets its
    messages, timers and refreshes run) until `predicate()` is true; return its value.

    Returns at the first look at which it holds (at once if it already does); an
    exception raised by `predicate` counts as "not yet". After `timeout` seconds it
    fails with `what` (or the predicate's source) and the last value seen.
    """
    deadline = time.monotonic() + timeout
    while True:
        value, error = _check(predicate)
        if value:
            return value
        if time.monotonic() >= deadline:
            raise _not_yet(predicate, what, timeout, value, error)
        await pilot.pause()


async def until(
    predicate: Callable[[], object], timeout: float = WAIT_S, what: str | None = None
) -> object:
    """`wait_until` without an app: yield to the event loop (aiohttp, the service's
    database threads) until `predicate()` holds."""
    deadline = time.monotonic() + timeout
    while True:
        value, error = _check(predicate)
        if value:
            return value
        if time.monotonic() >= deadline:
            raise _not_yet(predicate, what, timeout, value, error)
        await asyncio.sleep(POLL_S)


def wait_for(
    predicate: Callable[[], object], timeout: float = WAIT_S, what: str | None = None
) -> object:
    """`wait_until` for another process (a console on a terminal, the ballot service):
    look every few milliseconds until `predicate()` holds."""
    deadline = time.monotonic() + timeout
    while True:
        value, error = _check(predicate)
        if value:
            return value
        if time.monotonic() >= deadline:
            raise _not_yet(predicate, what, timeout, value, error)
        time.sleep(POLL_S)


# The usual conditions ------------------------------------------------------------


def seen_database(app) -> bool:
    """The console has taken in every commit other connections made (its 20 Hz
    `PRAGMA data_version` poll caught up and `meeting_changed` ran)."""
    return app.store.data_version() == app._seen_version


def counted(app) -> bool:
    """Turnout (and, once results show, the tally) are counted for what the console
    has seen: no count deferred or running, and its figures arrived. (A console
    that never asked for counts, the clerk's or the ledger's, has nothing to wait for.)"""
    if app._deferred_counts is None and app._count_request == 0:
        return True
    if app._deferred_counts is not None or app.counts is None:
        return False
    if any(not w.is_finished for w in app.workers if w.group == "counts"):
        return False
    state = app.state
    return app.counts.tally is not None or not state.results_visible(app.meeting)


def caught_up(app) -> bool:
    """Seen the database, counted it, and no worker of any kind still running."""
    return (
        seen_database(app)
        and counted(app)
        and not any(not worker.is_finished for worker in app.workers)
    )


async def settle(pilot, timeout: float = WAIT_S) -> None:
    """Let a console see the database change, count in its worker, and show it."""
    app = pilot.app
    await wait_until(pilot, lambda: caught_up(app), timeout, "the console caught up")
    await pilot.pause()  # what the last message changed is laid out and drawn


async def seen(pilot, timeout: float = WAIT_S) -> None:
    """Let a console take in what another connection just committed (no counting)."""
    app = pilot.app
    await wait_until(pilot, lambda: seen_database(app), timeout, "the console saw the change")
    await pilot.pause()


async def laid_out(pilot, selector: str, timeout: float = WAIT_S):
    """Wait until the widget at `selector` (on the current screen) has its size, what
    the layout sent (a Resize: re-wrapping) is handled, and what was to run after the
    refresh (`call_after_refresh`: scrolling into view) has run; returns the widget."""
    screen = lambda: pilot.app.screen  # noqa: E731 (a dialog may be on its way)
    await wait_until(
        pilot,
        lambda: screen().query_one(selector).content_size.area > 0,
        timeout,
        f"{selector} laid out",
    )
    await pilot.pause()
    await wait_until(pilot, lambda: not screen()._callbacks, timeout, "after-refresh calls")
    return screen().query_one(selector)


def rendered(app, selector: str) -> str:
    return str(app.query_one(selector).render())


async def shows(pilot, selector: str, text: str, timeout: float = WAIT_S) -> str:
    """Wait until the widget at `selector` shows `text`; returns what it shows."""
    app = pilot.app
    await wait_until(
        pilot, lambda: text in rendered(app, selector), timeout, f"{selector} to show {text!r}"
    )
    return rendered(app, selector)


async def ticked(pilot, timeout: float = WAIT_S) -> None:
    """Wait until the console's clock widget has been redrawn from the clock's present
    instant (the next timer tick after `clock.advance`): then what it shows, or that
    it did not change, is what the console shows for that instant."""
    widget = pilot.app.timer_widget
    now = pilot.app.clock()
    drawn: list[float] = []
    draw = widget.refresh_time

    def spy(at: float) -> str:
        drawn.append(at)
        return draw(at)

    widget.refresh_time = spy
    try:
        await wait_until(pilot, lambda: now in drawn, timeout, f"the clock drawn at {now}")
    finally:
        del widget.refresh_time  # the class's own method again


def events_of(db: Path, kind: str = "", actor: str | None = None) -> list:
    """The audit events of `kind` (a prefix) in a meeting database, read afresh."""
    store = MeetingStore(db)
    try:
        return [e for e in store.events(kind) if actor is None or e.actor == actor]
    finally:
        store.close()


def wait_for_event(
    db: Path, kind: str, *, actor: str | None = None, count: int = 1, timeout: float = WAIT_S
) -> list:
    """Wait until a process (a console in a terminal, a script) has written `count`
    events of `kind` to the meeting database; returns them."""
    return wait_for(
        lambda: (found := events_of(db, kind, actor)) and len(found) >= count and found,
        timeout,
        f"{count} event(s) {kind!r}" + (f" by {actor}" if actor else ""),
    )


# The phone's browser (tests/test_browser.py, tests/test_phone_pages.py) ----------


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright):
    from tests.phone import launch

    browser = launch(playwright)
    yield browser
    browser.close()
