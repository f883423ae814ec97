"""Whether a ballot is valid under the meeting's rules, and why not."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from core.ballots.items import Item, _items_by_column, _known_labels, form_items
from core.i18n import t, tn
from core.meeting.model import BlankPolicy, Layout, Meeting
from core.numbers import bounded_decimal


class ProblemKind(StrEnum):
    INCOMPLETE = "incomplete"  # an item left blank where the rules need an answer
    QUOTA = "quota"  # more top grades than the quota allows
    ALL_SAME = "all_same"  # one grade for everyone
    BAD_VALUE = "bad_value"  # not a grade of the scale, or a number out of range


def top_grade_limit(meeting: Meeting) -> int | None:
    """The most subjects one ballot may give the top grade per column; None: no quota."""
    quota = meeting.rules.validity.top_grade_quota
    return None if quota is None else math.floor(quota * len(meeting.subjects))


@dataclass(frozen=True)
class BallotProblem:
    kind: ProblemKind
    message: str
    items: tuple[Item, ...] = ()


def ballot_problems(
    meeting: Meeting, grades: Mapping[Item, str | None], *, on_screen: bool
) -> list[BallotProblem]:
    """Why a ballot is not valid under the meeting's rules (empty list: valid).

    `on_screen` is for forms the voter fills themselves: there every item needs
    an answer when an abstain choice is offered, so nothing is left out by
    mistake. On paper a blank item abstains unless the rules say it voids the
    ballot.

    Runs for every ballot stored or counted, so each rule is first checked on the
    choices as a whole (in C); the items at fault are listed only for a ballot
    that breaks it.
    """
    rules = meeting.rules
    items = form_items(meeting)
    values = [grades.get(i) for i in items]  # the choice for each item, in form order
    problems: list[BallotProblem] = []
    numeric = rules.layout == Layout.NUMERIC

    blank_is_error = rules.validity.blank == BlankPolicy.INVALID or (on_screen and meeting.abstain)
    if blank_is_error and not all(values):
        blank = tuple(i for i, v in zip(items, values, strict=True) if not v)
        problems.append(
            BallotProblem(ProblemKind.INCOMPLETE, tn("ballot.incomplete", len(blank)), blank)
        )

    if numeric:
        low, high = rules.numeric_range
        bad = tuple(
            i for i, v in zip(items, values, strict=True) if v and not _in_range(v, low, high)
        )
        if bad:
            problems.append(
                BallotProblem(
                    ProblemKind.BAD_VALUE, t("ballot.bad_number", low=low, high=high), bad
                )
            )
        return problems

    known = _known_labels(meeting)
    if not known.issuperset(filter(None, values)):
        bad = tuple(i for i, v in zip(items, values, strict=True) if v and v not in known)
        problems.append(BallotProblem(ProblemKind.BAD_VALUE, t("ballot.bad_grade"), bad))

    limit = top_grade_limit(meeting)
    if limit is not None:
        top = meeting.grades[0].label
        if values.count(top) > limit:  # else no column can hold more than the limit
            for column, in_column in _items_by_column(meeting):
                tops = tuple(i for i in in_column if grades.get(i) == top)
                if len(tops) > limit:
                    problems.append(
                        BallotProblem(
                            ProblemKind.QUOTA,
                            tn(
                                "ballot.quota",
                                limit,
                                column=column,
                                grade=top,
                                limit=limit,
                                got=len(tops),
                            ),
                            tops,
                        )
                    )

    if rules.validity.all_same_invalid:
        # One grade for everyone the voter graded, across at least two subjects.
        scored = set(values)
        scored.difference_update((None, "", meeting.abstain))
        if len(scored) == 1:
            graded = {s for (s, _), v in zip(items, values, strict=True) if v in scored}
            if len(graded) >= 2:
                problems.append(
                    BallotProblem(
                        ProblemKind.ALL_SAME, t("ballot.all_same", grade=next(iter(scored)))
                    )
                )
    return problems


def _in_range(value: str, low: Fraction, high: Fraction) -> bool:
    return bounded_decimal(value, low, high) is not None
