"""Counting every stored ballot again: after a migration from before the counts
existed, and what the tests check the running counts against."""

from __future__ import annotations

from core.ballots.counts import CountDelta
from core.ballots.storing import counted_grades
from core.meeting.store import MeetingStore
from core.store.schema import COUNTS_STALE


def ensure_counted(store: MeetingStore) -> None:
    """Count every ballot again if ballots were stored before the counts existed (a
    database from an older version: it tallies exactly as it did)."""
    if store.meta(COUNTS_STALE):
        with store.transaction():
            recount(store)
            store.set_meta(COUNTS_STALE, None)


def recount(store: MeetingStore) -> None:
    """Throw the counts away and count every confirmed ballot again; inside the
    caller's transaction."""
    for table in ("tally_counts", "tally_graded", "tally_ballots"):
        store.conn.execute(f"DELETE FROM {table}")
    delta = CountDelta.for_store(store)
    for _, category, source, grades in counted_grades(store):
        delta.add(category, source, grades)
    delta.apply(store.conn)
