"""Many rows in few statements.

Python's sqlite3 releases the GIL around every step of a statement, so an
`executemany` of 63 score rows in a database thread takes the GIL back 63 times;
while the event loop (or a console's screen thread) is busy, each of those waits
its turn: 15 ms a ballot instead of 0.3 ms measured with one busy thread. One
`INSERT ... VALUES (...), (...), ...` per few hundred rows steps once, and is
faster on its own too (52 µs against 100 µs for a ballot's rows).
"""

from __future__ import annotations

import functools
import json
import secrets
import sqlite3
from collections.abc import Iterable, Sequence

ROWS_PER_STATEMENT = 200  # 200 rows of 5 values stay far below SQLite's 32,766 variables


@functools.lru_cache(maxsize=64)
def _statement(head: str, width: int, rows: int, tail: str) -> str:
    row = "(" + ", ".join("?" * width) + ")"
    return f"{head} VALUES {', '.join([row] * rows)} {tail}".rstrip()


def insert_rows(
    conn: sqlite3.Connection,
    head: str,
    rows: Iterable[Sequence[object]],
    *,
    width: int,
    tail: str = "",
) -> None:
    """`head VALUES (…), (…) tail` for every row, `ROWS_PER_STATEMENT` at a time.

    `head` is e.g. "INSERT INTO scores (a, b)"; `tail` e.g. an ON CONFLICT clause.
    `rows` may be a generator: at most one statement's values are held at once.
    """
    values: list[object] = []
    count = 0
    for row in rows:
        values.extend(row)
        count += 1
        if count == ROWS_PER_STATEMENT:
            conn.execute(_statement(head, width, count, tail), values)
            values, count = [], 0
    if count:
        conn.execute(_statement(head, width, count, tail), values)


def random_keys(conn: sqlite3.Connection, table: str, count: int, low: int, span: int) -> list[int]:
    """`count` distinct random integer keys in [low, low + span) that `table` does not
    hold yet, in the (random) order drawn; inside the caller's write transaction.

    Checked against the table in one query per draw, not one per key. The order
    drawn is kept (an ordered set: a set of ints would iterate nearly sorted)."""
    keys: dict[int, None] = {}
    while len(keys) < count:
        drawn = [low + secrets.randbelow(span) for _ in range(count - len(keys))]
        taken = {
            row[0]
            for row in conn.execute(
                f"SELECT t.id FROM json_each(?) AS j JOIN {table} AS t ON t.id = j.value",
                [json.dumps(drawn)],
            )
        }
        for candidate in drawn:
            if candidate not in taken:
                keys[candidate] = None
    return list(keys)
