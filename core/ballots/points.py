"""The arithmetic of scores: grade points, means within and across voter categories
(with trimming), weights and grade bands. Exact (`Fraction`); `report` rounds a
figure half up for showing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import overload

from core.ballots.items import choice_labels
from core.meeting.model import Layout, Meeting, Subject, derived


@overload
def report(value: Fraction, digits: int) -> Decimal: ...
@overload
def report(value: Fraction | None, digits: int) -> Decimal | None: ...
def report(value: Fraction | None, digits: int) -> Decimal | None:
    """A reported figure: exact value rounded half up (80.005 → 80.01 at 2 digits)."""
    if value is None:
        return None
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def mean_of(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


@derived
def _grade_points(meeting: Meeting) -> Mapping[str, Fraction]:
    """Label → points of the meeting's grades (the first grade of a label wins)."""
    table: dict[str, Fraction] = {}
    for grade in meeting.grades:
        table.setdefault(grade.label, grade.points)
    return table


def _points(meeting: Meeting, label: str | None) -> Fraction | None:
    """Points of a choice; None for an abstention (not in any denominator)."""
    if not label or label == meeting.abstain:
        return None
    if meeting.rules.layout == Layout.NUMERIC:
        return Fraction(label)
    return _grade_points(meeting).get(label)


@dataclass(frozen=True)
class _Scale:
    denominator: int  # the common denominator of every grade's points (1 for numeric)
    # Scored label → points × denominator (a blank, None, is never a key); None: numeric.
    points: Mapping[str | None, int] | None


@derived
def _point_scale(meeting: Meeting) -> _Scale:
    if meeting.rules.layout == Layout.NUMERIC:
        return _Scale(1, None)
    denominator = math.lcm(*(p.denominator for p in _grade_points(meeting).values()))
    scaled: dict[str | None, int] = {
        label: p.numerator * (denominator // p.denominator)
        for label, p in _grade_points(meeting).items()
        if _points(meeting, label) is not None
    }
    return _Scale(denominator, scaled)


@derived
def choice_scores(meeting: Meeting) -> Callable[[str | None], bool]:
    """Whether a choice carries points (is neither blank nor an abstention), as a test
    worked out once per meeting: `choice_scores(meeting)(label)`."""
    table = _point_scale(meeting).points
    if table is None:
        return lambda label: _points(meeting, label) is not None
    return frozenset(table).__contains__


Sum = tuple["int | Fraction", int]  # (points × the scale's denominator, choices), trimmed


def label_sum(meeting: Meeting, labels: Mapping[str | None, int]) -> Sum | None:
    """Total points and number of the scored choices (label → how many), the highest and
    lowest left out when the rules trim; None when nothing was scored."""
    table = _point_scale(meeting).points
    total: int | Fraction = 0
    n = 0
    high: int | Fraction | None = None
    low: int | Fraction | None = None
    for label, count in labels.items():
        if not count:
            continue
        points = _points(meeting, label) if table is None else table.get(label)
        if points is None:
            continue
        total += points * count
        n += count
        if high is None or points > high:
            high = points
        if low is None or points < low:
            low = points
    if not n:
        return None
    trim = meeting.rules.trim
    if trim.enabled and n > trim.more_than:  # more_than >= 2: two ballots remain at least
        assert high is not None and low is not None  # set by any choice counted
        # One highest and one lowest drop out.
        total -= high + low
        n -= 2
    return total, n


def label_mean(meeting: Meeting, labels: Mapping[str | None, int]) -> Fraction | None:
    """Mean points of the given choices (label → how many): abstentions left out,
    trimmed when the rules say.

    Works on counts per label, so the exact arithmetic is a handful of operations
    however many ballots there are.
    """
    summed = label_sum(meeting, labels)
    if summed is None:
        return None
    total, n = summed
    return Fraction(total, n * _point_scale(meeting).denominator)


def weighted_mean(meeting: Meeting, parts: Iterable[tuple[int, Sum]]) -> Fraction | None:
    """Σ weight × mean / Σ weight over (integer weight, label sum) parts, with one
    Fraction at the end (each mean is total / (n × scale))."""
    numerator: int | Fraction = 0  # a Fraction only for a numeric layout's points
    denominator, weights = 1, 0
    for weight, (total, n) in parts:
        # numerator / denominator += weight × total / n
        numerator = numerator * n + weight * total * denominator
        denominator *= n
        weights += weight
    if not weights:
        return None
    return Fraction(numerator, denominator * weights * _point_scale(meeting).denominator)


def category_weights(meeting: Meeting, subject: Subject) -> dict[str, Fraction]:
    """Each voter category's weight for this subject (its own weights, or the meeting's)."""
    return subject.weights or {c.name: c.weight for c in meeting.categories}


@derived
def _scaled_weights(meeting: Meeting) -> Mapping[str, Mapping[str, int]]:
    """Subject → category → weight × the common denominator of that subject's weights
    (Σ w·m / Σ w is unchanged when every w is multiplied by the same number)."""
    out: dict[str, dict[str, int]] = {}
    for subject in meeting.subjects:
        weights = category_weights(meeting, subject)
        common = math.lcm(*(w.denominator for w in weights.values())) if weights else 1
        out[subject.name] = {
            name: w.numerator * (common // w.denominator) for name, w in weights.items()
        }
    return out


def column_score(
    meeting: Meeting,
    subject: Subject,
    sums: Mapping[str, Sum | None],
    pooled: Sum | None,
) -> Fraction | None:
    if not meeting.rules.average_within_category:
        return None if pooled is None else weighted_mean(meeting, [(1, pooled)])
    weights = _scaled_weights(meeting)[subject.name]
    # Only categories that graded this item share its weight.
    return weighted_mean(
        meeting,
        (
            (weight, summed)
            for category, summed in sums.items()
            if summed is not None and (weight := weights.get(category, 0))
        ),
    )


def choice_counts(meeting: Meeting, labels: Mapping[str | None, int]) -> dict[str, int]:
    """Ballots per choice; a blank or unknown choice is shown under the abstain label."""
    counts = dict.fromkeys(choice_labels(meeting), 0)
    for label, count in labels.items():
        key = label if label in counts else meeting.abstain
        if key is not None and key in counts:
            counts[key] += count
    return counts


@derived
def _band_floors(meeting: Meeting) -> tuple[tuple[Decimal, str], ...]:
    return tuple((report(b.min, meeting.rules.digits), b.grade) for b in meeting.rules.bands)


def band_of(meeting: Meeting, score: Fraction | None) -> str | None:
    if score is None:
        return None
    reported = report(score, meeting.rules.digits)
    for floor, grade in _band_floors(meeting):
        # Compare what people read: the reported score and its grade always agree.
        if reported >= floor:
            return grade
    return None
