"""Ballots in the store: a phone's ballot for its slip, and ballots that come without
a slip (paper, imported).

Secrecy is a property of what is stored: a ballot row holds a random id, its
voter category, its source and whether it counts; nothing that leads back to
a token (no reference, no time, no row order: the tables have no rowid and
are keyed by the random id). "Used" is a flag on the token, set in the same
transaction that inserts the ballot. Receipts live in a table of their own.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from core.ballots.counts import count_stored_ballot, counting
from core.ballots.items import Item, criterion_ids_of, criterion_names_of
from core.ballots.lifecycle import ensure_changeable
from core.ballots.tally import BallotSource
from core.ballots.tokens import BallotRefused, Refusal, check_token, new_code, pretty_code
from core.i18n import t
from core.meeting.model import Poll
from core.meeting.store import MeetingStore
from core.store import insert_rows, random_keys
from core.store.schema import BALLOT_IDS
from core.text import clean_text


@dataclass(frozen=True)
class Stored:
    ballot_id: int
    receipt: str | None  # shown once to a phone voter; paper and imported ballots have none
    revised: bool


@dataclass
class BallotEntry:
    grades: dict[Item, str | None]
    comments: dict[str, str] = field(default_factory=dict)


def store_ballot(store: MeetingStore, credential: str, entry: BallotEntry) -> Stored:
    """Store a voter's ballot for their token, atomically: one ballot per token, ever.

    A replayed or second POST changes nothing (BallotRefused "used"), unless the
    meeting lets voters revise until scoring closes.
    """
    with store.transaction():
        # Checked inside the write lock: two posts of one token cannot both pass.
        info = check_token(store, credential)
        if info.ballot_id is not None:
            count_stored_ballot(store, info.ballot_id, sign=-1)  # old choices leave the tally
            _clear_ballot(store, info.ballot_id)
            _write_many_grades(store, [(info.ballot_id, entry)])
            count_stored_ballot(store, info.ballot_id)
            store.record("ballot.revised", {"category": info.category, "source": BallotSource.WEB})
            return Stored(info.ballot_id, info.receipt, revised=True)
        [ballot_id] = _insert_ballots(store, [(info.category, entry)], BallotSource.WEB, None)
        receipt = _new_receipt(store)
        store.conn.execute("UPDATE tokens SET used = 1 WHERE id = ?", [info.id])
        if store.meeting.poll.allow_revision:
            store.conn.execute(
                "INSERT INTO revision_links (token_id, ballot_id, receipt) VALUES (?, ?, ?)",
                [info.id, ballot_id, receipt],
            )
        # The audit event names neither the token nor the ballot.
        store.record("ballot.submitted", {"category": info.category, "source": BallotSource.WEB})
        return Stored(ballot_id, receipt, revised=False)


def add_ballots(
    store: MeetingStore,
    ballots: Sequence[tuple[str, BallotEntry]],
    *,
    source: BallotSource | str,
    entered_by: str | None = None,
) -> list[Stored]:
    """Ballots that arrive without a slip (paper, imported), all in one transaction:
    every one is stored, or none is. They take no token: "issued" counts printed slips.

    Paper ballots need scoring open; imported ones may come in before it opens, not
    once it closed. Returns what was stored for each ballot, in the order given.
    """
    source = BallotSource(source)
    known = {c.name for c in store.meeting.categories}
    for category, _ in ballots:
        if category not in known:
            raise KeyError(category)
    with store.transaction():
        poll = store.poll()
        if source == BallotSource.PAPER and poll != Poll.OPEN:
            raise BallotRefused(Refusal.CLOSED if poll == Poll.CLOSED else Refusal.NOT_OPEN)
        ensure_changeable(store, t("change.import"))  # imported: refused once closed
        ids = _insert_ballots(store, ballots, source, entered_by)
        if source == BallotSource.PAPER:
            # A paper ballot is named in its events: the two-person check is audited,
            # and a paper form leads to no slip and no voter.
            for ballot_id, (category, _) in zip(ids, ballots, strict=True):
                store.record(
                    "ballot.submitted",
                    {"category": category, "source": source, "ballot": ballot_id},
                )
        elif ballots:
            # One event for the whole import: how many ballots of each category.
            per_category = Counter(category for category, _ in ballots)
            store.record(
                "ballots.added",
                {"source": source, "count": len(ballots), "categories": dict(per_category)},
            )
    return [Stored(ballot_id, None, revised=False) for ballot_id in ids]


def _insert_ballots(
    store: MeetingStore,
    ballots: Sequence[tuple[str, BallotEntry]],
    source: BallotSource,
    entered_by: str | None,
) -> list[int]:
    """The ballots' rows and, when they count at once, the tally's counts; inside the
    caller's transaction. Returns each ballot's id, in the order given.

    Ids are drawn at random, and rows are written in the order of their ids, so
    nothing of the order the ballots came in (a file's rows) is kept."""
    ids = random_keys(store.conn, "ballots", len(ballots), *BALLOT_IDS)
    order = sorted(range(len(ballots)), key=ids.__getitem__)
    counted = source != BallotSource.PAPER  # paper counts once a second person confirms it
    store.conn.executemany(
        "INSERT INTO ballots (id, category, source, counted, entered_by) VALUES (?, ?, ?, ?, ?)",
        [(ids[i], ballots[i][0], source, int(counted), entered_by) for i in order],
    )
    _write_many_grades(store, ((ids[i], ballots[i][1]) for i in order))
    if counted:
        with counting(store) as delta:
            for category, entry in ballots:
                delta.add(category, source, entry.grades)
    return ids


def _new_receipt(store: MeetingStore) -> str:
    """A receipt drawn at random, in a table of its own (linked to nothing); drawn
    again on the rare collision (the primary key refuses it; the transaction goes on)."""
    while True:
        receipt = pretty_code(new_code())
        try:
            store.conn.execute("INSERT INTO receipts (receipt) VALUES (?)", [receipt])
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" not in str(exc):
                raise
            continue
        return receipt


def _clear_ballot(store: MeetingStore, ballot_id: int) -> None:
    store.conn.execute("DELETE FROM scores WHERE ballot_id = ?", [ballot_id])
    store.conn.execute("DELETE FROM comments WHERE ballot_id = ?", [ballot_id])


def _write_many_grades(store: MeetingStore, ballots: Iterable[tuple[int, BallotEntry]]) -> None:
    """The grades and comments of many ballots, a few hundred rows per statement (an
    import of 100,000 ballots is 6 million score rows, not 100,000 calls). One pass
    over `ballots`, which may be a generator: an import never holds them all."""
    subject_ids = store.ids("subjects")
    criterion_ids = criterion_ids_of(store)
    comments: list[tuple[int, int, str]] = []

    def score_rows() -> Iterator[tuple[int, int, int, str | None]]:
        for ballot_id, entry in ballots:
            for s, text in entry.comments.items():
                if cleaned := clean_text(text).strip():
                    comments.append((ballot_id, subject_ids[s], cleaned))
            for (subject, criterion), grade in entry.grades.items():
                yield ballot_id, subject_ids[subject], criterion_ids[criterion], grade or None

    insert_rows(
        store.conn,
        "INSERT INTO scores (ballot_id, subject_id, criterion_id, grade)",
        score_rows(),
        width=4,
    )
    insert_rows(store.conn, "INSERT INTO comments (ballot_id, subject_id, text)", comments, width=3)


def ballot_grades(store: MeetingStore, ballot_id: int) -> BallotEntry:
    """A stored ballot as the form shows it (for revising or confirming)."""
    subjects = store.names("subjects")
    criteria = criterion_names_of(store)
    grades = {
        (subjects[s], criteria[c]): g
        for s, c, g in store.conn.execute(
            "SELECT subject_id, criterion_id, grade FROM scores WHERE ballot_id = ?", [ballot_id]
        )
    }
    comments = {
        subjects[s]: text
        for s, text in store.conn.execute(
            "SELECT subject_id, text FROM comments WHERE ballot_id = ?", [ballot_id]
        )
    }
    return BallotEntry(grades, comments)


def counted_grades(
    store: MeetingStore,
) -> list[tuple[int, str, BallotSource, dict[Item, str | None]]]:
    """Every counted ballot as (id, category, source, grades): the one reading of the
    ballots with their grades (the reference tally, and counting them again)."""
    subjects = store.names("subjects")
    criteria = criterion_names_of(store)
    grades: dict[int, dict[Item, str | None]] = {}
    for ballot_id, subject_id, criterion_id, grade in store.conn.execute(
        "SELECT s.ballot_id, s.subject_id, s.criterion_id, s.grade FROM scores s "
        "JOIN ballots b ON b.id = s.ballot_id WHERE b.counted = 1"
    ):
        grades.setdefault(ballot_id, {})[(subjects[subject_id], criteria[criterion_id])] = grade
    return [
        (ballot_id, category, BallotSource(source), grades.get(ballot_id, {}))
        for ballot_id, category, source in store.conn.execute(
            "SELECT id, category, source FROM ballots WHERE counted = 1"
        )
    ]


def comments_by_subject(store: MeetingStore) -> dict[str, list[str]]:
    """Voters' comments (意见建议) of counted ballots per subject, in form order; each
    subject's comments sorted by text so nothing follows the order ballots came in."""
    names = store.names("subjects")
    out: dict[str, list[str]] = {s.name: [] for s in store.meeting.subjects}
    for subject_id, text in store.conn.execute(
        "SELECT c.subject_id, c.text FROM comments c JOIN ballots b ON b.id = c.ballot_id "
        "WHERE b.counted = 1"
    ):
        if text and text.strip():
            out[names[subject_id]].append(text.strip())
    ordered = [s.name for s in (*store.meeting.onsite, *store.meeting.written)]
    return {name: sorted(out[name]) for name in ordered}


def receipts(store: MeetingStore) -> list[str]:
    """The receipts of every stored phone ballot, sorted: publishable, since nothing
    links a receipt to a ballot or to a slip."""
    return [r for (r,) in store.conn.execute("SELECT receipt FROM receipts ORDER BY receipt")]
