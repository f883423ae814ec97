"""The tally from a meeting database, and the committee's inputs to it."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import Any

from core.ballots.counts import read_counts
from core.ballots.points import report
from core.ballots.recount import ensure_counted
from core.ballots.storing import counted_grades
from core.ballots.tally import (
    Ballot,
    Override,
    SubjectCounts,
    Tally,
    compute_tally,
    tally_from_counts,
)
from core.ballots.tokens import issued_total
from core.errors import StoreError
from core.i18n import t
from core.meeting.store import MeetingStore


def load_ballots(store: MeetingStore) -> list[Ballot]:
    """Every counted ballot (paper ballots once confirmed) as plain data."""
    return [
        Ballot(category, grades, source) for _, category, source, grades in counted_grades(store)
    ]


def imported_components(store: MeetingStore) -> dict[str, dict[str, Fraction]]:
    names = store.names("subjects")
    out: dict[str, dict[str, Fraction]] = defaultdict(dict)
    for subject_id, component, score in store.conn.execute(
        "SELECT subject_id, component, score FROM daily_scores"
    ):
        out[names[subject_id]][component] = Fraction(score)
    return dict(out)


def overrides(store: MeetingStore) -> dict[str, Override]:
    names = store.names("subjects")
    return {
        names[subject_id]: Override(grade, reason)
        for subject_id, grade, reason in store.conn.execute(
            "SELECT subject_id, grade, reason FROM overrides"
        )
    }


def load_tally(store: MeetingStore) -> Tally:
    """The tally from the stored counts (core/ballots/counts.py): a few thousand rows read
    in one consistent snapshot, however many ballots there are."""
    return load_tally_and_counts(store)[0]


def load_tally_and_counts(store: MeetingStore) -> tuple[Tally, dict[str, SubjectCounts]]:
    """The tally and the counts it was made from (subject → choices per column and
    category of the valid ballots), for papers that show the figures behind a score."""
    ensure_counted(store)
    with store.snapshot():
        ballots, counted = read_counts(store, issued_total(store))
        daily = imported_components(store)
        decided = overrides(store)
    tally = tally_from_counts(store.meeting, ballots, counted, daily=daily, overrides=decided)
    return tally, counted


def load_tally_reference(store: MeetingStore) -> Tally:
    """The tally ballot by ballot (slow at scale): what `load_tally` is checked against."""
    with store.snapshot():
        ballots = load_ballots(store)
        issued = issued_total(store)
        daily = imported_components(store)
        decided = overrides(store)
    return compute_tally(store.meeting, ballots, issued=issued, daily=daily, overrides=decided)


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
        store.conn.execute(
            "INSERT INTO overrides (subject_id, grade, reason, at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (subject_id) DO UPDATE SET grade = excluded.grade, "
            "reason = excluded.reason, at = excluded.at",
            [store.ids("subjects")[subject], grade, reason.strip(), store.clock()],
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
            store.conn.execute(
                "INSERT INTO daily_scores (subject_id, component, score, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (subject_id, component) DO UPDATE SET score = excluded.score, "
                "at = excluded.at",
                [ids[subject], component, str(score), store.clock()],
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
