"""The tally from a meeting database, and the committee's inputs to it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from core.ballots.counts import read_counts
from core.ballots.fingerprint import fingerprint
from core.ballots.lifecycle import FIXED, OVERRIDE, ensure_changeable
from core.ballots.points import report
from core.ballots.recount import ensure_counted
from core.ballots.storing import comments_by_subject, counted_grades
from core.ballots.tally import (
    Ballot,
    Override,
    SubjectCounts,
    Tally,
    count_ballots,
    tally_from_counts,
)
from core.ballots.tokens import issued_total
from core.errors import ImportProblems, StoreError
from core.i18n import t, tn
from core.meeting.agenda import MeetingState
from core.meeting.model import Poll
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


@dataclass(frozen=True)
class Computed:
    """A tally, the counts it was made from (subject → choices per column and category
    of the valid ballots, for papers that show the figures behind a score) and the
    fingerprint of what it was computed from, all read in one snapshot."""

    tally: Tally
    counted: dict[str, SubjectCounts]
    fingerprint: str
    comments: dict[str, list[str]]  # subject → the voters' comments, sorted


def load_tally(store: MeetingStore) -> Tally:
    """The tally from the stored counts (core/ballots/counts.py): a few thousand rows read
    in one consistent snapshot, however many ballots there are."""
    return load_computed(store, with_comments=False).tally


def load_computed(store: MeetingStore, *, with_comments: bool = True) -> Computed:
    """The tally from the stored counts, with its fingerprint (which needs the comments:
    without them, as `load_tally` does, it is left empty)."""
    ensure_counted(store)
    with store.snapshot():
        ballots, counted = read_counts(store, issued_total(store))
        daily = imported_components(store)
        decided = overrides(store)
        comments = comments_by_subject(store) if with_comments else {}
    tally = tally_from_counts(store.meeting, ballots, counted, daily=daily, overrides=decided)
    code = ""
    if with_comments:
        code = fingerprint(
            store.meeting_source,
            ballots,
            counted,
            daily=daily,
            overrides=decided,
            comments=comments,
        )
    return Computed(tally, counted, code, comments)


def current_fingerprint(store: MeetingStore) -> str:
    return load_computed(store).fingerprint


def load_tally_reference(store: MeetingStore) -> Tally:
    """The tally ballot by ballot (slow at scale): what `load_tally` is checked against."""
    return load_reference(store)[0]


def load_reference(store: MeetingStore) -> tuple[Tally, str]:
    """The tally and its fingerprint, counting every ballot again (slow at scale): what
    `load_computed` is checked against."""
    with store.snapshot():
        ballots = load_ballots(store)
        issued = issued_total(store)
        daily = imported_components(store)
        decided = overrides(store)
        comments = comments_by_subject(store)
    counts, counted = count_ballots(store.meeting, ballots, issued=issued)
    tally = tally_from_counts(store.meeting, counts, counted, daily=daily, overrides=decided)
    code = fingerprint(
        store.meeting_source, counts, counted, daily=daily, overrides=decided, comments=comments
    )
    return tally, code


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
        # Allowed after the close (it has its own reason); the new result's fingerprint
        # goes with it, so a paper printed before can be placed in the history.
        store.record(
            OVERRIDE,
            {
                "subject": subject,
                "grade": grade,
                "reason": reason,
                "fingerprint": current_fingerprint(store),
            },
        )


def close_scoring(store: MeetingStore) -> MeetingState:
    """Close scoring and record the fingerprint of the result it fixes, in one
    transaction. The voting history is erased afterwards (`forget_history`), by the
    caller: a console does it off its screen thread."""
    with store.transaction():
        closing = store.poll() != Poll.CLOSED
        state = store.set_poll(Poll.CLOSED, forget_now=False)
        if closing:
            store.record(FIXED, {"fingerprint": current_fingerprint(store)})
    return state


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
        ensure_changeable(store, t("change.daily"))
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


def left_without(
    store: MeetingStore, scores: dict[str, Fraction], component: str = "daily"
) -> list[str]:
    """The subjects that would have no `component` score if only `scores` came in on top
    of what the meeting file and earlier imports gave, in the subjects' order."""
    known = set(scores) | {
        name for name, parts in imported_components(store).items() if component in parts
    }
    return [
        s.name for s in store.meeting.subjects if s.name not in known and component not in s.scores
    ]


def check_complete(
    store: MeetingStore, scores: dict[str, Fraction], file: str, *, partial: bool
) -> list[str]:
    """A daily-score file that does not list every subject is refused, naming the ones it
    leaves out (and which of them would have no score at all), unless `partial` says it
    is meant to; returns the subjects left without any score."""
    left_out = [s.name for s in store.meeting.subjects if s.name not in scores]
    missing = left_without(store, scores)
    if left_out and not partial:
        problem = t(
            "daily.partial",
            file=file,
            count=len(scores),
            total=len(store.meeting.subjects),
            missing=len(left_out),
            names="、".join(left_out),
        )
        if missing:
            problem += tn("daily.partial_none", len(missing), names="、".join(missing))
        raise ImportProblems([problem])
    return missing


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
