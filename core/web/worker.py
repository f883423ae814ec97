"""Database work for the ballot service, off the event loop.

The event loop never waits on SQLite: every query runs in a thread with its own
connection. Writes go to one writer thread, in the order they arrive (so two
posts of one token apply one after the other); reads go to a small pool. A job
that has not started by its deadline is dropped, and a busy database (another
process holding the write lock) turns into `ServiceBusy` after a short wait, so
a voter sees "please wait, your choices are kept" instead of a 500.

Group commit: the writes waiting when the writer comes round are stored in one
transaction, each in its own savepoint (a refused ballot undoes only itself),
and every voter is answered after the commit. When many phones post at once,
one commit serves them all, instead of each paying for its own.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from core.errors import StoreBusy
from core.store import Clock, MeetingStore

T = TypeVar("T")

BUSY_WAIT_MS = 2_000  # how long one write waits for another process's lock
JOB_DEADLINE_S = 6.0  # a voter waits at most about this long for a queued job to start
MAX_QUEUED = 5_000  # beyond this many waiting jobs, answer "busy" at once (memory bound)
MAX_BATCH = 64  # writes stored in one transaction, at most


@dataclass
class _Write:
    deadline: float
    job: Callable[..., Any]
    args: tuple[Any, ...]
    future: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)


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
        self._writes: queue.SimpleQueue[_Write | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write_loop, name="sanshu-writer", daemon=True)
        self._writer.start()
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
        with _busy_is_service_busy():
            return job(self._store(), *args)

    async def read(self, job: Callable[..., T], *args: Any) -> T:
        self._check_room()
        # A job that has not started by its deadline drops itself when its turn comes
        # (so the voter is answered "busy", and nothing is done behind their back); one
        # that started finishes, bounded by the busy wait, and its outcome stands.
        deadline = time.monotonic() + self.deadline_s
        return await self._wait(self._readers.submit(self._run, deadline, job, args))

    async def write(self, job: Callable[..., T], *args: Any) -> T:
        self._check_room()
        write = _Write(time.monotonic() + self.deadline_s, job, args)
        self._writes.put(write)
        return await self._wait(write.future)

    def _check_room(self) -> None:
        if self._queued >= self.max_queued:
            raise ServiceBusy

    async def _wait(self, future: concurrent.futures.Future) -> Any:
        self._queued += 1
        try:
            return await asyncio.wrap_future(future)
        finally:
            self._queued -= 1

    def _write_loop(self) -> None:
        while (first := self._writes.get()) is not None:
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    write = self._writes.get_nowait()
                except queue.Empty:
                    break
                if write is None:
                    self._writes.put(None)  # stop after this batch
                    break
                batch.append(write)
            self._write_batch(batch)

    def _write_batch(self, batch: list[_Write]) -> None:
        now = time.monotonic()
        live = []
        for write in batch:
            if not write.future.set_running_or_notify_cancel():
                continue
            if now > write.deadline:
                write.future.set_exception(ServiceBusy())  # its voter was told to retry
            else:
                live.append(write)
        if not live:
            return
        outcomes: list[tuple[bool, Any]] = []
        try:
            with _busy_is_service_busy():
                store = self._store()
                with store.batch():
                    for write in live:
                        try:
                            with store.transaction():  # a savepoint: undoes this job alone
                                outcomes.append((True, write.job(store, *write.args)))
                        except Exception as exc:
                            outcomes.append((False, exc))
        except BaseException as exc:  # nothing was stored: every voter hears why
            for write in live:
                write.future.set_exception(exc)
            return
        for write, (ok, value) in zip(live, outcomes, strict=True):
            if ok:
                write.future.set_result(value)
            else:
                write.future.set_exception(value)

    def close(self) -> None:
        self._writes.put(None)
        self._writer.join()
        while True:  # writes that came after the stop are not done; their voters retry
            try:
                write = self._writes.get_nowait()
            except queue.Empty:
                break
            if write is not None:
                write.future.cancel()
        self._readers.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            for store in self._stores:
                store.close()
            self._stores.clear()


class _busy_is_service_busy:
    """Another process holding the write lock past the busy wait: "try again shortly"."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        if isinstance(exc, StoreBusy):
            raise ServiceBusy from None
        if isinstance(exc, sqlite3.OperationalError) and (
            "locked" in str(exc) or "busy" in str(exc)
        ):
            raise ServiceBusy from None
        return False
