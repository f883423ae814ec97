"""The ballot form as the voter's phone shows it, and reading it back.

Field names are ids, never the text of names: subject n of the form (1-based,
in form order) and its column k are `s{n}c{k}`, its comment box `s{n}note`. Any
printable name (`法:工委`, emoji) therefore votes, and a renamed criterion can
never be confused with another.

The view-model is plain data computed from the meeting, the voter's entry and
the problems the server found; the template only lays it out.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from core.ballots.items import Item, choice_labels, form_columns
from core.ballots.storing import BallotEntry
from core.ballots.validity import BallotProblem, ProblemKind, top_grade_limit
from core.i18n import t
from core.meeting.model import Layout, Meeting, Mode, Subject, derived

COMMENT_LIMIT = 500  # characters per subject, enforced by the textarea and the parser
# A Chinese character is 3 bytes of UTF-8, 9 when percent-encoded in a form post.
ENCODED_BYTES_PER_CHAR = 9
# Grade buttons stay on one line next to the criterion only while every label is short.
COMPACT_LABEL_CHARS = 3
COMPACT_CHOICES = 5


def form_subjects(meeting: Meeting) -> tuple[Subject, ...]:
    """Subjects in the order of the form: on-site first, then written."""
    return (*meeting.onsite, *meeting.written)


def grade_field(number: int, column: int) -> str:
    return f"s{number}c{column}"


def comment_field(number: int) -> str:
    return f"s{number}note"


@derived
def field_names(meeting: Meeting) -> dict[Item, str]:
    """Every grade item of the form → its field name."""
    columns = form_columns(meeting)
    return {
        (subject.name, column): grade_field(n, k)
        for n, subject in enumerate(form_subjects(meeting), 1)
        for k, column in enumerate(columns, 1)
    }


@derived
def comment_names(meeting: Meeting) -> dict[str, str]:
    """Subject name → the field name of its comment box."""
    return {s.name: comment_field(n) for n, s in enumerate(form_subjects(meeting), 1)}


def form_fields(
    meeting: Meeting, grades: Mapping[Item, str], comments: Mapping[str, str] = {}
) -> dict[str, str]:
    """A post body for the given choices, as a browser would send it (tests, bench)."""
    names = field_names(meeting)
    notes = comment_names(meeting)
    body = {names[item]: grade for item, grade in grades.items()}
    body.update({notes[subject]: text for subject, text in comments.items()})
    return body


def parse_form(
    meeting: Meeting, fields: Iterable[tuple[str, str]]
) -> tuple[BallotEntry, list[str]]:
    """Read posted form fields.

    Returns the entry (every item of the form, None where nothing was chosen)
    and the names of fields that are not part of this meeting's form (the
    caller rejects the post).
    """
    items, notes = _fields_read(meeting)
    grades: dict[Item, str | None] = dict.fromkeys(items.values())
    comments: dict[str, str] = {}
    unknown: list[str] = []
    for name, value in fields:
        if name in items:
            grades[items[name]] = value.strip() or None
        elif name in notes:
            comments[notes[name]] = value[:COMMENT_LIMIT]
        else:
            unknown.append(name)
    return BallotEntry(grades, comments), unknown


@derived
def _fields_read(meeting: Meeting) -> tuple[dict[str, Item], dict[str, str]]:
    """Field name → grade item, and field name → subject of a comment box."""
    return (
        {name: item for item, name in field_names(meeting).items()},
        {name: subject for subject, name in comment_names(meeting).items()},
    )


def largest_body(meeting: Meeting) -> int:
    """Bytes of the largest post the form itself allows: every choice made with
    the longest label and every comment at its limit in Chinese."""
    longest = max((len(label.encode()) for label in choice_labels(meeting)), default=0)
    longest = max(longest, 24)  # a numeric layout's value, generously
    grades = sum(len(name) + 2 + 3 * longest for name in field_names(meeting).values())
    notes = sum(
        len(name) + 2 + COMMENT_LIMIT * ENCODED_BYTES_PER_CHAR
        for name in comment_names(meeting).values()
    )
    return grades + notes


# ---------------------------------------------------------------------------
# The view-model


@dataclass(frozen=True)
class Row:
    field: str  # the input's name, also the row's anchor
    column: str  # criterion name (or the overall grade)
    chosen: str  # the voter's choice so far, "" for none
    marked: bool  # the server found a problem here


@dataclass(frozen=True)
class Card:
    anchor: str  # "s3": the card's id
    number: int  # n of "第 n / 21 个"
    subject: Subject
    group: str  # heading shown above the first card of its group, else ""
    rows: tuple[Row, ...]
    note_field: str
    note: str

    @property
    def marked(self) -> bool:
        return any(r.marked for r in self.rows)


@dataclass(frozen=True)
class Link:
    anchor: str
    text: str


@dataclass(frozen=True)
class SubjectLinks:
    """One subject's marked items in the list at the top, one short line:
    法工委：抓基层党建工作、执行廉洁自律, or 法工委：全部 3 项."""

    subject: Link
    items: tuple[Link, ...]
    whole: bool  # every item of the subject: said in two words, linked to the first


@dataclass(frozen=True)
class ProblemView:
    message: str
    hint: str
    links: tuple[SubjectLinks, ...]
    more: int = 0  # subjects past the lines shown (their items are red on the form)


# A refused ballot's summary shows at most this many subjects, one line each: the
# notice stays within the first screen, and the form below marks every item.
SUMMARY_SUBJECTS = 8


@dataclass(frozen=True)
class BallotForm:
    cards: tuple[Card, ...]
    choices: tuple[str, ...]  # grade labels, best first, then the abstain choice
    abstain: str | None
    top: str  # the top grade's label ("" in the numeric layout)
    top_limit: int | None  # the most top grades one column may have, None: no quota
    numeric: bool
    numeric_low: str
    numeric_high: str
    compact: bool  # choices fit on the criterion's line
    rules: tuple[str, ...]  # the meeting's rules, in two short lines
    problems: tuple[ProblemView, ...]

    @property
    def total(self) -> int:
        return len(self.cards)


def rules_lines(meeting: Meeting) -> tuple[str, ...]:
    """What the voter must know before grading, from the meeting's own rules."""
    rules = meeting.rules
    if rules.layout == Layout.NUMERIC:
        low, high = rules.numeric_range
        first = [t("form.rule.numeric", low=_number(low), high=_number(high))]
    else:
        grades = " / ".join(g.label for g in meeting.grades)
        first = [t("form.rule.grades", grades=grades)]
        if meeting.abstain:
            first.append(t("form.rule.abstain", abstain=meeting.abstain))
        limit = top_grade_limit(meeting)
        if limit is not None:
            first.append(t("form.rule.quota", grade=meeting.grades[0].label, limit=limit))
    second = []
    if rules.validity.all_same_invalid and rules.layout != Layout.NUMERIC:
        second.append(t("form.rule.all_same"))
    second.append(t("form.rule.secret"))
    second.append(t("form.rule.revise") if meeting.poll.allow_revision else t("form.rule.once"))
    return ("".join(first), "".join(second))


