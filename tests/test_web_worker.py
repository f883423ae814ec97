"""The service's database threads: a queued write that cannot start in time is
dropped (never done behind the voter's back), and a full queue answers at once."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import threading
import time
from types import SimpleNamespace

import pytest

from core.ballots.items import form_items
from core.ballots.results import load_tally, load_tally_reference
from core.ballots.storing import BallotEntry, store_ballot
from core.ballots.tokens import BallotRefused, issue_tokens, revoke_token
from core.meeting.store import MeetingStore
from core.web import worker
from core.web.worker import Database, ServiceBusy
from tests.conftest import FakeClock, until


async def test_a_write_that_cannot_start_in_time_is_dropped_not_done_later(demo_db, monkeypatch):
    # The deadline is on the writer's monotonic clock: the test moves it by hand.
    monotonic = FakeClock(1000.0)
    monkeypatch.setattr(worker, "time", SimpleNamespace(monotonic=monotonic, time=time.time))
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
    queued = asyncio.ensure_future(database.write(late))
    await until(lambda: database._queued == 2, what="the late write queued")
    monotonic.advance(0.4)  # past its deadline while the blocker still runs
    release.set()
    with pytest.raises(ServiceBusy):
        await queued
    await first
    await asyncio.get_running_loop().run_in_executor(None, database.close)
    assert done == ["blocker"]


async def test_a_full_queue_is_busy_at_once(demo_db):
    database = Database(demo_db, max_queued=1, deadline_s=5)
    release = threading.Event()
    first = asyncio.ensure_future(database.write(lambda store: release.wait(10)))
    await until(lambda: database._queued == 1, what="the first write queued")
    with pytest.raises(ServiceBusy):
        await database.read(lambda store: None)
    release.set()
    await first
    assert await database.read(lambda store: store.meeting.title)
    await asyncio.get_running_loop().run_in_executor(None, database.close)


def _held_writer(database: Database):
    """Keep the writer busy so the writes queued next go into one batch."""
    started, release = threading.Event(), threading.Event()

    def blocker(store):
        started.set()
        release.wait(10)

    return asyncio.ensure_future(database.write(blocker)), started, release


async def test_ballots_stored_together_each_get_their_own_outcome(demo_db, clock):
    """Group commit: many posts in one transaction, yet a refused or failing one
    undoes only itself, and the tally's counts equal a recount of what is stored."""
    with MeetingStore(demo_db, clock=clock) as store:
        store.set_poll("open")
        slips = issue_tokens(store, "党员代表", 6)
        revoke_token(store, slips[5].code)
        items = form_items(store.meeting)
    rng = random.Random(3)
    grades = ["好", "较好", "一般", "差"]

    def entry() -> BallotEntry:
        return BallotEntry({item: rng.choice(grades) for item in items})

    def stored_then_failed(store, token, ballot):
        store_ballot(store, token, ballot)
        raise RuntimeError("disk trouble after the insert")

    database = Database(demo_db, clock=clock)
    first, started, release = _held_writer(database)
    await asyncio.get_running_loop().run_in_executor(None, started.wait, 10)
    posts = [
        database.write(store_ballot, slips[0].token, entry()),
        database.write(store_ballot, slips[1].token, entry()),
        database.write(store_ballot, slips[0].token, entry()),  # a second post: refused
        database.write(stored_then_failed, slips[2].token, entry()),
        database.write(store_ballot, slips[3].token, entry()),
        database.write(store_ballot, slips[5].token, entry()),  # revoked: refused
    ]
    queued = asyncio.gather(*posts, return_exceptions=True)
    await until(lambda: database._queued == 1 + len(posts), what="every post queued")
    release.set()
    await first
    outcomes = await queued
    await asyncio.get_running_loop().run_in_executor(None, database.close)

    kinds = [
        o.kind
        if isinstance(o, BallotRefused)
        else type(o).__name__
        if isinstance(o, Exception)
        else "stored"
        for o in outcomes
    ]
    assert kinds == ["stored", "stored", "used", "RuntimeError", "stored", "revoked"]
    with MeetingStore(demo_db, clock=clock) as store:
        assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 3
        used = store.db.execute("SELECT count(*) FROM tokens WHERE used = 1").fetchone()[0]
        assert used == 3  # the failed post's slip can still vote
        store_ballot(store, slips[2].token, entry())
        assert load_tally(store) == load_tally_reference(store)
        assert load_tally(store).ballots.returned == 4


async def test_a_batch_that_cannot_get_the_lock_stores_nothing_and_says_busy(demo_db, clock):
    with MeetingStore(demo_db, clock=clock) as store:
        store.set_poll("open")
        slips = issue_tokens(store, "党员代表", 3)
        grades = dict.fromkeys(form_items(store.meeting), "好")
    other = sqlite3.connect(demo_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    database = Database(demo_db, clock=clock, busy_wait_ms=100)
    outcomes = await asyncio.gather(
        *(database.write(store_ballot, s.token, BallotEntry(grades)) for s in slips),
        return_exceptions=True,
    )
    other.rollback()
    other.close()
    assert all(isinstance(o, ServiceBusy) for o in outcomes)
    assert await database.write(store_ballot, slips[0].token, BallotEntry(grades))
    await asyncio.get_running_loop().run_in_executor(None, database.close)
    with MeetingStore(demo_db, clock=clock) as store:
        assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 1
        assert load_tally(store) == load_tally_reference(store)
