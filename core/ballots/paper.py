"""Paper ballots: typed in by one member of staff, counted once a second confirms them."""

from __future__ import annotations

from dataclasses import dataclass

from core.ballots.counts import count_stored_ballot
from core.ballots.lifecycle import ensure_changeable
from core.ballots.storing import BallotEntry, Stored, add_ballots
from core.ballots.tally import BallotSource
from core.errors import StoreError
from core.i18n import t
from core.meeting.store import MeetingStore


@dataclass(frozen=True)
class PaperBallot:
    id: int
    category: str
    entered_by: str


def enter_paper_ballot(
    store: MeetingStore, category: str, entry: BallotEntry, entered_by: str
) -> Stored:
    """A paper ballot, typed in by staff.

    It is stored as the voter wrote it, valid or not (the tally counts invalid
    ballots), and counts only once a second person confirms it.
    """
    return add_ballots(
        store, [(category, entry)], source=BallotSource.PAPER, entered_by=entered_by
    )[0]


def pending_paper_ballots(store: MeetingStore) -> list[PaperBallot]:
    rows = store.conn.execute(
        "SELECT id, category, coalesce(entered_by, '') FROM ballots "
        "WHERE source = 'paper' AND counted = 0 ORDER BY id"
    )
    return [PaperBallot(*row) for row in rows]


def confirm_paper_ballot(store: MeetingStore, ballot_id: int, confirmer: str) -> bool:
    """Count a paper ballot. The confirmer must not be the person who entered it."""
    with store.transaction():
        row = store.conn.execute(
            "SELECT counted, entered_by FROM ballots WHERE id = ? AND source = 'paper'",
            [ballot_id],
        ).fetchone()
        if row is None or row[0]:
            return False
        if not confirmer.strip() or confirmer.strip() == (row[1] or "").strip():
            raise StoreError(t("paper.same_person"))
        ensure_changeable(store, t("change.confirm"))
        store.conn.execute("UPDATE ballots SET counted = 1 WHERE id = ?", [ballot_id])
        count_stored_ballot(store, ballot_id)
        store.record("ballot.confirmed", {"ballot": ballot_id, "confirmer": confirmer})
    return True


def paper_entrant(store: MeetingStore) -> str | None:
    """Who entered most of the paper ballots (the clerk console writes its --name on
    each): the minutes' recorder when nobody else is named."""
    row = store.conn.execute(
        "SELECT entered_by FROM ballots WHERE source = 'paper' AND trim(coalesce(entered_by, '')) "
        "!= '' GROUP BY entered_by ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    return str(row[0]).strip() if row else None