def _number(value: Fraction) -> str:
    return str(int(value)) if value == int(value) else str(float(value))


def marked_items(
    meeting: Meeting, grades: Mapping[Item, str | None], problem: BallotProblem
) -> tuple[Item, ...]:
    """The items one problem marks red. An all-same ballot marks every graded item:
    changing any one of them makes it valid."""
    if problem.kind == ProblemKind.ALL_SAME and not problem.items:
        return tuple(i for i, g in grades.items() if g and g != meeting.abstain)
    return problem.items


def _group_title(group: str) -> str:
    return t("web.onsite") if group == "onsite" else t("web.written")


def ballot_form(
    meeting: Meeting, entry: BallotEntry, problems: Sequence[BallotProblem] = ()
) -> BallotForm:
    names = field_names(meeting)
    notes = comment_names(meeting)
    columns = form_columns(meeting)
    # Each problem with its own items: a quota is one problem per criterion.
    problem_items = [(p, marked_items(meeting, entry.grades, p)) for p in problems]
    marked = {item for _, items in problem_items for item in items}
    onsite = {s.name for s in meeting.onsite}
    cards = []
    previous_group = None
    for number, subject in enumerate(form_subjects(meeting), 1):
        group = Mode.ONSITE if subject.name in onsite else Mode.WRITTEN
        rows = tuple(
            Row(
                field=names[(subject.name, column)],
                column=column,
                chosen=entry.grades.get((subject.name, column)) or "",
                marked=(subject.name, column) in marked,
            )
            for column in columns
        )
        cards.append(
            Card(
                anchor=f"s{number}",
                number=number,
                subject=subject,
                group=_group_title(group) if group != previous_group else "",
                rows=rows,
                note_field=notes[subject.name],
                note=entry.comments.get(subject.name, ""),
            )
        )
        previous_group = group
    choices = tuple(choice_labels(meeting))
    numeric = meeting.rules.layout == Layout.NUMERIC
    low, high = meeting.rules.numeric_range
    return BallotForm(
        cards=tuple(cards),
        choices=choices,
        abstain=meeting.abstain,
        top="" if numeric else meeting.grades[0].label,
        top_limit=None if numeric else top_grade_limit(meeting),
        numeric=numeric,
        numeric_low=_number(low),
        numeric_high=_number(high),
        compact=len(choices) <= COMPACT_CHOICES
        and all(len(c) <= COMPACT_LABEL_CHARS for c in choices),
        rules=rules_lines(meeting),
        problems=tuple(_problem_view(meeting, names, p, items) for p, items in problem_items),
    )


