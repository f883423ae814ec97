"""Bring a meeting database up to this version's schema, one step at a time."""

from __future__ import annotations

import sqlite3

from core.errors import StoreError
from core.i18n import t
from core.store import schema
from core.store.transactions import immediate

SCHEMA_VERSION = 9


def schema_version(conn: sqlite3.Connection) -> int:
    """The version a database was migrated to; 0: not a Sanshu database (yet)."""
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    if conn.execute(query).fetchone() is None:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection) -> None:
    """Run every step this database has not had yet, each in its own transaction."""
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise StoreError(t("db.too_new", found=current, supported=SCHEMA_VERSION))
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
