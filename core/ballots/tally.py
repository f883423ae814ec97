"""The tally: one pure function from (rules, ballots, daily scores, overrides) to results.

Arithmetic is exact (`Fraction`); only reported figures are rounded, half up, to
the meeting's digits. docs/scoring.md explains every step with a worked example.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from core.ballots.items import OVERALL, Item, form_columns
from core.ballots.points import (
    Sum,
    band_of,
    choice_counts,
    choice_scores,
    column_score,
    label_sum,
    mean_of,
    report,
    weighted_mean,
)
from core.ballots.validity import ProblemKind, ballot_problems
from core.meeting.model import Combination, Meeting, Mode, Subject


class BallotSource(StrEnum):
    WEB = "web"  # a phone, through its slip
    PAPER = "paper"  # typed in by staff; counts once a second person confirms it
    IMPORT = "import"  # collected elsewhere, imported from a workbook


@dataclass(frozen=True)
class Ballot:
    category: str
    grades: Mapping[Item, str | None]
    source: BallotSource = BallotSource.WEB


@dataclass(frozen=True)
class Override:
    grade: str
    reason: str


@dataclass(frozen=True)
class CriterionResult:
    counts: dict[str, int]  # every choice label (abstain and blank under the abstain label)
    score: Fraction | None


@dataclass(frozen=True)
class CategoryResult:
    ballots: int  # valid ballots of this category that graded the subject
    score: Fraction | None


@dataclass(frozen=True)
class SubjectResult:
    name: str
    mode: Mode
    criteria: dict[str, CriterionResult]
    categories: dict[str, CategoryResult]
    meeting_score: Fraction | None
    components: dict[str, Fraction | None]  # external scores by name, None = missing
    final_score: Fraction | None
    computed_grade: str | None
    final_grade: str | None
    override_reason: str | None
    flags: tuple[str, ...]
    counts: dict[str, int]  # all criteria together
    rank: int | None = None

    @property
    def daily_score(self) -> Fraction | None:
        return self.components.get("daily")


# A screen the room sees shows the voter categories' scores only when every category
# that graded the subject did so with at least this many ballots: one ballot's score
# is that voter's grades, and with the weights and the overall score a single hidden
# category could be worked out from the others, so then no category's score is shown.
PUBLIC_MIN_BALLOTS = 3


def category_scores_public(subject: SubjectResult, minimum: int = PUBLIC_MIN_BALLOTS) -> bool:
    """Whether `subject`'s per-category scores may be shown to the room."""
    return all(r.ballots == 0 or r.ballots >= minimum for r in subject.categories.values())