def _problem_view(
    meeting: Meeting,
    names: Mapping[Item, str],
    problem: BallotProblem,
    items: tuple[Item, ...],
) -> ProblemView:
    if problem.kind == ProblemKind.ALL_SAME:
        # Every chosen item is marked; a list of all of them would hide the point.
        return ProblemView(problem.message, t("form.all_same_hint"), ())
    anchors = {s.name: f"s{n}" for n, s in enumerate(form_subjects(meeting), 1)}
    by_subject: dict[str, list[Link]] = {}
    for subject, column in items:
        if (subject, column) in names:
            by_subject.setdefault(subject, []).append(Link(names[(subject, column)], column))
    width = len(form_columns(meeting))
    links = tuple(
        SubjectLinks(Link(anchors[subject], subject), tuple(columns), len(columns) == width > 1)
        for subject, columns in by_subject.items()
    )
    shown = links[:SUMMARY_SUBJECTS]
    return ProblemView(problem.message, "", shown, len(links) - len(shown))


class Draft(NamedTuple):
    entry: BallotEntry
    refused: bool  # a post the rules refused (show why), or only a change of text size


class Drafts:
    """Ballots waiting on the server between two pages, in this process's memory only:
    a refused post waiting to be corrected, or the choices of a voter who switched
    the text size without script.

    A refused post is answered with a redirect to the form (Post/Redirect/Get),
    which shows the kept draft and its problems: Back or reload never re-posts,
    with or without script. Nothing here is written anywhere; a restart forgets
    the drafts (the phone's own copy, with script, still restores the choices).
    """

    def __init__(
        self,
        limit: int = 10_000,
        max_age: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._drafts: OrderedDict[str, tuple[float, Draft]] = OrderedDict()
        self._limit = limit
        self._max_age = max_age
        self._clock = clock

    def keep(self, key: str, entry: BallotEntry, *, refused: bool = True) -> None:
        """`key`: the slip's digest, so a refused post needs no database."""
        self._drafts.pop(key, None)
        self._drafts[key] = (self._clock(), Draft(entry, refused))
        while len(self._drafts) > self._limit:
            self._drafts.popitem(last=False)

    def get(self, key: str) -> Draft | None:
        kept = self._drafts.get(key)
        if kept is None:
            return None
        if self._clock() - kept[0] > self._max_age:
            del self._drafts[key]
            return None
        return kept[1]

    def drop(self, key: str) -> None:
        self._drafts.pop(key, None)
