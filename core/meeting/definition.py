"""A meeting's definition in its database: written once, when the database is made,
from the meeting file (which is stored too, so every process reads the same rules)."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING

from core.meeting.agenda import build_agenda
from core.meeting.model import Meeting, Poll
from core.store import APP_ID

if TYPE_CHECKING:
    import sqlite_utils


def write_definition(db: sqlite_utils.Database, meeting: Meeting, source: str, name: str) -> None:
    db.table("meta").upsert({"key": "app", "value": APP_ID}, pk="key")
    db.table("meta").upsert({"key": "created_at", "value": repr(time.time())}, pk="key")
    db.table("meta").upsert({"key": "meeting_uid", "value": uuid.uuid4().hex}, pk="key")
    db.table("meeting").insert(
        {
            "id": 1,
            "title": meeting.title,
            "date": meeting.date.isoformat(),
            "venue": meeting.venue,
            "source_name": name,
            "source": source,
        }
    )
    subject_ids: dict[str, int] = {}
    for index, subject in enumerate((*meeting.onsite, *meeting.written), 1):
        subject_ids[subject.name] = index
        db.table("subjects").insert(
            {
                "id": index,
                "name": subject.name,
                "unit": subject.unit,
                "person": subject.person,
                "mode": subject.mode,
                "position": index,
                "daily": None if subject.daily is None else str(subject.daily),
            }
        )
    db.table("categories").insert_all(
        {"id": i, "name": c.name, "weight": str(c.weight), "expected": c.expected, "position": i}
        for i, c in enumerate(meeting.categories, 1)
    )
    db.table("criteria").insert_all(
        {"id": i, "name": name, "position": i} for i, name in enumerate(meeting.criteria, 1)
    )
    grades: list[tuple[str, str | None, int]] = [
        (g.label, str(g.points), 0) for g in meeting.grades
    ]
    if meeting.abstain:
        grades.append((meeting.abstain, None, 1))
    db.table("grades").insert_all(
        {"id": i, "label": label, "points": points, "position": i, "abstain": abstain}
        for i, (label, points, abstain) in enumerate(grades, 1)
    )
    db.table("agenda").insert_all(
        {
            "position": position,
            "subject_id": subject_ids.get(step.subject) if step.subject else None,
            "phase": step.phase,
            "duration": step.timing.duration if step.timing else None,
            "warning": step.timing.warning if step.timing else None,
            "danger": step.timing.danger if step.timing else None,
            "auto_start": int(step.timing.auto_start) if step.timing else 0,
            "paused_total": 0.0,
            "added": 0.0,
        }
        for position, step in enumerate(build_agenda(meeting))
    )
    db.table("state").insert({"id": 1, "position": 0, "poll": Poll.NOT_OPEN})
