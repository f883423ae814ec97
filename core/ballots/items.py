"""The items of a ballot: which subjects and columns a voter grades, in form order,
and the choices offered. Pure functions of the meeting, worked out once."""

from __future__ import annotations

from core.meeting.model import Layout, Meeting, derived
from core.meeting.store import MeetingStore

OVERALL = "总体评价"

Item = tuple[str, str]  # (subject name, criterion name or OVERALL)


def criterion_ids_of(store: MeetingStore) -> dict[str, int]:
    """Criterion name → id as stored in `scores`; the overall grade is criterion 0."""
    return {**store.ids("criteria"), OVERALL: 0}


def criterion_names_of(store: MeetingStore) -> dict[int, str]:
    return {**store.names("criteria"), 0: OVERALL}


@derived
def form_columns(meeting: Meeting) -> tuple[str, ...]:
    layout = meeting.rules.layout
    if layout == Layout.OVERALL:
        return (OVERALL,)
    if layout == Layout.PER_CRITERION_AND_OVERALL:
        return (*meeting.criteria, OVERALL)
    return meeting.criteria


@derived
def form_items(meeting: Meeting) -> tuple[Item, ...]:
    """Every item of a ballot in form order: on-site subjects first, then written."""
    columns = form_columns(meeting)
    return tuple((s.name, c) for s in (*meeting.onsite, *meeting.written) for c in columns)


@derived
def choice_labels(meeting: Meeting) -> tuple[str, ...]:
    labels = tuple(g.label for g in meeting.grades)
    return (*labels, meeting.abstain) if meeting.abstain else labels


@derived
def _known_labels(meeting: Meeting) -> frozenset[str]:
    return frozenset(choice_labels(meeting))


@derived
def _items_by_column(meeting: Meeting) -> tuple[tuple[str, tuple[Item, ...]], ...]:
    items = form_items(meeting)
    return tuple((c, tuple(i for i in items if i[1] == c)) for c in form_columns(meeting))
