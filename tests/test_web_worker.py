"""The service's database threads: a queued write that cannot start in time is
dropped (never done behind the voter's back), and a full queue answers at once."""

from __future__ import annotations

import asyncio
import threading

import pytest

from core.web.worker import Database, ServiceBusy


async def test_a_write_that_cannot_start_in_time_is_dropped_not_done_later(demo_db):
    database = Database(demo_db, deadline_s=0.2)
    started, release = threading.Event(), threading.Event()
    done: list[str] = []

    def blocker(store):
        started.set()
        release.wait(10)
        done.append("blocker")

    def late(store):
        done.append("late")  # must never happen: its voter was told to retry

    first = asyncio.ensure_future(database.write(blocker))
    await asyncio.get_running_loop().run_in_executor(None, started.wait, 10)
    with pytest.raises(ServiceBusy):
        await database.write(late)
    release.set()
    await first
    await asyncio.get_running_loop().run_in_executor(None, database.close)
    assert done == ["blocker"]


async def test_a_full_queue_is_busy_at_once(demo_db):
    database = Database(demo_db, max_queued=1, deadline_s=5)
    release = threading.Event()
    first = asyncio.ensure_future(database.write(lambda store: release.wait(10)))
    await asyncio.sleep(0)
    with pytest.raises(ServiceBusy):
        await database.read(lambda store: None)
    release.set()
    await first
    assert await database.read(lambda store: store.meeting.title)
    await asyncio.get_running_loop().run_in_executor(None, database.close)
