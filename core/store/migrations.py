"""Bring a meeting database up to this version's schema, one step at a time."""

from __future__ import annotations

import sqlite3

from core.store import schema
from core.store.transactions import immediate

SCHEMA_VERSION = 10


class BadVersion(Exception):
    """`meta.schema_version` holds something other than a version number."""

    def __init__(self, value: object):
        super().__init__(value)
        self.value = value


def schema_version(conn: sqlite3.Connection) -> int:
    """The version a database was migrated to; 0: not a Sanshu database (yet)."""
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    if conn.execute(query).fetchone() is None:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        return 0
    text = str(row[0]).strip()
    # Bounded before it is converted: a version is a small plain number.
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        raise BadVersion(row[0])
    return int(text)


def missing_tables(conn: sqlite3.Connection, version: int) -> list[str]:
    """The tables a database at `version` should hold and does not, sorted."""
    present = {
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    return sorted(schema.required_tables(version) - present)


class TooNew(Exception):
    """A database written by a newer Sanshu: never touched by this one."""

    def __init__(self, version: int):
        super().__init__(version)
        self.version = version


def migrate(conn: sqlite3.Connection) -> None:
    """Run every step this database has not had yet, each in its own transaction."""
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise TooNew(current)
    if current == SCHEMA_VERSION:
        return
    import sqlite_utils  # only when there is something to create or change

    db = sqlite_utils.Database(conn)
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with immediate(conn):
            schema.MIGRATIONS[version](db)
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [str(version)],
            )
