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
import contextlib
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TypeVar

from core.ballots import counts
from core.errors import StoreBusy, StoreError
from core.meeting.store import MeetingStore
from core.store import Clock

T = TypeVar("T")
log = logging.getLogger("sanshu.web")

BUSY_WAIT_MS = 2_000  # how long one write waits for another process's lock
JOB_DEADLINE_S = 6.0  # a voter waits at most about this long for a queued job to start
MAX_QUEUED = 5_000  # beyond this many waiting jobs, answer "busy" at once (memory bound)
MAX_BATCH = 64  # writes stored in one transaction, at most


@dataclass
class _Job:
    deadline: float  # not started by then: dropped, its voter was told to retry
    job: Callable[..., Any]
    args: tuple[Any, ...]
    future: asyncio.Future[Any]


Outcome = tuple[asyncio.Future[Any], bool, Any]  # the job's future, succeeded?, value or error


class ServiceBusy(Exception):
    """The database cannot take this job now; the voter should try again shortly."""


class CannotWrite(ServiceBusy):
    """The file refused the write (read-only, a full disk, damaged): busy for the voter,
    and the lane opens the file afresh for the next job, once someone has fixed it (a
    connection that opened a read-only file stays read-only)."""


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
        # One store; each lane thread gets its own connection from it (and closes it).
        self.store = MeetingStore(
            self.path, actor="voter", clock=clock, busy_timeout_ms=busy_wait_ms
        )
        self.store.close()  # this thread's connection: the lanes open their own
        self._queued = 0
        # Each lane is a queue and its threads; a thread takes every job waiting in
        # its queue at once and hands all their outcomes back in one wake-up of the
        # event loop (under load, one wake-up answers many voters).
        self._writes: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._reads: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        lanes = [(self._writes, self._write_batch, "sanshu-writer")]
        lanes += [(self._reads, self._read_batch, f"sanshu-reader-{n}") for n in range(readers)]
        self._threads = [
            threading.Thread(target=self._lane, args=(jobs, work), name=name, daemon=True)
            for jobs, work, name in lanes
        ]
        for thread in self._threads:
            thread.start()

    async def read(self, job: Callable[..., T], *args: Any) -> T:
        return await self._submit(self._reads, job, args)

    async def write(self, job: Callable[..., T], *args: Any) -> T:
        return await self._submit(self._writes, job, args)

    async def _submit(
        self, lane: queue.SimpleQueue[_Job | None], job: Callable[..., T], args: tuple[Any, ...]
    ) -> T:
        if self._queued >= self.max_queued:
            raise ServiceBusy
        # A job that has not started by its deadline drops itself when its turn comes
        # (so the voter is answered "busy", and nothing is done behind their back); one
        # that started finishes, bounded by the busy wait, and its outcome stands.
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        lane.put(_Job(time.monotonic() + self.deadline_s, job, args, future))
        self._queued += 1
        try:
            return await future
        finally:
            self._queued -= 1

    def _lane(
        self, jobs: queue.SimpleQueue[_Job | None], work: Callable[[list[_Job]], list[Outcome]]
    ) -> None:
        try:
            self._serve(jobs, work)
        finally:
            self.store.close()  # this lane's connection

    def _serve(
        self, jobs: queue.SimpleQueue[_Job | None], work: Callable[[list[_Job]], list[Outcome]]
    ) -> None:
        while (first := jobs.get()) is not None:
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    job = jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    jobs.put(None)  # stop after this batch
                    break
                batch.append(job)
            now = time.monotonic()
            late = [job for job in batch if now > job.deadline]
            live = [job for job in batch if now <= job.deadline and not job.future.cancelled()]
            outcomes = [(job.future, False, ServiceBusy()) for job in late]
            if live:
                outcomes += work(live)
            self._answer(outcomes)

    def _answer(self, outcomes: list[Outcome]) -> None:
        if outcomes:  # every future of a batch belongs to the service's one event loop
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
                outcomes[0][0].get_loop().call_soon_threadsafe(_settle, outcomes)

    def _read_batch(self, batch: list[_Job]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for job in batch:
            try:
                with _busy_is_service_busy():
                    outcomes.append((job.future, True, job.job(self.store, *job.args)))
            except CannotWrite as exc:
                self.store.close()
                outcomes.append((job.future, False, exc))
            except Exception as exc:
                outcomes.append((job.future, False, exc))
        return outcomes

    def _write_batch(self, batch: list[_Job]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        try:
            with _busy_is_service_busy():
                store = self.store
                with counts.batch(store):
                    for job in batch:
                        try:
                            with _busy_is_service_busy(), counts.part(store):
                                # a savepoint: undoes this job alone
                                outcomes.append((job.future, True, job.job(store, *job.args)))
                        except Exception as exc:
                            outcomes.append((job.future, False, exc))
        except Exception as exc:  # nothing was stored: every voter hears why
            outcomes = [(job.future, False, exc) for job in batch]
        if any(isinstance(value, CannotWrite) for _, ok, value in outcomes if not ok):
            self.store.close()  # this lane's connection: the next job opens the file again
        return outcomes  # answered only now, after the commit

    def close(self) -> None:
        self._writes.put(None)
        for _ in self._threads[1:]:
            self._reads.put(None)
        for thread in self._threads:
            thread.join()
        for jobs in (self._writes, self._reads):  # came after the stop: not done, retry
            while True:
                try:
                    job = jobs.get_nowait()
                except queue.Empty:
                    break
                if job is not None:
                    self._answer([(job.future, False, ServiceBusy())])


def _settle(outcomes: list[Outcome]) -> None:
    """On the event loop: every voter of a batch gets its answer."""
    for future, ok, value in outcomes:
        if future.done():  # the voter's request was cancelled meanwhile
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)


class _busy_is_service_busy:
    """Another process holding the write lock past the busy wait: "try again shortly".
    So is a file that cannot take the write (read-only, a full disk, damaged): the
    voter keeps every choice and may retry once the organiser has fixed it (the log
    says what, in one line); never a 500."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Literal[False]:
        if isinstance(exc, StoreBusy):
            raise ServiceBusy from None
        if isinstance(exc, sqlite3.OperationalError) and (
            "locked" in str(exc) or "busy" in str(exc)
        ):
            raise ServiceBusy from None
        if isinstance(exc, StoreError | sqlite3.DatabaseError):
            log.warning("the meeting database cannot be used now: %s", exc)
            raise CannotWrite from None
        return False
