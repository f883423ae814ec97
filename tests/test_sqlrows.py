"""Many rows in few statements: every row arrives, whatever the count, and an
ON CONFLICT tail adds to what is stored (the tally's counts depend on it)."""

from __future__ import annotations

import sqlite3

from core.store.rows import ROWS_PER_STATEMENT, insert_rows


def test_every_row_arrives_across_statements_and_conflicts_add_up():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE counts (key INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
    total = 2 * ROWS_PER_STATEMENT + 57  # two full statements and a partial one
    add = "ON CONFLICT (key) DO UPDATE SET n = n + excluded.n"
    insert_rows(conn, "INSERT INTO counts", ((k, 1) for k in range(total)), width=2, tail=add)
    insert_rows(conn, "INSERT INTO counts", ((k, 2) for k in range(0, total, 3)), width=2, tail=add)
    insert_rows(conn, "INSERT INTO counts", iter(()), width=2, tail=add)  # nothing: no statement
    rows = dict(conn.execute("SELECT key, n FROM counts"))
    assert len(rows) == total
    assert all(n == (3 if k % 3 == 0 else 1) for k, n in rows.items())
