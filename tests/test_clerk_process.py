"""The real `sanshu clerk` in a terminal: killed mid-typing, the draft is back."""

from __future__ import annotations

import os
import signal
import time

from core.meeting.store import MeetingStore
from core.record.drafts import load_draft
from tests.test_host_process import drain, start_console, wait_for
from tui.clerk import ClerkApp
from tui.widgets.entry import EntryArea


async def test_a_draft_typed_survives_kill_minus_nine(demo_db, clock):
    process, master = start_console(demo_db, "clerk")
    typed = "如何加强年轻干部"
    try:
        store = MeetingStore(demo_db)
        # The question box has the focus at start; type as a person would.
        assert wait_for(lambda: _type_until_stored(master, store, typed)), "draft not stored"
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


def _type_until_stored(master: int, store: MeetingStore, text: str) -> bool:
    drain(master)
    if load_draft(store, "记录员", "question-text", "法工委") == text:
        return True
    if not load_draft(store, "记录员", "question-text", "法工委"):
        time.sleep(1.0)  # let the console draw its first frame before typing
        os.write(master, text.encode())
    time.sleep(0.5)
    return load_draft(store, "记录员", "question-text", "法工委") == text
