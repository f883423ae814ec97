"""The tally: one pure function from (rules, ballots, daily scores, overrides) to results.

Arithmetic is exact (`Fraction`); only reported figures are rounded, half up, to
the meeting's digits. docs/scoring.md explains every step with a worked example.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from core.ballots import OVERALL, Item, ballot_problems, form_columns
from core.model import Meeting, Subject


@dataclass(frozen=True)
class Ballot:
    category: str
    grades: Mapping[Item, str | None]
    source: str = "web"  # web | paper | import


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
    mode: str
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


@dataclass(frozen=True)
class BallotCounts:
    issued: int
    returned: int
    valid: int
    invalid: int
    paper: int
    imported: int
    invalid_reasons: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Tally:
    meeting: Meeting
    ballots: BallotCounts
    subjects: tuple[SubjectResult, ...]  # ranked order
    voided: bool  # more ballots returned than issued, and the rules void the round


def report(value: Fraction | None, digits: int) -> Decimal | None:
    """A reported figure: exact value rounded half up (80.005 → 80.01 at 2 digits)."""
    if value is None:
        return None
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def _points(meeting: Meeting, label: str | None) -> Fraction | None:
    """Points of a choice; None for an abstention (not in any denominator)."""
    if not label or label == meeting.abstain:
        return None
    if meeting.rules.layout == "numeric":
        return Fraction(label)
    for grade in meeting.grades:
        if grade.label == label:
            return grade.points
    return None


def _weights(meeting: Meeting, subject: Subject) -> dict[str, Fraction]:
    return subject.weights or {c.name: c.weight for c in meeting.categories}


def _label_mean(meeting: Meeting, labels: Mapping[str | None, int]) -> Fraction | None:
    """Mean points of the given choices (label → how many): abstentions left out,
    trimmed when the rules say.

    Works on counts per label, so the exact arithmetic is a handful of operations
    however many ballots there are.
    """
    scored = [
        (points, count)
        for label, count in labels.items()
        if count and (points := _points(meeting, label)) is not None
    ]
    n = sum(count for _, count in scored)
    if not n:
        return None
    trim = meeting.rules.trim
    trimmed: list[Fraction] = []
    if trim.enabled and n > trim.more_than:  # more_than >= 2: two ballots remain at least
        # One highest and one lowest drop out.
        trimmed = [max(p for p, _ in scored), min(p for p, _ in scored)]
        n -= 2
    if all(p.denominator == 1 for p, _ in scored):
        # Whole-number points (the usual case): integer sums, one fraction at the end.
        total = sum(p.numerator * count for p, count in scored)
        return Fraction(total - sum(p.numerator for p in trimmed), n)
    total = sum((p * count for p, count in scored), Fraction(0))
    return (total - sum(trimmed, Fraction(0))) / n


def _column_score(
    meeting: Meeting,
    subject: Subject,
    means: Mapping[str, Fraction | None],
    pooled: Fraction | None,
) -> Fraction | None:
    if not meeting.rules.average_within_category:
        return pooled
    weights = _weights(meeting, subject)
    weighted = Fraction(0)
    weight_sum = Fraction(0)
    for category, mean in means.items():
        weight = weights.get(category, Fraction(0))
        if mean is not None and weight:
            # Only categories that graded this item share its weight.
            weighted += weight * mean
            weight_sum += weight
    return weighted / weight_sum if weight_sum else None


def _counts(meeting: Meeting, labels: Mapping[str | None, int]) -> dict[str, int]:
    """Ballots per choice; a blank or unknown choice is shown under the abstain label."""
    choices = [g.label for g in meeting.grades] + ([meeting.abstain] if meeting.abstain else [])
    counts = dict.fromkeys(choices, 0)
    for label, count in labels.items():
        key = label if label in counts else meeting.abstain
        if key is not None and key in counts:
            counts[key] += count
    return counts


def _band(meeting: Meeting, score: Fraction | None) -> str | None:
    if score is None:
        return None
    reported = report(score, meeting.rules.digits)
    for band in meeting.rules.bands:
        # Compare what people read: the reported score and its grade always agree.
        if reported >= report(band.min, meeting.rules.digits):
            return band.grade
    return None


@dataclass(frozen=True)
class SubjectCounts:
    """What one subject's result needs from the valid ballots, as counts: the reference
    counts them ballot by ballot, the store keeps them up to date (core/tally_counts.py)."""

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
        if any(_points(meeting, label) is not None for label in choices):
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
    criteria = {}
    column_means = {}
    everything: Counter[str | None] = Counter()  # every column, every category
    for column in columns:
        column_means[column] = {
            c.name: _label_mean(meeting, counted.labels.get((column, c.name), {}))
            for c in meeting.categories
        }
        # Everyone's choices, ballots of a category the meeting does not weight included.
        pooled: Counter[str | None] = Counter()
        for (own_column, _category), labels in counted.labels.items():
            if own_column == column:
                pooled.update(labels)
        everything.update(pooled)
        criteria[column] = CriterionResult(
            counts=_counts(meeting, pooled),
            score=_column_score(
                meeting,
                subject,
                column_means[column],
                None if rules.average_within_category else _label_mean(meeting, pooled),
            ),
        )
    if OVERALL in criteria:
        meeting_score = criteria[OVERALL].score  # the overall grade decides
    else:
        meeting_score = _mean([c.score for c in criteria.values() if c.score is not None])

    categories = {}
    for category in meeting.categories:
        means = [m for c in columns if (m := column_means[c][category.name]) is not None]
        categories[category.name] = CategoryResult(
            counted.graded.get(category.name, 0), _mean(means)
        )

    external = {name: components.get(name) for name in rules.combination if name != "meeting"}
    if rules.combination_method == "committee":
        final = meeting_score
    elif meeting_score is None:
        final = None
    elif any(v is None for v in external.values()):
        final = meeting_score  # a missing component is reported, not guessed
    else:
        final = rules.combination["meeting"] * meeting_score + sum(
            (rules.combination[name] * value for name, value in external.items()), Fraction(0)
        )

    counts = _counts(meeting, everything)
    scored = {label: n for label, n in everything.items() if _points(meeting, label) is not None}
    scored_total = sum(scored.values())
    computed = None if rules.combination_method == "committee" else _band(meeting, final)
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
        categories=categories,
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
        (r for r in results if r.final_score is not None),
        key=lambda r: report(r.final_score, digits),
        reverse=True,
    )
    ranked = []
    for index, result in enumerate(scored):
        same = index and report(result.final_score, digits) == report(
            scored[index - 1].final_score, digits
        )
        rank = ranked[-1].rank if same else index + 1
        ranked.append(_with_rank(result, rank))
    return (*ranked, *(r for r in results if r.final_score is None))


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
    valid: list[Ballot] = []
    reasons: dict[str, int] = {}
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
        paper=sum(b.source == "paper" for b in ballots),
        imported=sum(b.source == "import" for b in ballots),
        invalid_reasons=reasons,
    )
    return tally_from_counts(
        meeting,
        counts,
        {s.name: count_subject(meeting, s.name, valid) for s in meeting.subjects},
        daily=daily,
        overrides=overrides,
    )


def tally_from_counts(
    meeting: Meeting,
    ballots: BallotCounts,
    counted: Mapping[str, SubjectCounts],
    *,
    daily: Mapping[str, Mapping[str, Fraction]] | None = None,
    overrides: Mapping[str, Override] | None = None,
) -> Tally:
    """The tally from counts of the valid ballots' choices (subject name → counts);
    `compute_tally` counts them from the ballots, `core.tally_counts` keeps them stored."""
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
