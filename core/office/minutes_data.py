"""What the minutes (会议记录) say, gathered from the store into plain data once
(`gather`): the header (time as actually run, host, recorder), attendance by name,
each on-site subject's phase times, commentary and questions, the scoring summary,
overrides and reopenings. core/office/minutes.py lays it out (Word, Markdown)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from core.ballots.lifecycle import recomputed_lines
from core.ballots.paper import paper_entrant
from core.ballots.results import Computed, load_computed, overrides
from core.ballots.tally import Tally
from core.ballots.turnout import turnout
from core.i18n import t
from core.meeting.labels import phase_label
from core.meeting.model import ONSITE_PHASES, Phase, Poll
from core.meeting.store import MeetingStore
from core.meeting.timer import format_seconds
from core.office.data import ballots_caption
from core.office.document import chinese_date
from core.office.heads import askers, commenters, reporter
from core.record.attendance import Mark, read_roll
from core.record.entries import Commentary, Question, Record


@dataclass(frozen=True)
class PhaseTime:
    phase: Phase
    planned: float | None  # seconds, host's adjustments included
    used: float | None  # None: never started
    over: float  # seconds over the plan (0 when within)

    def text(self) -> str:
        name = phase_label(self.phase)
        if self.used is None:
            return t("minutes.phase_not_held", phase=name)
        planned = format_seconds(self.planned) if self.planned is not None else "—"
        used = format_seconds(self.used).lstrip("-")
        if self.over >= 1:
            return t(
                "minutes.phase_over",
                phase=name,
                used=used,
                planned=planned,
                over=format_seconds(self.over),
            )
        return t("minutes.phase_time", phase=name, used=used, planned=planned)


@dataclass(frozen=True)
class SubjectMinutes:
    name: str
    unit: str
    person: str
    phase_times: list[PhaseTime]
    commentary: list[Commentary]
    questions: list[Question]

    @property
    def heading(self) -> str:
        return self.name if self.unit in ("", self.name) else f"{self.name}（{self.unit}）"


@dataclass(frozen=True)
class OverrideLine:
    subject: str
    computed: str
    final: str
    reason: str


@dataclass(frozen=True)
class AttendanceLines:
    summary: str  # 应到 72 人，出席 68 人，请假 3 人，缺席 1 人
    note: str  # where the figures come from
    present: list[tuple[str, list[str]]]  # (group, names) of those present
    on_leave: list[str]  # 姓名（事由）
    absent: list[str]


@dataclass(frozen=True)
class MinutesData:
    title: str
    meeting_name: str
    time_text: str
    venue: str
    host: str
    recorder: str
    attendance: AttendanceLines
    agenda: list[str]
    subjects: list[SubjectMinutes]
    written: list[str]
    scoring: list[str]
    overrides: list[OverrideLine]
    fingerprint: str  # of the result the scoring lines report


def clock_text(instant: float | None) -> str:
    return time.strftime("%H:%M", time.localtime(instant)) if instant else ""


def _phase_times(store: MeetingStore, subject: str) -> list[PhaseTime]:
    state = store.state()
    now = store.clock()
    out = []
    for phase in ONSITE_PHASES:
        step = next(s for s in state.steps if s.subject == subject and s.phase == phase)
        timer = step.timer
        if timer is None or not timer.started:
            planned = step.timing.duration if step.timing else None
            out.append(PhaseTime(phase, planned, None, 0))
            continue
        used = timer.elapsed(now)
        out.append(
            PhaseTime(phase, timer.duration + timer.added, used, max(0.0, -timer.remaining(now)))
        )
    return out


def gather_subjects(store: MeetingStore) -> list[SubjectMinutes]:
    record = Record(store)
    return [
        SubjectMinutes(
            name=subject.name,
            unit=subject.unit,
            person=subject.person,
            phase_times=_phase_times(store, subject.name),
            commentary=record.commentary(subject.name),
            questions=record.questions(subject.name, include_withdrawn=False),
        )
        for subject in store.meeting.onsite
    ]


def meeting_time(store: MeetingStore) -> str:
    """The date and the time as actually run: from the first timer started to scoring
    closed (or the last thing that happened)."""
    meeting = store.meeting
    started = store.events("timer.started")
    if not started:
        return chinese_date(meeting.date)
    start = started[0].at
    closed = store.events("poll.closed")
    end = closed[-1].at if closed else max(e.at for e in store.events() if e.at >= start)
    day = dt.date.fromtimestamp(start)
    if day != meeting.date:  # a rehearsal, or a meeting moved: the times stay, and say so
        return t(
            "minutes.time_range_other_day",
            date=chinese_date(day),
            start=clock_text(start),
            end=clock_text(end),
            planned=chinese_date(meeting.date),
        )
    return t(
        "minutes.time_range", date=chinese_date(day), start=clock_text(start), end=clock_text(end)
    )


def recorder_name(store: MeetingStore) -> str:
    """The meeting file's recorder; else the name the clerk's console stored (its --name,
    kept with the paper ballots it entered); else blank, to be written in by hand."""
    if store.meeting.recorder:
        return store.meeting.recorder
    for key in ("clerk_name", "clerk", "recorder"):
        value = store.meta(key)
        if value and value.strip():
            return value.strip()
    for event in reversed(store.events("clerk")):  # e.g. the clerk console saying who it is
        for key in ("name", "clerk"):
            value = event.payload.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    # The clerk console writes its --name on every paper ballot it enters.
    return paper_entrant(store) or ""


def _attendance(store: MeetingStore) -> AttendanceLines:
    """From the clerk's marks when the meeting file lists who should attend; else the
    count of returned ballots, as before there was a list."""
    if not store.meeting.attendees:
        per_category = turnout(store)
        expected = sum(e for _, e in per_category.values())
        returned = sum(r for r, _ in per_category.values())
        summary = t("minutes.attendance", expected=expected, present=returned)
        return AttendanceLines(summary, t("minutes.attendance_from_ballots"), [], [], [])
    roll = read_roll(store)
    summary = t(
        "minutes.attendance_marked",
        expected=roll.expected,
        present=roll.count(Mark.PRESENT),
        leave=roll.count(Mark.LEAVE),
        absent=roll.count(Mark.ABSENT),
    )
    unmarked = roll.count(None)
    if unmarked:
        summary += t("minutes.attendance_unmarked", count=unmarked)
    present = [
        (group, [e.name for e in roll.with_mark(Mark.PRESENT) if e.group == group])
        for group in roll.groups()
    ]
    present = [(group, names) for group, names in present if names]
    note = t("minutes.attendance_names") if present else t("minutes.attendance_none_marked")

    def named(mark: Mark) -> list[str]:
        return [f"{e.name}（{e.note}）" if e.note else e.name for e in roll.with_mark(mark)]

    return AttendanceLines(summary, note, present, named(Mark.LEAVE), named(Mark.ABSENT))


def _overrides(store: MeetingStore, tally: Tally) -> list[OverrideLine]:
    decided = overrides(store)
    if not decided:
        return []
    computed = {s.name: s.computed_grade or "—" for s in tally.subjects}
    return [
        OverrideLine(name, computed.get(name, "—"), o.grade, o.reason)
        for name, o in decided.items()
    ]


def _scoring(store: MeetingStore, computed: Computed) -> list[str]:
    """Ballots, turnout, each recomputation after a reopening (结果于 15:42 因……重新计算)
    and the fingerprint of the result (结果校验码)."""
    state = store.state()
    if state.poll == Poll.NOT_OPEN and not store.events("poll.open"):
        return [t("minutes.scoring_not_held")]
    lines = ballots_caption(computed.tally)
    parts = "；".join(f"{name} {r}/{e}" for name, (r, e) in turnout(store).items())
    lines.append(t("minutes.turnout", parts=parts))
    lines += recomputed_lines(store)
    if state.poll != Poll.CLOSED:
        lines.append(t("minutes.scoring_open"))
    lines.append(t("fingerprint.line", code=computed.fingerprint))
    return lines


def gather(store: MeetingStore) -> MinutesData:
    meeting = store.meeting
    subjects = gather_subjects(store)
    written = [s.name for s in meeting.written]
    agenda = [
        t(
            "minutes.agenda_onsite",
            order=i,
            name=s.heading,
            reporter=reporter(meeting),
            commenters=commenters(meeting),
            askers=askers(meeting),
        )
        for i, s in enumerate(subjects, 1)
    ]
    agenda.append(t("minutes.agenda_scoring", order=len(subjects) + 1))
    computed = load_computed(store)
    return MinutesData(
        title=t("minutes.title", title=meeting.title),
        meeting_name=meeting.title,
        time_text=meeting_time(store),
        venue=meeting.venue,
        host=meeting.host,
        recorder=recorder_name(store),
        attendance=_attendance(store),
        agenda=agenda,
        subjects=subjects,
        written=written,
        scoring=_scoring(store, computed),
        overrides=_overrides(store, computed.tally),
        fingerprint=computed.fingerprint,
    )
