"""Turnout, and what the consoles count off the screen thread: turnout and the tally.

Both grow with the ballots, so the consoles compute them in a worker thread, and
only when something they depend on changed: `ballot_signature` is a handful of
aggregate reads that moves whenever a ballot, a confirmation, a revision, a
token, a daily score, an override or the poll changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.i18n import t
from core.meeting.store import MeetingStore

if TYPE_CHECKING:
    from core.ballots.tally import Tally

# Audit events that never change a count: the agenda, timers, the clerk's record.
_NOT_COUNTS = ("agenda.", "timer.", "question.", "commentary.", "projector.", "history.")


def turnout(store: MeetingStore) -> dict[str, tuple[int, int]]:
    """Per category: (counted ballots, expected voters). Unconfirmed paper ballots wait."""
    counted = dict(
        store.conn.execute(
            "SELECT category, count(*) FROM ballots WHERE counted = 1 GROUP BY category"
        ).fetchall()
    )
    return {c.name: (counted.get(c.name, 0), c.expected) for c in store.meeting.categories}


def over_expected(per_category: dict[str, tuple[int, int]]) -> list[str]:
    """A warning for each category that returned more ballots than it has voters."""
    return [
        t(
            "tally.warn.over_expected",
            category=name,
            returned=returned,
            expected=expected,
            share=f"{returned / expected:.0%}",
        )
        for name, (returned, expected) in per_category.items()
        if expected and returned > expected
    ]


def pending_paper(store: MeetingStore) -> int:
    query = "SELECT count(*) FROM ballots WHERE source = 'paper' AND counted = 0"
    return int(store.conn.execute(query).fetchone()[0])


def ballot_signature(store: MeetingStore) -> tuple[object, ...]:
    """Moves whenever turnout or the tally could change. Ballots hold no times or
    ordered ids (secrecy), so this reads the latest event that is not about the
    agenda (each ballot, revision, confirmation or import writes one), the counts,
    and the small tables of tokens, daily scores and overrides."""
    return (
        store.latest_event_id(except_prefixes=_NOT_COUNTS),
        *store.conn.execute(
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
    signature: tuple[object, ...]
    turnout: dict[str, tuple[int, int]]  # category → (counted, expected)
    pending_paper: int
    tally: Tally | None  # only when asked for (the results are showing)
    fingerprint: str = ""  # the tally's (结果校验码), with it
    notes: tuple[str, ...] = ()  # with it: more returned than expected, recomputations

    @property
    def submitted(self) -> int:
        return sum(n for n, _ in self.turnout.values())


def count(store: MeetingStore, *, with_tally: bool) -> Counts:
    # Loaded in the counting worker, after the console's first frame (#14 §2).
    from core.ballots.lifecycle import recomputed_lines
    from core.ballots.results import load_computed

    signature = ballot_signature(store)
    per_category = turnout(store)
    computed = load_computed(store) if with_tally else None
    return Counts(
        signature=signature,
        turnout=per_category,
        pending_paper=pending_paper(store),
        tally=computed.tally if computed else None,
        fingerprint=computed.fingerprint if computed else "",
        notes=(*over_expected(per_category), *recomputed_lines(store)) if computed else (),
    )
