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
