"""Attendance (出席 / 请假 / 缺席) of the people the meeting file expects ([[attendees]]).

The clerk marks each person as they sign in, or ask for leave; a mark can be
changed or cleared, each change one transaction with its audit event. The
sign-in sheet lists everyone expected; the minutes name who attended, who was
on leave and who was absent, with the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.errors import StoreError
from core.i18n import t
from core.meeting.model import Meeting
from core.meeting.store import MeetingStore
from core.text import clean_line


class Mark(StrEnum):
    PRESENT = "present"  # 出席
    LEAVE = "leave"  # 请假
    ABSENT = "absent"  # 缺席


MARKS: tuple[Mark, ...] = tuple(Mark)
MAX_NOTE = 100  # characters: 因公出差, 病假


def mark_label(mark: Mark | None) -> str:
    match mark:
        case Mark.PRESENT:
            return t("attendance.present")
        case Mark.LEAVE:
            return t("attendance.leave")
        case Mark.ABSENT:
            return t("attendance.absent")
        case None:
            return t("attendance.unmarked")
    raise ValueError(f"unknown mark {mark!r}")


def parse_mark(text: str) -> Mark:
    """A mark as a person types it: 出席 / 请假 / 缺席, present / leave / absent."""
    word = text.strip().lower()
    for mark in MARKS:
        if word in (mark.value, mark_label(mark)) or word == _zh_word(mark):
            return mark
    raise StoreError(t("attendance.bad_mark", got=text))


def _zh_word(mark: Mark) -> str:
    """The Chinese word, whatever the language shown (a clerk may type it)."""
    return {Mark.PRESENT: "出席", Mark.LEAVE: "请假", Mark.ABSENT: "缺席"}[mark]


@dataclass(frozen=True)
class Entry:
    name: str
    group: str
    mark: Mark | None
    note: str


@dataclass(frozen=True)
class Roll:
    """Everyone expected, in the meeting file's order, with their marks."""

    entries: tuple[Entry, ...]

    @property
    def expected(self) -> int:
        return len(self.entries)

    def with_mark(self, mark: Mark | None) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.mark == mark)

    def count(self, mark: Mark | None) -> int:
        return len(self.with_mark(mark))

    def groups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.group for e in self.entries))


def group_of(meeting: Meeting) -> dict[str, str]:
    return {name: group.name for group in meeting.attendees for name in group.people}


def read_roll(store: MeetingStore) -> Roll:
    marks = {
        name: (Mark(mark), note)
        for name, mark, note in store.conn.execute("SELECT name, mark, note FROM attendance")
    }
    entries = []
    for group in store.meeting.attendees:
        for name in group.people:
            mark, note = marks.get(name, (None, ""))
            entries.append(Entry(name, group.name, mark, note))
    return Roll(tuple(entries))


def set_mark(store: MeetingStore, name: str, mark: Mark | None, note: str = "") -> None:
    """Mark one person (None clears the mark); refused for a name not on the list."""
    name = name.strip()
    groups = group_of(store.meeting)
    if name not in groups:
        raise StoreError(t("attendance.not_listed", name=name))
    note = clean_line(note).strip()[:MAX_NOTE]
    with store.transaction():
        if mark is None:
            store.conn.execute("DELETE FROM attendance WHERE name = ?", [name])
            store.record("attendance.cleared", {"name": name})
            return
        store.conn.execute(
            "INSERT INTO attendance (name, mark, note, at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET mark = excluded.mark, note = excluded.note, "
            "at = excluded.at",
            [name, mark.value, note, store.clock()],
        )
        store.record("attendance.marked", {"name": name, "mark": mark.value, "note": note})
