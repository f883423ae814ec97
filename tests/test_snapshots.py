"""How the podium console looks, phase by phase, on a laptop and a big terminal.

Regenerate after a deliberate change: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from tests.conftest import settle, wait_until
from tui.host import HostApp
from tui.widgets.results import ResultsView

SIZES = [(80, 24), (160, 48)]


# How each phase is reached (through the store, so the clicker's debounce and the
# frozen clock play no part), then seconds on the clock.
PHASES = {
    "report-running": (lambda st: st.toggle_timer(), 95),
    "report-overtime": (lambda st: st.toggle_timer(), 489),
    "commentary": (lambda st: st.move(1), 0),  # auto_start: its clock runs
    "questions-paused": (lambda st: st.move(2), 30),
    "scoring": (lambda st: (st.move(12), st.set_poll("open")), 0),
    "results": (lambda st: st.move(13), 0),  # scoring not closed: results hidden
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("phase", list(PHASES))
def test_host_console(snap_compare, demo_db, clock, store, phase, size):
    prepare, seconds = PHASES[phase]
    store.set_meta("base_url", "http://192.168.1.20:8700")  # the same QR code everywhere
    prepare(store)
    clock.advance(seconds)
    if phase == "questions-paused":
        store.toggle_timer()
    app = HostApp(demo_db, clock=clock, manage_service=False)
    assert snap_compare(app, terminal_size=size, run_before=settle)


def test_clerk_console(snap_compare, demo_db, clock, store):
    from core.record.entries import Record
    from tui.clerk import ClerkApp

    record = Record(store)
    first = record.add_question("法工委", "高天庚", "请问，在立法工作中，如何坚持全过程人民民主？")
    record.add_question("法工委", "机关纪委书记", "请问，如何提升党支部理论学习的生动性、实效性？")
    record.mark_asking(first)
    record.add_commentary("法工委", "李清", "要进一步发挥示范引领作用，持续擦亮支部党建品牌。")
    assert snap_compare(ClerkApp(demo_db, clock=clock), terminal_size=(100, 30))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_results_on_the_podium(snap_compare, demo_db, clock, store, size):
    from core.ballots.demo import fill_demo_ballots

    fill_demo_ballots(store)  # seeded: the same 72 ballots every run; scoring closed
    store.move(12)
    app = HostApp(demo_db, clock=clock, manage_service=False)

    async def run_before(pilot):
        await pilot.press("t")  # scoring is closed, so the results show
        # The tally arrives from the counting worker: a key before it would be lost.
        ranking = app.query_one("#ranking")
        await wait_until(pilot, lambda: ranking.row_count and app.focused is ranking)
        view = app.query_one(ResultsView)
        await pilot.press("down", "down")  # quick: the second is not lost to a refill
        await wait_until(pilot, lambda: view.selected == 2)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def twenty_six_questions(store) -> None:
    """A long queue: some answered, long ones that wrap, ▶ on the very last."""
    from core.record.entries import Record

    record = Record(store)
    ids = []
    for n in range(1, 27):
        text = (
            "请问，在立法工作中，如何坚持全过程人民民主，确保每一项立法都更好体现人民意志？"
            if n % 4 == 0
            else "如何提升党支部理论学习的生动性、实效性？"
        )
        ids.append(record.add_question("法工委", "高天庚" if n % 3 == 0 else "", text))
    for question in ids[:10]:
        record.answer(question, "已答")
    record.mark_asking(ids[-1])


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_question_queue_keeps_the_asked_question_in_view(snap_compare, demo_db, clock, store, size):
    twenty_six_questions(store)
    store.move(2)
    clock.advance(75)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    assert snap_compare(app, terminal_size=size, run_before=settle)


def projector_phase(store, clock, phase: str) -> None:
    from core.ballots.demo import fill_demo_ballots
    from core.record.entries import Record

    store.set_meta("base_url", "http://192.168.1.20:8700")  # the same QR code on every machine
    if phase == "report":
        store.toggle_timer()
        clock.advance(95)
    elif phase == "questions":
        store.move(2)
        clock.advance(200)
        record = Record(store)
        record.mark_asking(
            record.add_question("法工委", "高天庚", "请问，如何推动党建与业务深度融合发展？")
        )
    elif phase == "scoring":
        store.move(12)
        store.set_poll("open")
        clock.advance(200)
    elif phase == "results":
        fill_demo_ballots(store)  # scoring closed
        store.move(13)
        store.set_meta("results_row", "17")  # the host selected row 18: page 2 on a small screen


@pytest.mark.parametrize("size", [(64, 18), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("phase", ["report", "questions", "scoring", "results"])
def test_projector_in_each_phase(snap_compare, demo_db, clock, store, phase, size):
    from tui.display import DisplayApp

    projector_phase(store, clock, phase)
    app = DisplayApp(demo_db, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=settle)
