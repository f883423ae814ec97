"""Database work for the ballot service, off the event loop.

The event loop never waits on SQLite: every query runs in a thread with its own
connection. Writes go to one writer thread, in the order they arrive (so two
posts of one token apply one after the other); reads go to a small pool. A job
that has not started by its deadline is dropped, and a busy database (another
process holding the write lock) turns into `ServiceBusy` after a short wait, so
a voter sees "please wait, your choices are kept" instead of a 500.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from core.errors import StoreBusy
from core.store import Clock, MeetingStore

T = TypeVar("T")

BUSY_WAIT_MS = 2_000  # how long one write waits for another process's lock
JOB_DEADLINE_S = 6.0  # a voter waits at most about this long for a queued job to start
MAX_QUEUED = 5_000  # beyond this many waiting jobs, answer "busy" at once (memory bound)


class ServiceBusy(Exception):
    """The database cannot take this job now; the voter should try again shortly."""


class Database:
    def __init__(
        self,
        path: str | Path,
        *,
        clock: Clock = time.time,
        readers: int = 2,
        busy_wait_ms: int = BUSY_WAIT_MS,
        deadline_s: float = JOB_DEADLINE_S,
        max_queued: int = MAX_QUEUED,
    ):
        self.path = Path(path)
        self.clock = clock
        self.busy_wait_ms = busy_wait_ms
        self.deadline_s = deadline_s
        self.max_queued = max_queued
        self._local = threading.local()
        self._stores: list[MeetingStore] = []
        self._lock = threading.Lock()
        self._writer = concurrent.futures.ThreadPoolExecutor(1, "sanshu-writer")
        self._readers = concurrent.futures.ThreadPoolExecutor(readers, "sanshu-reader")
        self._queued = 0

    def _store(self) -> MeetingStore:
        store = getattr(self._local, "store", None)
        if store is None:
            store = MeetingStore(self.path, actor="voter", clock=self.clock)
            store.db.execute(f"PRAGMA busy_timeout = {self.busy_wait_ms}")
            self._local.store = store
            with self._lock:
                self._stores.append(store)
        return store

    def _run(self, deadline: float, job: Callable[..., T], args: tuple[Any, ...]) -> T:
        if time.monotonic() > deadline:
            raise ServiceBusy  # the voter has been told to retry; do not act behind them
        try:
            return job(self._store(), *args)
        except StoreBusy:
            raise ServiceBusy from None
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise ServiceBusy from None
            raise

    async def read(self, job: Callable[..., T], *args: Any) -> T:
        return await self._submit(self._readers, job, args)

    async def write(self, job: Callable[..., T], *args: Any) -> T:
        return await self._submit(self._writer, job, args)

    async def _submit(
        self, pool: concurrent.futures.Executor, job: Callable[..., T], args: tuple[Any, ...]
    ) -> T:
        if self._queued >= self.max_queued:
            raise ServiceBusy
        # A job that has not started by its deadline drops itself when its turn comes
        # (so the voter is answered "busy", and nothing is done behind their back); one
        # that started finishes, bounded by the busy wait, and its outcome stands.
        deadline = time.monotonic() + self.deadline_s
        self._queued += 1
        try:
            return await asyncio.wrap_future(pool.submit(self._run, deadline, job, args))
        finally:
            self._queued -= 1

    def close(self) -> None:
        self._writer.shutdown(wait=True, cancel_futures=True)
        self._readers.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            for store in self._stores:
                store.close()
            self._stores.clear()
