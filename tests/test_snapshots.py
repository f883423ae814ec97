"""How the podium console looks, phase by phase, on a laptop and a big terminal.

Regenerate after a deliberate change: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from tui.host import HostApp

SIZES = [(80, 24), (160, 48)]

# Keys from the start of the meeting to reach each phase, and seconds on the clock.
PHASES = {
    "report-running": (["space"], 95),
    "report-overtime": (["space"], 489),
    "commentary": (["pagedown"], 0),
    "questions-paused": (["pagedown", "pagedown", "space"], 30),
    "scoring": (["t", "pageup", "v"], 0),
    "results": (["t"], 0),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("phase", list(PHASES))
def test_host_console(snap_compare, demo_db, clock, phase, size):
    keys, seconds = PHASES[phase]
    app = HostApp(demo_db, clock=clock, manage_service=False)

    async def run_before(pilot):
        await pilot.press(*keys)
        clock.advance(seconds)
        if phase == "questions-paused":
            await pilot.press("space")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_clerk_console(snap_compare, demo_db, clock, store):
    from core.record import Record
    from tui.clerk import ClerkApp

    record = Record(store)
    first = record.add_question("法工委", "高天庚", "请问，在立法工作中，如何坚持全过程人民民主？")
    record.add_question("法工委", "机关纪委书记", "请问，如何提升党支部理论学习的生动性、实效性？")
    record.mark_asking(first)
    record.add_commentary("法工委", "李清", "要进一步发挥示范引领作用，持续擦亮支部党建品牌。")
    assert snap_compare(ClerkApp(demo_db, clock=clock), terminal_size=(100, 30))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_projector_view(snap_compare, demo_db, clock, store, size):
    from core.record import Record
    from tui.display import DisplayApp

    store.move(2)
    store.toggle_timer()
    clock.advance(200)
    record = Record(store)
    record.mark_asking(
        record.add_question("法工委", "高天庚", "请问，如何推动党建与业务深度融合发展？")
    )
    assert snap_compare(DisplayApp(demo_db, clock=clock), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_results_on_the_podium(snap_compare, demo_db, clock, store, size):
    from core.demo_ballots import fill_demo_ballots

    fill_demo_ballots(store)  # seeded: the same 72 ballots every run
    app = HostApp(demo_db, clock=clock, manage_service=False)

    async def run_before(pilot):
        await pilot.press("t", "down", "down")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
