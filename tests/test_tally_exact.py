"""The tally's integer arithmetic gives exactly the textbook means.

`core.tally` scales grade points and category weights to integers so that a tally
makes one Fraction per result instead of hundreds of Fraction sums. Here every
score is recomputed the plain way (a list of Fraction points per group, trimmed,
averaged, weighted) on meetings with awkward points and weights, and must agree
to the last fraction.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from core.ballots.items import form_columns
from core.ballots.points import label_mean
from core.ballots.tally import BallotCounts, SubjectCounts, tally_from_counts
from core.meeting.file import parse_meeting
from tests.conftest import DEMO_TEXT

# Points and weights whose denominators differ (80.5 = 161/2, 59.75 = 239/4,
# 0.2125 = 17/80, 0.1875 = 3/16): a common denominator is needed, and found.
AWKWARD = {
    '{ label = "较好", points = 80 }': '{ label = "较好", points = 80.5 }',
    '{ label = "一般", points = 60 }': '{ label = "一般", points = 59.75 }',
    "weight = 0.25\n": "weight = 0.2125\n",
    "weight = 0.15\n": "weight = 0.1875\n",
}
TRIM = (
    "[scoring.combination]",
    "[scoring.trim]\nenabled = true\nmore_than = 2\n\n[scoring.combination]",
)


# The first subject weighs two categories only, in thirds.
OWN_WEIGHTS = (
    'mode = "onsite"\norder = 1\ndaily = 94.5',
    'mode = "onsite"\norder = 1\ndaily = 94.5\n'
    'weights = { "党组成员" = "1/3", "机关党委委员" = "2/3" }',
)


def meeting_for(trim: bool, pooled: bool, own_weights: bool = False):
    text = DEMO_TEXT
    for old, new in AWKWARD.items():
        assert old in text
        text = text.replace(old, new, 1)
    if own_weights:
        assert OWN_WEIGHTS[0] in text
        text = text.replace(*OWN_WEIGHTS, 1)
    if trim:
        text = text.replace(*TRIM, 1)
    if pooled:
        text = text.replace("average_within_category = true", "average_within_category = false")
    return parse_meeting(text, "awkward.toml")


def plain_mean(meeting, labels: dict) -> Fraction | None:
    """Every scored choice as a Fraction in a list; trimmed; averaged."""
    points = {g.label: g.points for g in meeting.grades}
    values = sorted(
        points[label]
        for label, n in labels.items()
        for _ in range(n)
        if label in points and label != meeting.abstain
    )
    if meeting.rules.trim.enabled and len(values) > meeting.rules.trim.more_than:
        values = values[1:-1]
    return sum(values, Fraction(0)) / len(values) if values else None


def plain_weighted(pairs: list[tuple[Fraction, Fraction | None]]) -> Fraction | None:
    scored = [(w, m) for w, m in pairs if m is not None and w]
    total = sum((w for w, _ in scored), Fraction(0))
    return sum((w * m for w, m in scored), Fraction(0)) / total if total else None


LABELS = st.sampled_from(["好", "较好", "一般", "差", "弃权", None])
GROUP = st.dictionaries(LABELS, st.integers(0, 40), max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.booleans(), st.booleans(), st.booleans(), st.lists(GROUP, min_size=18, max_size=18))
def test_scores_equal_the_plain_fraction_arithmetic(trim, pooled, own_weights, groups):
    meeting = meeting_for(trim, pooled, own_weights)
    subject = meeting.onsite[0]
    columns = form_columns(meeting)
    categories = [c.name for c in meeting.categories]
    keys = [(column, category) for column in columns for category in categories]
    labels = dict(zip(keys, groups, strict=False))
    counted = {subject.name: SubjectCounts(labels, {})}
    ballots = BallotCounts(issued=0, returned=0, valid=0, invalid=0, paper=0, imported=0)
    result = next(
        s for s in tally_from_counts(meeting, ballots, counted).subjects if s.name == subject.name
    )
    weights = subject.weights or {c.name: c.weight for c in meeting.categories}
    assert own_weights == (subject.weights is not None)
    for column in columns:
        means = {c: plain_mean(meeting, labels.get((column, c), {})) for c in categories}
        if pooled:
            everyone: dict = {}
            for c in categories:
                for label, n in labels.get((column, c), {}).items():
                    everyone[label] = everyone.get(label, 0) + n
            expected = plain_mean(meeting, everyone)
        else:
            expected = plain_weighted([(weights.get(c, 0), means[c]) for c in categories])
        assert result.criteria[column].score == expected
        for c in categories:
            assert label_mean(meeting, labels.get((column, c), {})) == means[c]
    for c in categories:
        found = [plain_mean(meeting, labels.get((col, c), {})) for col in columns]
        means = [m for m in found if m is not None]
        expected = sum(means, Fraction(0)) / len(means) if means else None
        assert result.categories[c].score == expected
