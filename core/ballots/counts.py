"""The tally's counts, kept up to date in the transaction that stores a ballot.

A tally then reads a few thousand counts instead of every grade again, so it
costs the same at 100 ballots or 100,000 (ENGINEERING: "a tally reads counts").
Three small tables, all changed only through `CountDelta`:

- `tally_counts`: per (subject, column, voter category, choice), how many valid
  counted ballots chose it (a blank is stored as '');
- `tally_graded`: per (subject, category), valid ballots that graded the subject;
- `tally_ballots`: per (source, problem kinds), counted ballots (valid: kinds '').

A ballot is counted once it is confirmed (web and imported ones at once, paper
ones when a second person confirms them); whether it is valid is decided by the
same `ballot_problems` the reference tally uses. `core.ballots.tally.compute_tally`
over every stored ballot stays the reference: tests/test_tally_counts.py checks
that both agree on random meetings.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from itertools import compress, groupby
from operator import itemgetter

from core.ballots.items import OVERALL, Item, criterion_ids_of, form_columns
from core.ballots.points import choice_scores
from core.ballots.tally import BallotCounts, BallotSource, SubjectCounts
from core.ballots.validity import ProblemKind, ballot_problems
from core.meeting.model import Meeting, derived
from core.meeting.store import MeetingStore
from core.store import insert_rows

# The counts of the batch being stored in this thread (see `batch`), if any.
_pending: ContextVar[CountDelta | None] = ContextVar("pending_counts", default=None)


@derived
def _counted_items(meeting: Meeting) -> tuple[Item, ...]:
    """Every item of the form, subject by subject: what a ballot's counts are keyed by."""
    return tuple((s.name, c) for s in meeting.subjects for c in form_columns(meeting))


class CountDelta:
    """Changes to the stored counts, gathered in memory and written in one go
    (a bulk import of 100,000 ballots writes a few thousand rows, not millions)."""

    def __init__(
        self, meeting: Meeting, subject_ids: Mapping[str, int], criterion_ids: Mapping[str, int]
    ):
        self.meeting = meeting
        self.subject_ids = subject_ids
        self.criterion_ids = criterion_ids
        # (subject_id, criterion_id, category), choice → ballots
        self.counts: Counter[tuple[tuple[int, int, str], str]] = Counter()
        self.graded: Counter[tuple[int, str]] = Counter()
        self.ballots: Counter[tuple[BallotSource, str]] = Counter()  # (source, kinds) → n
        # Worked out once per voter category, not per ballot (and shared with the
        # deltas made by `empty`): each counted item's count key and graded key.
        self._keys: dict[str, tuple[list[tuple[int, int, str]], list[tuple[int, str]]]] = {}

    def empty(self) -> CountDelta:
        other = CountDelta(self.meeting, self.subject_ids, self.criterion_ids)
        other._keys = self._keys  # the same ids: the same keys
        return other

    def merge(self, other: CountDelta) -> None:
        self.counts.update(other.counts)
        self.graded.update(other.graded)
        self.ballots.update(other.ballots)

    @classmethod
    def for_store(cls, store: MeetingStore) -> CountDelta:
        return cls(store.meeting, store.ids("subjects"), criterion_ids_of(store))

    def add(
        self,
        category: str,
        source: BallotSource,
        grades: Mapping[Item, str | None],
        sign: int = 1,
    ) -> None:
        """Count one ballot (sign -1: take it back out, before it is revised)."""
        meeting = self.meeting
        problems = ballot_problems(meeting, grades, on_screen=False)
        self.ballots[(source, ",".join(p.kind for p in problems))] += sign
        if problems:
            return  # an invalid ballot counts as returned, never in a score
        keys = self._keys.get(category) or self._keys_for(category)
        count_keys, graded_keys = keys
        labels = [grades.get(item) or "" for item in _counted_items(meeting)]
        # A subject is graded when any of its items carries points.
        graded = set(compress(graded_keys, map(choice_scores(meeting), labels)))
        if sign == 1:  # counted in C: the hot path of an import
            self.counts.update(zip(count_keys, labels, strict=True))
            self.graded.update(graded)
        else:
            self.counts.subtract(zip(count_keys, labels, strict=True))
            self.graded.subtract(graded)

    def _keys_for(self, category: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, str]]]:
        ids = [
            (self.subject_ids[s], self.criterion_ids[c]) for s, c in _counted_items(self.meeting)
        ]
        keys = self._keys[category] = (
            [(s, c, category) for s, c in ids],
            [(s, category) for s, _ in ids],
        )
        return keys

    def add_stored(self, conn: sqlite3.Connection, ballot_id: int, sign: int = 1) -> None:
        """Count (or take out) a ballot as the database holds it, if it is confirmed."""
        row = conn.execute(
            "SELECT category, source, counted FROM ballots WHERE id = ?", [ballot_id]
        ).fetchone()
        if row is None or not row[2]:
            return
        subjects = {i: name for name, i in self.subject_ids.items()}
        criteria = {i: name for name, i in self.criterion_ids.items()}
        grades: dict[Item, str | None] = {
            (subjects[s], criteria[c]): g
            for s, c, g in conn.execute(
                "SELECT subject_id, criterion_id, grade FROM scores WHERE ballot_id = ?",
                [ballot_id],
            )
            if s in subjects and c in criteria  # no other item is ever looked up
        }
        self.add(row[0], BallotSource(row[1]), grades, sign)

    def apply(self, conn: sqlite3.Connection) -> None:
        """Write the changes; inside the transaction that stores the ballots."""
        # ON CONFLICT adds to a count already stored; few statements, not a step per row.
        add = "DO UPDATE SET n = n + excluded.n"
        insert_rows(
            conn,
            "INSERT INTO tally_counts",
            ((*key, label, n) for (key, label), n in self.counts.items() if n),
            width=5,
            tail=f"ON CONFLICT (subject_id, criterion_id, category, grade) {add}",
        )
        insert_rows(
            conn,
            "INSERT INTO tally_graded",
            ((*key, n) for key, n in self.graded.items() if n),
            width=3,
            tail=f"ON CONFLICT (subject_id, category) {add}",
        )
        insert_rows(
            conn,
            "INSERT INTO tally_ballots",
            ((*key, n) for key, n in self.ballots.items() if n),
            width=3,
            tail=f"ON CONFLICT (source, problems) {add}",
        )
        self.counts.clear()
        self.graded.clear()
        self.ballots.clear()


