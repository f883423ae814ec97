"""The tally from a meeting database, and the committee's inputs to it."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from core.ballots import Item, criterion_names_of
from core.i18n import t
from core.store import MeetingStore, StoreError
from core.tally import (
    Ballot,
    Override,
    SubjectCounts,
    Tally,
    compute_tally,
    report,
    tally_from_counts,
)
from core.tally_counts import read_counts


def load_ballots(store: MeetingStore) -> list[Ballot]:
    """Every counted ballot (paper ballots once confirmed) as plain data."""
    subjects = store.names("subjects")
    criteria = criterion_names_of(store)
    grades: dict[int, dict[Item, str | None]] = defaultdict(dict)
    for ballot_id, subject_id, criterion_id, grade in store.db.execute(
        "SELECT s.ballot_id, s.subject_id, s.criterion_id, s.grade FROM scores s "
        "JOIN ballots b ON b.id = s.ballot_id WHERE b.counted = 1"
    ):
        grades[ballot_id][(subjects[subject_id], criteria[criterion_id])] = grade
    return [
        Ballot(category, grades.get(ballot_id, {}), source)
        for ballot_id, category, source in store.db.execute(
            "SELECT id, category, source FROM ballots WHERE counted = 1"
        )
    ]


def issued_tokens(store: MeetingStore) -> int:
    return store.db.execute("SELECT count(*) FROM tokens WHERE revoked_at IS NULL").fetchone()[0]


def imported_components(store: MeetingStore) -> dict[str, dict[str, Fraction]]:
    names = store.names("subjects")
    out: dict[str, dict[str, Fraction]] = defaultdict(dict)
    for subject_id, component, score in store.db.execute(
        "SELECT subject_id, component, score FROM daily_scores"
    ):
        out[names[subject_id]][component] = Fraction(score)
    return dict(out)


def overrides(store: MeetingStore) -> dict[str, Override]:
    names = store.names("subjects")
    return {
        names[subject_id]: Override(grade, reason)
        for subject_id, grade, reason in store.db.execute(
            "SELECT subject_id, grade, reason FROM overrides"
        )
    }


def load_tally(store: MeetingStore) -> Tally:
    """The tally from the stored counts (core/tally_counts.py): a few thousand rows read
    in one consistent snapshot, however many ballots there are."""
    return load_tally_and_counts(store)[0]


def load_tally_and_counts(store: MeetingStore) -> tuple[Tally, dict[str, SubjectCounts]]:
    """The tally and the counts it was made from (subject → choices per column and
    category of the valid ballots), for papers that show the figures behind a score."""
    with _snapshot(store):
        ballots, counted = read_counts(store.db, issued_tokens(store))
        daily = imported_components(store)
        decided = overrides(store)
    tally = tally_from_counts(store.meeting, ballots, counted, daily=daily, overrides=decided)
    return tally, counted


def load_tally_reference(store: MeetingStore) -> Tally:
    """The tally ballot by ballot (slow at scale): what `load_tally` is checked against."""
    with _snapshot(store):
        ballots = load_ballots(store)
        issued = issued_tokens(store)
        daily = imported_components(store)
        decided = overrides(store)
    return compute_tally(store.meeting, ballots, issued=issued, daily=daily, overrides=decided)


@contextlib.contextmanager
def _snapshot(store: MeetingStore) -> Iterator[None]:
    """Reads that see one state of the database even while others write."""
    conn = store.db.conn
    if conn.in_transaction:  # already inside the caller's transaction
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def set_override(store: MeetingStore, subject: str, grade: str, reason: str) -> None:
    """The committee sets a final grade; the computed one is kept beside it."""
    meeting = store.meeting
    labels = [g.label for g in meeting.grades]
    if subject not in {s.name for s in meeting.subjects}:
        raise StoreError(t("tally.unknown_subject", got=subject))
    if grade not in labels:
        raise StoreError(t("tally.unknown_grade", got=grade, known=" / ".join(labels)))
    if not reason.strip():
        raise StoreError(t("tally.reason_needed"))
    with store.transaction():
        store.db["overrides"].upsert(
            {
                "subject_id": store.ids("subjects")[subject],
                "grade": grade,
                "reason": reason.strip(),
                "at": store.clock(),
            },
            pk="subject_id",
        )
        store.record("tally.override", {"subject": subject, "grade": grade, "reason": reason})


def set_components(
    store: MeetingStore,
    scores: dict[str, Fraction],
    component: str = "daily",
    origin: dict[str, str] | None = None,
) -> None:
    """Store imported score components; `origin` (file name, content hash) goes into the
    event, so the same file is not imported twice by mistake."""
    ids = store.ids("subjects")
    with store.transaction():
        for subject, score in scores.items():
            store.db["daily_scores"].upsert(
                {
                    "subject_id": ids[subject],
                    "component": component,
                    "score": str(score),
                    "at": store.clock(),
                },
                pk=("subject_id", "component"),
            )
        store.record(
            "daily.imported", {"component": component, "count": len(scores), **(origin or {})}
        )


def _text(value: Fraction | None, digits: int) -> str | None:
    reported = report(value, digits)
    return None if reported is None else str(reported)


def _plain(value: Fraction) -> str:
    """A weight or grade point as written: 0.25, 100 (never 1E+2)."""
    return format(report(value, 6).normalize(), "f")


def tally_json(tally: Tally) -> dict[str, Any]:
    """The machine contract of `sanshu tally --format json` (kept stable)."""
    meeting = tally.meeting
    digits = meeting.rules.digits
    return {
        "meeting": {
            "title": meeting.title,
            "date": meeting.date.isoformat(),
            "categories": {c.name: _plain(c.weight) for c in meeting.categories},
            "grade_points": {g.label: _plain(g.points) for g in meeting.grades},
        },
        "ballots": {
            "issued": tally.ballots.issued,
            "returned": tally.ballots.returned,
            "valid": tally.ballots.valid,
            "invalid": tally.ballots.invalid,
            "paper": tally.ballots.paper,
        },
        "voided": tally.voided,
        "subjects": [
            {
                "name": s.name,
                "mode": s.mode,
                "rank": s.rank,
                "criteria": {
                    name: {"counts": c.counts, "score": _text(c.score, digits)}
                    for name, c in s.criteria.items()
                },
                "categories": {
                    name: {"ballots": c.ballots, "score": _text(c.score, digits)}
                    for name, c in s.categories.items()
                },
                "meeting_score": _text(s.meeting_score, digits),
                "daily_score": _text(s.daily_score, digits),
                "final_score": _text(s.final_score, digits),
                "computed_grade": s.computed_grade,
                "final_grade": s.final_grade,
                "override_reason": s.override_reason,
                "flags": list(s.flags),
            }
            for s in tally.subjects
        ],
    }
