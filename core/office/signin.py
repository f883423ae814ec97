"""The sign-in sheet (签到表): everyone the meeting file expects ([[attendees]]), by
group, two to a row, with a box to sign. A person already marked 请假 before the
sheet is printed has it written in the box."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from core.errors import StoreError
from core.i18n import t
from core.meeting.store import MeetingStore
from core.office import templates
from core.office.heads import atoms, head_fields
from core.record.attendance import Mark, read_roll

_EMPTY = {"序号": "", "姓名": "", "备注": ""}


def signin_context(store: MeetingStore) -> dict[str, Any]:
    """Every field of the sign-in template (docs/templates.md)."""
    meeting = store.meeting
    if not meeting.attendees:
        raise StoreError(t("signin.no_attendees"))
    roll = read_roll(store)
    groups = []
    for group in roll.groups():
        people = [
            {
                "序号": str(number),
                "姓名": entry.name,
                "备注": t("attendance.leave") if entry.mark == Mark.LEAVE else "",
            }
            for number, entry in enumerate((e for e in roll.entries if e.group == group), 1)
        ]
        rows = [
            [people[i], people[i + 1] if i + 1 < len(people) else _EMPTY]
            for i in range(0, len(people), 2)
        ]
        groups.append({"组别": group, "人数": str(len(people)), "行": rows})
    context: dict[str, Any] = head_fields(meeting, dt.date.fromtimestamp(store.clock()))
    context.update({"分组": groups, "应到人数": str(roll.expected)})
    return context


def write_signin(store: MeetingStore, template: templates.Template, path: Path) -> None:
    context = signin_context(store)
    templates.check(template, context)
    templates.write(template, context, path, atoms(store.meeting))
