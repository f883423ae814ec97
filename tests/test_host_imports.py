"""The podium's first frame waits for nothing it does not show: `sanshu host`'s
module loads no office, web or QR library, and not the ballot or tally code either
(those load in the counting worker, after the first frame; bench/first_frame.py
measures the time)."""

from __future__ import annotations

import subprocess
import sys

NOT_AT_START = (
    "openpyxl",
    "docx",
    "jinja2",
    "qrcode",
    "aiohttp",
    "urllib.request",
    "core.ballots.validity",
    "core.ballots.storing",
    "core.ballots.counts",
    "core.ballots.tally",
    "core.ballots.results",
    "core.office",
)

PROBE = f"""
import sys
import tui.cli.meeting
import tui.host
print(",".join(m for m in {NOT_AT_START!r} if m in sys.modules))
"""


def test_the_podium_module_loads_nothing_its_first_frame_does_not_show():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


async def test_the_lazy_imports_are_really_there(demo_db, clock, store):
    """Scoring shows the QR code and the results the tally: both still load."""
    from core.ballots.demo import fill_demo_ballots
    from tests.conftest import settle
    from tui.host import HostApp
    from tui.widgets.results import ResultsView

    fill_demo_ballots(store)
    store.move(13)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert app.query_one(ResultsView).tally is not None
