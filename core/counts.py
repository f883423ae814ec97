"""What the consoles count off the screen thread: turnout and the tally.

Both grow with the ballots, so the consoles compute them in a worker thread, and
only when something they depend on changed: `ballot_signature` is a handful of
aggregate reads that moves whenever a ballot, a confirmation, a revision, a
token, a daily score, an override or the poll changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.store import MeetingStore

if TYPE_CHECKING:
    from core.tally import Tally

# Audit events that never change a count: the agenda, timers, the clerk's record.
_NOT_COUNTS = ("agenda.", "timer.", "question.", "commentary.", "projector.")


def ballot_signature(store: MeetingStore) -> tuple:
    """Moves whenever turnout or the tally could change. Ballots hold no times or
    ordered ids (secrecy), so this reads the latest event that is not about the
    agenda (each ballot, revision, confirmation or import writes one), the counts,
    and the small tables of tokens, daily scores and overrides."""
    skip = " AND ".join("substr(kind, 1, ?) != ?" for _ in _NOT_COUNTS)
    args = [value for prefix in _NOT_COUNTS for value in (len(prefix), prefix)]
    latest = store.db.execute(
        f"SELECT id FROM events WHERE {skip} ORDER BY id DESC LIMIT 1", args
    ).fetchone()
    return (
        latest[0] if latest else 0,
        *store.db.execute(
            "SELECT (SELECT count(*) FROM ballots), (SELECT total(counted) FROM ballots), "
            "(SELECT count(*) FROM tokens WHERE revoked_at IS NULL), "
            "(SELECT group_concat(subject_id || ':' || component || ':' || score || ':' || at) "
            "FROM daily_scores), "
            "(SELECT group_concat(subject_id || ':' || grade || ':' || at) FROM overrides), "
            "(SELECT poll FROM state WHERE id = 1)"
        ).fetchone(),
    )


@dataclass(frozen=True)
class Counts:
    signature: tuple
    turnout: dict[str, tuple[int, int]]  # category → (counted, expected)
    pending_paper: int
    tally: Tally | None  # only when asked for (the results are showing)

    @property
    def submitted(self) -> int:
        return sum(n for n, _ in self.turnout.values())


def count(store: MeetingStore, *, with_tally: bool) -> Counts:
    # Loaded in the counting worker, after the console's first frame (#14 §2).
    from core.ballots import pending_paper, turnout
    from core.results import load_tally

    signature = ballot_signature(store)
    return Counts(
        signature=signature,
        turnout=turnout(store),
        pending_paper=pending_paper(store),
        tally=load_tally(store) if with_tally else None,
    )