@contextlib.contextmanager
def batch(store: MeetingStore) -> Iterator[None]:
    """One transaction for many changes: the tally's counts they change are written
    once, at the end (a hundred ballots stored together update each count once, not a
    hundred times). Inside it, `part` undoes one change and its counts alone."""
    with store.transaction():
        delta = CountDelta.for_store(store)
        token = _pending.set(delta)
        try:
            yield
            delta.apply(store.conn)
        finally:
            _pending.reset(token)


@contextlib.contextmanager
def part(store: MeetingStore) -> Iterator[None]:
    """A change inside a `batch` that can fail on its own (a savepoint): if it fails,
    it leaves the database and the batch's counts as they were."""
    outer = _pending.get()
    if outer is None:
        with store.transaction():
            yield
        return
    inner = outer.empty()
    token = _pending.set(inner)
    try:
        with store.transaction():
            yield
    finally:
        _pending.reset(token)
    outer.merge(inner)  # only once the part has stood


@contextlib.contextmanager
def counting(store: MeetingStore) -> Iterator[CountDelta]:
    """The counts a change adds to, inside the caller's transaction: a batch's, written
    once at its end (`batch`), or this change's own, written as it ends."""
    pending = _pending.get()
    if pending is not None:
        yield pending
        return
    delta = CountDelta.for_store(store)
    yield delta
    delta.apply(store.conn)


def count_stored_ballot(store: MeetingStore, ballot_id: int, sign: int = 1) -> None:
    """Count a ballot just confirmed (or take one out); inside the caller's transaction."""
    with counting(store) as delta:
        delta.add_stored(store.conn, ballot_id, sign)


def read_counts(store: MeetingStore, issued: int) -> tuple[BallotCounts, dict[str, SubjectCounts]]:
    """The stored counts as the tally reads them; call inside one read snapshot, after
    `ensure_counted`."""
    conn = store.conn
    subjects = store.names("subjects")
    criteria = {**store.names("criteria"), 0: OVERALL}
    labels: dict[str, dict[tuple[str, str], dict[str | None, int]]] = defaultdict(dict)
    rows = conn.execute(
        "SELECT subject_id, criterion_id, category, nullif(grade, ''), n FROM tally_counts "
        "WHERE n != 0 ORDER BY 1, 2, 3"  # the primary key's order: no sorting
    ).fetchall()
    # One dict per (subject, column, category), built from its rows in one go.
    for (subject_id, criterion_id, category), group in groupby(rows, itemgetter(0, 1, 2)):
        labels[subjects[subject_id]][(criteria[criterion_id], category)] = {
            grade: n for _, _, _, grade, n in group
        }
    graded: dict[str, dict[str, int]] = defaultdict(dict)
    for subject_id, category, n in conn.execute(
        "SELECT subject_id, category, n FROM tally_graded WHERE n != 0"
    ):
        graded[subjects[subject_id]][category] = n
    by_source: Counter[BallotSource] = Counter()
    reasons: Counter[ProblemKind] = Counter()
    valid = 0
    for source, problems, n in conn.execute("SELECT source, problems, n FROM tally_ballots"):
        by_source[BallotSource(source)] += n
        if problems:
            for kind in problems.split(","):
                reasons[ProblemKind(kind)] += n
        else:
            valid += n
    returned = sum(by_source.values())
    ballots = BallotCounts(
        issued=issued,
        returned=returned,
        valid=valid,
        invalid=returned - valid,
        paper=by_source[BallotSource.PAPER],
        imported=by_source[BallotSource.IMPORT],
        invalid_reasons={kind: n for kind, n in reasons.items() if n},
    )
    counted = {
        name: SubjectCounts(labels.get(name, {}), graded.get(name, {}))
        for name in subjects.values()
    }
    return ballots, counted


def invalid_count(store: MeetingStore, source: BallotSource) -> int:
    """Counted ballots from `source` that broke a rule (kept, never in a score)."""
    query = "SELECT total(n) FROM tally_ballots WHERE source = ? AND problems != ''"
    return int(store.conn.execute(query, [source]).fetchone()[0])
