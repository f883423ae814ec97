"""Load and validate a meeting file (TOML) into a `Meeting`.

Validation collects every problem instead of stopping at the first, so an
organiser fixes a file in one pass. Each problem names the field by a path such
as `subjects[3].mode` (array positions count from 1, as a person counts the
`[[subjects]]` blocks in the file).

One module per part of the file: `fields` (the readers of single values),
`people` (categories, subjects), `agenda` (phase timings), `scoring` (criteria,
grades, rules, poll), `reports` ([reports], [feedback]), `documents` ([documents],
[roles], [[attendees]]). `MeetingReader` puts them together.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.files import read_bounded
from core.i18n import t
from core.meeting.file.agenda import AgendaReader
from core.meeting.file.documents import DocumentsReader
from core.meeting.file.fields import MeetingFileError, Problem
from core.meeting.file.keys import KeysReader
from core.meeting.file.people import PeopleReader
from core.meeting.file.reports import ReportsReader
from core.meeting.file.scoring import ScoringReader
from core.meeting.file.venue import VenueReader
from core.meeting.model import Meeting
from core.text import cells

__all__ = [
    "MeetingFileError",
    "Problem",
    "Reading",
    "load_meeting",
    "parse_meeting",
    "read_meeting",
    "read_meeting_file",
]


def load_meeting(path: str | Path) -> Meeting:
    path = Path(path)
    return parse_meeting(read_meeting_file(path), path.name)


MAX_MEETING_FILE = 1024 * 1024  # a real meeting file is a few KiB


def read_meeting_file(path: Path) -> str:
    """The file's text, read only if it is a regular file of at most 1 MB (an endless
    stream, a FIFO or a folder is refused at once: `FileRefused`, naming the file and
    the limit); binary content and bad UTF-8 are `MeetingFileError`s."""
    data = read_bounded(path, MAX_MEETING_FILE)  # refused in one line, naming the file
    if b"\0" in data:
        raise MeetingFileError(path.name, [Problem("", t("err.binary"))])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MeetingFileError(path.name, [Problem("", t("err.read", detail=exc))]) from None


def parse_meeting(text: str, source: str = "meeting.toml") -> Meeting:
    reading = read_meeting(text)
    if reading.problems:
        raise MeetingFileError(source, reading.problems)
    assert reading.meeting is not None
    return reading.meeting


@dataclass(frozen=True)
class Reading:
    """What reading a meeting file found: the meeting (None while anything is wrong),
    every problem, and the values written in a clerk's spelling with their canonical
    form (path → value), which `sanshu edit` writes back."""

    meeting: Meeting | None
    problems: list[Problem]
    respelled: dict[str, Any]


def read_meeting(text: str) -> Reading:
    """Read and check a meeting file's text, as `sanshu check` does."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Reading(None, [syntax_problem(text, exc)], {})
    except ValueError:  # an integer of thousands of digits: Python refuses to convert it
        return Reading(None, [Problem("", t("err.number_too_long"))], {})
    except RecursionError:  # arrays or tables nested thousands deep
        return Reading(None, [Problem("", t("err.too_deep"))], {})
    reader = MeetingReader()
    meeting = reader.meeting(data)
    reader.resolve()
    return Reading(None if reader.problems else meeting, reader.problems, reader.respelled)


def syntax_problem(text: str, exc: tomllib.TOMLDecodeError) -> Problem:
    """A TOML syntax error: its line number, the line itself and a caret under the
    place (counted in terminal cells: a Chinese character is two)."""
    found = re.search(r"at line (\d+), column (\d+)", str(exc))
    detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
    problem = Problem("", t("err.syntax", detail=detail))
    if not found:
        return problem
    line, column = int(found.group(1)), int(found.group(2))
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return Problem("", problem.message, line)
    shown = lines[line - 1].replace("\t", " ")
    number = str(line)
    excerpt = (
        f"  {number} | {shown}",
        f"  {' ' * len(number)} | {' ' * cells(shown[: column - 1])}^",
    )
    return Problem("", problem.message, line, excerpt)


class MeetingReader(
    PeopleReader,
    AgendaReader,
    ScoringReader,
    ReportsReader,
    KeysReader,
    DocumentsReader,
    VenueReader,
):
    """The whole file: the [meeting] head and every section."""

    def meeting(self, data: dict[str, Any]) -> Meeting | None:
        top = self.table(
            data,
            "",
            (
                "meeting",
                "criteria",
                "grades",
                "categories",
                "subjects",
                "phases",
                "scoring",
                "poll",
                "people",
                "reports",
                "feedback",
                "keys",
                "documents",
                "roles",
                "attendees",
                "venue",
            ),
        )
        head = self.section(
            top,
            "meeting",
            ("title", "date", "venue", "organiser", "host", "recorder", "quorum"),
        )
        title = self.field(head, "meeting", "title", str)
        date = self.date(head, "meeting", "date")
        venue = self.field(head, "meeting", "venue", str, "")
        organiser = self.field(head, "meeting", "organiser", str, "")
        host = self.field(head, "meeting", "host", str, "")
        recorder = self.field(head, "meeting", "recorder", str, "")
        quorum = self.share(head, "meeting", "quorum")  # share of expected voters, e.g. "2/3"

        criteria = self.criteria(top)
        grades, abstain = self.grades(top)
        labels = self.grade_labels  # also those whose points are wrong: one mistake, one line
        categories = self.categories(top)
        timings = self.phases(top.get("phases", {}), "phases", None)
        subjects = self.subjects(top, self.category_names, timings)
        rules = self.rules(top.get("scoring", {}), labels, categories)
        poll = self.poll(top.get("poll", {}))
        people = self.table(top.get("people", {}), "people", ("commenters", "askers"))
        commenters = self.strings(people, "people", "commenters", required=False)
        askers = self.strings(people, "people", "askers", required=False)
        reports = self.report_rules(top.get("reports", {}))
        feedback = self.feedback_rules(top.get("feedback", {}))
        keys = self.clicker_keys(top.get("keys", {}))
        documents = self.documents(top.get("documents", {}))
        roles = self.roles(top.get("roles", {}))
        attendees = self.attendees(top)
        network = self.venue_network(top.get("venue", {}))

        if self.problems or title is None or date is None:  # each None was a problem
            return None
        return Meeting(
            title=title,
            date=date,
            venue=venue or "",
            organiser=organiser or "",
            criteria=tuple(criteria),
            grades=tuple(grades),
            abstain=abstain,
            categories=tuple(categories),
            subjects=tuple(subjects),
            timings=timings,
            rules=rules,
            poll=poll,
            commenters=tuple(commenters),
            askers=tuple(askers),
            reports=reports,
            feedback=feedback,
            host=(host or "").strip(),
            recorder=(recorder or "").strip(),
            quorum=quorum,
            keys=keys,
            documents=documents,
            roles=roles,
            attendees=attendees,
            network=network,
        )
