"""The real `sanshu clerk` in a terminal: killed mid-typing, the draft is back."""

from __future__ import annotations

import os
import signal

import pytest

from core.meeting.store import MeetingStore
from core.record.drafts import load_draft
from tests.conftest import wait_for
from tests.test_host_process import Screen, start_console
from tui.clerk import ClerkApp
from tui.widgets.entry import EntryArea

pytestmark = pytest.mark.slow  # a real console in a terminal


async def test_a_draft_typed_survives_kill_minus_nine(demo_db, clock):
    process, master = start_console(demo_db, "clerk")
    screen = Screen(master)
    typed = "如何加强年轻干部"
    try:
        store = MeetingStore(demo_db)
        screen.wait_for("询问")  # the first frame is up: keys are read now
        # The question box has the focus at start; type as a person would.
        os.write(master, typed.encode())
        wait_for(
            lambda: load_draft(store, "记录员", "question-text", "法工委") == typed,
            what="the draft stored",
        )
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert load_draft(MeetingStore(demo_db), "记录员", "question-text", "法工委") == typed
    restarted = ClerkApp(demo_db, clock=clock)
    async with restarted.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert restarted.query_one("#question-text", EntryArea).text == typed
