"""The tests' condition waits (tests/conftest.py): they return as soon as the
condition holds and fail, saying what they waited for, when it never does."""

from __future__ import annotations

import time

import pytest
from textual.app import App
from textual.widgets import Static

from tests.conftest import NotYet, shows, until, wait_for, wait_until


class Bare(App):
    def compose(self):
        yield Static("", id="note")


async def test_wait_until_fails_at_the_timeout_saying_what_it_waited_for():
    app = Bare()
    async with app.run_test(size=(40, 5)) as pilot:
        began = time.monotonic()
        with pytest.raises(NotYet) as failure:
            await wait_until(pilot, lambda: app.title == "never", 0.3, "the title to be 'never'")
        waited = time.monotonic() - began
    assert 0.3 <= waited < 5
    assert "waited 0.3 s for: the title to be 'never'" in str(failure.value)
    assert "last seen: False" in str(failure.value)


async def test_wait_until_names_the_predicate_and_the_last_error():
    app = Bare()
    async with app.run_test(size=(40, 5)) as pilot:
        with pytest.raises(NotYet) as failure:
            await wait_until(pilot, lambda: app.query_one("#missing"), 0.1)
    assert 'app.query_one("#missing")' in str(failure.value)  # the predicate's own source
    assert "NoMatches" in str(failure.value)  # not mounted: "not yet", said at the end


async def test_wait_until_returns_as_soon_as_the_condition_holds():
    app = Bare()
    async with app.run_test(size=(40, 5)) as pilot:
        looks: list[int] = []

        def third_look() -> str:
            looks.append(1)
            return "yes" if len(looks) == 3 else ""

        assert await wait_until(pilot, third_look) == "yes"  # the predicate's value
        assert len(looks) == 3  # no look, and no pause, after it held
        began = time.monotonic()
        await wait_until(pilot, lambda: True)  # already true: no pause at all
        assert time.monotonic() - began < 0.05


async def test_wait_until_pumps_the_app_so_messages_and_timers_run():
    app = Bare()
    async with app.run_test(size=(40, 5)) as pilot:
        app.set_timer(0.2, lambda: app.query_one("#note", Static).update("到了"))
        assert "到了" in await shows(pilot, "#note", "到了")


async def test_until_and_wait_for_without_an_app():
    ticks = iter(range(10))
    assert await until(lambda: next(ticks) == 4)
    assert next(ticks) == 5  # returned at the look that held, not later
    with pytest.raises(NotYet, match=r"waited 0\.05 s for: nothing"):
        await until(lambda: False, 0.05, "nothing")
    deadline = time.monotonic() + 0.1
    assert wait_for(lambda: time.monotonic() > deadline)
    with pytest.raises(NotYet, match="last seen: 0"):
        wait_for(lambda: 0, 0.05)
