"""Short write transactions on one connection: all or nothing, and parts that fail alone."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from core.errors import StoreBusy
from core.i18n import t


def is_busy(exc: BaseException) -> bool:
    """Another process held the write lock past the busy wait."""
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


@contextlib.contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """`BEGIN IMMEDIATE` … `COMMIT`: the write lock is taken first, so a transaction
    never fails half-way because another process wrote meanwhile."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise StoreBusy(t("db.busy")) from None
        raise
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextlib.contextmanager
def savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    """A change inside a caller's transaction that can fail on its own."""
    conn.execute("SAVEPOINT nested")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK TO nested")
        conn.execute("RELEASE nested")
        raise
    conn.execute("RELEASE nested")
