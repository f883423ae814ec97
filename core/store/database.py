"""One meeting = one SQLite file (WAL), shared by every sanshu process.

Every state change and its audit event are written in one short
`BEGIN IMMEDIATE` transaction; other processes notice the change by polling
`PRAGMA data_version`. A `Store` gives each thread its own connection (a
connection is never handed from one thread to another): a console's worker
thread or the ballot service's writer simply uses the store, and gets its own.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from core.errors import StoreBusy, StoreError
from core.files import checked_file
from core.i18n import t
from core.store.migrations import (
    SCHEMA_VERSION,
    BadVersion,
    TooNew,
    migrate,
    missing_tables,
    schema_version,
)
from core.store.transactions import immediate, is_busy, savepoint

if TYPE_CHECKING:
    import sqlite_utils

APP_ID = "sanshu"
BUSY_TIMEOUT_MS = 10_000
# Set while scoring closed but its voting history is still in the file (a reader kept
# the write-ahead log from being emptied): `forget_history` clears it once done.
HISTORY_PENDING = "history_pending"
FINISH_WAIT_MS = 1_000  # how long opening the file waits to finish that erasure

Clock = Callable[[], float]


@dataclass(frozen=True)
class Event:
    id: int
    at: float
    actor: str
    kind: str
    payload: dict[str, Any]


def connect(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A connection for the calling thread only (sqlite3 refuses use from another)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")  # erased revision links leave no bytes behind
    return conn


def write_problem(exc: BaseException, path: Path) -> str | None:
    """What to tell the user about a write the database file cannot take, else None."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return t("db.read_only", path=path)
    if "disk is full" in text or "disk I/O error" in text:
        return t("db.full", path=path)
    return None


def prepare_new_file(path: Path, *, force: bool) -> None:
    """Make room for a new database at `path` (refused when one is there, unless forced)."""
    if path.exists():
        if not force:
            raise StoreError(t("db.exists", path=path))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)