@dataclass(frozen=True)
class BallotCounts:
    issued: int
    returned: int
    valid: int
    invalid: int
    paper: int
    imported: int
    invalid_reasons: dict[ProblemKind, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Tally:
    meeting: Meeting
    ballots: BallotCounts
    subjects: tuple[SubjectResult, ...]  # ranked order
    voided: bool  # more ballots returned than issued, and the rules void the round


# The exact arithmetic below runs ~400 times per tally (subjects × columns × categories),
# so it works on integers and makes one Fraction per result: grade points are scaled
# to integers over their common denominator, category weights likewise. A numeric
# layout (any decimal a voter typed) keeps Fraction points, through the same code.


@dataclass(frozen=True)
class SubjectCounts:
    """What one subject's result needs from the valid ballots, as counts: the reference
    counts them ballot by ballot, the store keeps them up to date (core/ballots/counts.py)."""

    labels: Mapping[tuple[str, str], Mapping[str | None, int]]  # (column, category) → choice → n
    graded: Mapping[str, int]  # category → valid ballots that graded this subject at all


def count_subject(meeting: Meeting, subject: str, ballots: Sequence[Ballot]) -> SubjectCounts:
    """The reference count: every valid ballot's choice for every column of the subject."""
    columns = form_columns(meeting)
    labels: dict[tuple[str, str], Counter[str | None]] = {}
    graded: Counter[str] = Counter()
    for ballot in ballots:
        choices = [ballot.grades.get((subject, column)) for column in columns]
        for column, label in zip(columns, choices, strict=True):
            labels.setdefault((column, ballot.category), Counter())[label] += 1
        if any(map(choice_scores(meeting), choices)):
            graded[ballot.category] += 1
    return SubjectCounts(labels, graded)


def _subject(
    meeting: Meeting,
    subject: Subject,
    counted: SubjectCounts,
    components: Mapping[str, Fraction],
    override: Override | None,
) -> SubjectResult:
    rules = meeting.rules
    columns = form_columns(meeting)
    categories = [c.name for c in meeting.categories]
    # Everyone's choices per column, ballots of a category the meeting does not weight
    # included; and every column together.
    pooled: dict[str, dict[str | None, int]] = {column: {} for column in columns}
    for (column, _category), labels in counted.labels.items():
        into = pooled.get(column)
        if into is not None:
            for label, n in labels.items():
                into[label] = into.get(label, 0) + n
    everything: dict[str | None, int] = {}
    sums: dict[str, dict[str, Sum | None]] = {}  # column → category → label sum
    criteria: dict[str, CriterionResult] = {}
    for column in columns:
        sums[column] = {
            category: label_sum(meeting, counted.labels.get((column, category), {}))
            for category in categories
        }
        for label, n in pooled[column].items():
            everything[label] = everything.get(label, 0) + n
        criteria[column] = CriterionResult(
            counts=choice_counts(meeting, pooled[column]),
            score=column_score(
                meeting,
                subject,
                sums[column],
                None if rules.average_within_category else label_sum(meeting, pooled[column]),
            ),
        )
    if OVERALL in criteria:
        meeting_score = criteria[OVERALL].score  # the overall grade decides
    else:
        meeting_score = mean_of([c.score for c in criteria.values() if c.score is not None])

    by_category: dict[str, CategoryResult] = {}
    for category in categories:
        # The category's mean over the columns it scored, each column's mean counting once.
        parts = [(1, summed) for c in columns if (summed := sums[c][category]) is not None]
        by_category[category] = CategoryResult(
            counted.graded.get(category, 0), weighted_mean(meeting, parts)
        )

    external = {name: components.get(name) for name in rules.combination if name != "meeting"}
    known = {name: value for name, value in external.items() if value is not None}
    final: Fraction | None
    if rules.combination_method == Combination.COMMITTEE:
        final = meeting_score
    elif meeting_score is None:
        final = None
    elif len(known) < len(external):
        final = meeting_score  # a missing component is reported, not guessed
    else:
        final = rules.combination["meeting"] * meeting_score + sum(
            (rules.combination[name] * value for name, value in known.items()), Fraction(0)
        )

    counts = choice_counts(meeting, everything)
    scores = choice_scores(meeting)
    scored = {label: n for label, n in everything.items() if scores(label)}
    scored_total = sum(scored.values())
    computed = (
        None if rules.combination_method == Combination.COMMITTEE else band_of(meeting, final)
    )
    flags: list[str] = []
    for rule in rules.share_rules:
        if not scored_total:
            continue
        hits = sum(n for label, n in scored.items() if label in rule.grades)
        share = Fraction(hits, scored_total)
        hit = (rule.above is not None and share > rule.above) or (
            rule.below is not None and share < rule.below
        )
        if hit:
            computed = rule.grade or computed
            if rule.flag:
                flags.append(rule.flag)
    final_grade = override.grade if override else computed
    for alert in rules.alerts:
        by_grade = alert.grade is not None and final_grade == alert.grade
        by_score = (
            alert.score_below is not None
            and final is not None
            and report(final, rules.digits) < report(alert.score_below, rules.digits)
        )
        if (by_grade or by_score) and alert.flag not in flags:
            flags.append(alert.flag)
    return SubjectResult(
        name=subject.name,
        mode=subject.mode,
        criteria=criteria,
        categories=by_category,
        meeting_score=meeting_score,
        components=external,
        final_score=final,
        computed_grade=computed,
        final_grade=final_grade,
        override_reason=override.reason if override else None,
        flags=tuple(flags),
        counts=counts,
    )


def _ranked(results: list[SubjectResult], digits: int) -> tuple[SubjectResult, ...]:
    """Highest final score first; equal reported scores share a rank (1, 2, 2, 4)."""
    scored = sorted(
        ((report(r.final_score, digits), r) for r in results if r.final_score is not None),
        key=_first,
        reverse=True,
    )
    ranked: list[SubjectResult] = []
    rank = 0
    for index, (reported, result) in enumerate(scored):
        if not index or reported != scored[index - 1][0]:
            rank = index + 1  # else the same reported score: the same rank
        ranked.append(_with_rank(result, rank))
    return (*ranked, *(r for r in results if r.final_score is None))


def _first(pair: tuple[Decimal, SubjectResult]) -> Decimal:
    return pair[0]


def _with_rank(result: SubjectResult, rank: int) -> SubjectResult:
    return replace(result, rank=rank)


def compute_tally(
    meeting: Meeting,
    ballots: Sequence[Ballot],
    *,
    issued: int,
    daily: Mapping[str, Mapping[str, Fraction]] | None = None,
    overrides: Mapping[str, Override] | None = None,
) -> Tally:
    """The whole tally, ballot by ballot: the reference the stored counts are checked
    against. `daily` replaces a subject's score components from the meeting file (e.g.
    imported daily-assessment scores)."""
    counts, counted = count_ballots(meeting, ballots, issued=issued)
    return tally_from_counts(meeting, counts, counted, daily=daily, overrides=overrides)


def count_ballots(
    meeting: Meeting, ballots: Sequence[Ballot], *, issued: int
) -> tuple[BallotCounts, dict[str, SubjectCounts]]:
    """What the tally reads, counted ballot by ballot (the store keeps the same counts
    up to date: core/ballots/counts.py)."""
    valid: list[Ballot] = []
    reasons: dict[ProblemKind, int] = {}
    for ballot in ballots:
        problems = ballot_problems(meeting, ballot.grades, on_screen=False)
        if problems:
            for problem in problems:
                reasons[problem.kind] = reasons.get(problem.kind, 0) + 1
        else:
            valid.append(ballot)
    counts = BallotCounts(
        issued=issued,
        returned=len(ballots),
        valid=len(valid),
        invalid=len(ballots) - len(valid),
        paper=sum(b.source == BallotSource.PAPER for b in ballots),
        imported=sum(b.source == BallotSource.IMPORT for b in ballots),
        invalid_reasons=reasons,
    )
    return counts, {s.name: count_subject(meeting, s.name, valid) for s in meeting.subjects}


def tally_from_counts(
    meeting: Meeting,
    ballots: BallotCounts,
    counted: Mapping[str, SubjectCounts],
    *,
    daily: Mapping[str, Mapping[str, Fraction]] | None = None,
    overrides: Mapping[str, Override] | None = None,
) -> Tally:
    """The tally from counts of the valid ballots' choices (subject name → counts);
    `compute_tally` counts them from the ballots, `core.ballots.counts` keeps them stored."""
    daily = daily or {}
    overrides = overrides or {}
    # Like with like: printed slips against phone ballots; paper and imported ballots
    # arrive without a slip and are counted on their own lines.
    voided = meeting.rules.validity.over_return_voids and (
        ballots.returned > ballots.issued + ballots.paper + ballots.imported
    )
    nothing = SubjectCounts({}, {})
    results = [
        _subject(
            meeting,
            subject,
            nothing if voided else counted.get(subject.name, nothing),
            {**subject.scores, **daily.get(subject.name, {})},
            overrides.get(subject.name),
        )
        for subject in (*meeting.onsite, *meeting.written)
    ]
    return Tally(meeting, ballots, _ranked(results, meeting.rules.digits), voided)