class Store:
    """A process's handle on a meeting database: connections, transactions, the audit
    trail and the key/value `meta` table. What the tables mean is for the concepts
    (core/meeting, core/record, core/ballots, core/ledger) to say."""

    def __init__(
        self,
        path: str | Path,
        *,
        actor: str = "host",
        clock: Clock = time.time,
        busy_timeout_ms: int | None = None,
        new: bool = False,
    ):
        self.path = Path(path)
        self.actor = actor
        self.clock = clock
        self.busy_timeout_ms = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
        self._local = threading.local()
        if not new:
            if not self.path.exists():
                raise StoreError(t("db.missing", path=self.path))
            checked_file(self.path)  # a FIFO or a device would block SQLite's open
        try:
            # Never migrate someone else's database: only a new one starts at version 0.
            if not new:
                self._check_file()
            with self.writing():
                migrate(self.conn)
        except BadVersion as exc:
            self.close()
            shown = str(exc.value)[:20]
            raise StoreError(t("db.bad_version", path=self.path, got=shown)) from None
        except TooNew as exc:
            self.close()
            raise StoreError(
                t("db.too_new", path=self.path, found=exc.version, supported=SCHEMA_VERSION)
            ) from None
        except sqlite3.DatabaseError as exc:
            self.close()
            if "locked" in str(exc):
                raise StoreError(t("db.locked", path=self.path)) from None
            raise StoreError(t("db.not_sanshu", path=self.path)) from None
        except StoreError:
            self.close()
            raise
        if not new:
            self.finish_forgetting()  # every program that opens the file finishes the job

    def _check_file(self) -> None:
        """Is it a Sanshu database this program can open? Asked through a read-only
        connection: someone else's file, or one from a newer Sanshu, is left exactly
        as it was (the first write a normal connection makes turns on WAL)."""
        probe = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            version = schema_version(probe)
            if version == 0:
                raise StoreError(t("db.not_sanshu", path=self.path))
            if version > SCHEMA_VERSION:
                raise TooNew(version)
            if missing := missing_tables(probe, min(version, SCHEMA_VERSION)):
                raise StoreError(t("db.incomplete", path=self.path, tables="、".join(missing[:5])))
        finally:
            probe.close()

    # -- connections: one per thread ------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use, closed by `close()` in this
        thread or when the thread ends)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.path, self.busy_timeout_ms)
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection with sqlite-utils' table API (imported on first use:
        `sanshu status` reads the meeting without paying for it)."""
        utils: sqlite_utils.Database | None = getattr(self._local, "utils", None)
        if utils is None:
            import sqlite_utils

            utils = self._local.utils = sqlite_utils.Database(self.conn)
        return utils

    def close(self) -> None:
        """Close this thread's connection (other threads close their own)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        self._local.__dict__.clear()
        if conn is not None:
            conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------

    def data_version(self) -> int:
        """Changes whenever another connection commits (cheap; poll it)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def events(self, kind_prefix: str = "") -> list[Event]:
        rows = self.conn.execute(
            "SELECT id, at, actor, kind, payload FROM events "
            "WHERE substr(kind, 1, ?) = ? ORDER BY id",
            [len(kind_prefix), kind_prefix],
        )
        return [Event(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    def latest_event_id(self, *, except_prefixes: Sequence[str] = ()) -> int:
        """The newest audit event whose kind starts with none of `except_prefixes` (0: none)."""
        skip = " AND ".join("substr(kind, 1, ?) != ?" for _ in except_prefixes) or "1"
        args = [value for prefix in except_prefixes for value in (len(prefix), prefix)]
        row = self.conn.execute(
            f"SELECT id FROM events WHERE {skip} ORDER BY id DESC LIMIT 1", args
        ).fetchone()
        return int(row[0]) if row else 0

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def meta_keys(self, prefix: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT key FROM meta WHERE substr(key, 1, ?) = ?", [len(prefix), prefix]
        )
        return [row[0] for row in rows]

    # -- writing -------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing. Inside another transaction (the ballot service stores a
        batch of ballots in one), a savepoint: this part alone is undone if it fails."""
        conn = self.conn
        context = savepoint(conn) if conn.in_transaction else immediate(conn)
        with self.writing(), context:
            yield

    def check_writable(self) -> None:
        """Refuse now, in one line, a file this process could read but not write (before
        a command says it started something it cannot finish). Changes nothing."""
        conn = self.conn
        with self.writing():
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if is_busy(exc):
                    return  # another writer holds it: writable, only busy
                raise
            try:
                conn.execute("UPDATE meta SET value = value WHERE key = 'schema_version'")
            finally:
                conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """A write that the file refuses (read-only, a full disk, a damaged file) is one
        line naming the file and what to do, raised as a `StoreError`."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            if problem := write_problem(exc, self.path):
                raise StoreError(problem) from None
            raise
        except sqlite3.DatabaseError as exc:
            if "malformed" in str(exc) or "not a database" in str(exc):
                raise StoreError(t("db.damaged", path=self.path)) from None
            raise

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see one state of the database even while others write."""
        conn = self.conn
        if conn.in_transaction:  # already inside the caller's transaction
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            conn.execute("COMMIT")

    def record(self, kind: str, payload: dict[str, Any]) -> None:
        """Append an audit event; call inside `transaction()` with the change it records."""
        self.conn.execute(
            "INSERT INTO events (at, actor, kind, payload) VALUES (?, ?, ?, ?)",
            [self.clock(), self.actor, kind, json.dumps(payload, ensure_ascii=False)],
        )

    def set_meta(self, key: str, value: str | None) -> None:
        """Set a key of the meta table (None: remove it)."""
        with self.transaction():
            if value is None:
                self.conn.execute("DELETE FROM meta WHERE key = ?", [key])
            else:
                self.conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )

    # -- erasing the order of writing ----------------------------------------------

    def forget_history(self, *, wait_ms: int | None = None) -> bool:
        """Rewrite the file in key order, empty the write-ahead log and leave no free
        page, so neither the byte order of rows in a page, nor the log's frames, nor a
        freed page tells the order in which rows were written. True once done; False
        when another program's open read transaction keeps the log from being emptied
        (waited for up to `wait_ms`, default the store's busy timeout) or a writer
        holds the file: the pending mark (`HISTORY_PENDING`, set by whoever promised
        the erasure) stays, and the next program to open the file tries again."""
        conn = self.conn
        if conn.in_transaction:
            return False
        wait = self.busy_timeout_ms if wait_ms is None else wait_ms
        conn.execute(f"PRAGMA busy_timeout = {int(wait)}")
        try:
            conn.execute("VACUUM")
            if not self._log_emptied():
                return False
            if self.meta(HISTORY_PENDING) is not None:
                with self.transaction():
                    self.conn.execute("DELETE FROM meta WHERE key = ?", [HISTORY_PENDING])
                    self.record("history.erased", {})
                # What this wrote (the meta and events pages) tells nothing; empty the
                # log once more all the same, if nobody started reading meanwhile.
                self._log_emptied()
            return True
        except (sqlite3.DatabaseError, StoreBusy):  # busy or locked: tried again later
            return False
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")

    def _log_emptied(self) -> bool:
        """Checkpoint every frame of the write-ahead log into the file and truncate the
        log to nothing; False when a reader still needs a frame (the log stays)."""
        busy, _log, _done = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy and self.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0

    def history_erased(self) -> bool:
        """False while an erasure promised by closing scoring has not happened yet."""
        return self.meta(HISTORY_PENDING) is None

    def finish_forgetting(self, wait_ms: int = FINISH_WAIT_MS) -> bool:
        """Finish an erasure a closing left pending (a reader held the file then)."""
        if self.history_erased():
            return True
        return self.forget_history(wait_ms=min(wait_ms, self.busy_timeout_ms))
