"""The meeting record (会议记录), written from the store: Word (official-document style)
or Markdown.

Gathered once into plain data (`gather`), then laid out twice. What an office
files: the header block (name, time as actually run, venue, host, recorder,
attendance), the agenda, each on-site subject's phase times (with overtime),
commentary and questions with their answers (未答复 when none), the written
subjects, the scoring summary (ballots, invalid reasons, turnout), the
committee's grade overrides with reasons, and lines for the recorder and the
reviewer to sign.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from core.ballots.paper import paper_entrant
from core.ballots.results import load_tally, overrides
from core.ballots.turnout import turnout
from core.i18n import t
from core.meeting.labels import phase_label
from core.meeting.model import ONSITE_PHASES, Phase, Poll
from core.meeting.store import MeetingStore
from core.meeting.timer import format_seconds
from core.office.data import ballots_caption
from core.office.document import chinese_date
from core.record.entries import Commentary, Question, QuestionState, Record


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
class MinutesData:
    title: str
    meeting_name: str
    time_text: str
    venue: str
    host: str
    recorder: str
    attendance: str
    agenda: list[str]
    subjects: list[SubjectMinutes]
    written: list[str]
    scoring: list[str]
    overrides: list[OverrideLine]


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


def _attendance(store: MeetingStore) -> str:
    per_category = turnout(store)
    expected = sum(e for _, e in per_category.values())
    returned = sum(r for r, _ in per_category.values())
    return t("minutes.attendance", expected=expected, present=returned)


def _overrides(store: MeetingStore) -> list[OverrideLine]:
    decided = overrides(store)
    if not decided:
        return []
    computed = {s.name: s.computed_grade or "—" for s in load_tally(store).subjects}
    return [
        OverrideLine(name, computed.get(name, "—"), o.grade, o.reason)
        for name, o in decided.items()
    ]


def _scoring(store: MeetingStore) -> list[str]:
    state = store.state()
    if state.poll == Poll.NOT_OPEN and not store.events("poll.open"):
        return [t("minutes.scoring_not_held")]
    lines = ballots_caption(load_tally(store))
    parts = "；".join(f"{name} {r}/{e}" for name, (r, e) in turnout(store).items())
    lines.append(t("minutes.turnout", parts=parts))
    if state.poll != Poll.CLOSED:
        lines.append(t("minutes.scoring_open"))
    return lines


def gather(store: MeetingStore) -> MinutesData:
    meeting = store.meeting
    subjects = gather_subjects(store)
    written = [s.name for s in meeting.written]
    agenda = [
        t("minutes.agenda_onsite", order=i, name=s.heading) for i, s in enumerate(subjects, 1)
    ]
    agenda.append(t("minutes.agenda_scoring", order=len(subjects) + 1))
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
        scoring=_scoring(store),
        overrides=_overrides(store),
    )


def _header_lines(data: MinutesData) -> list[tuple[str, str]]:
    blank = "＿＿＿＿＿＿"  # to be filled in by hand
    return [
        (t("minutes.h.name"), data.meeting_name),
        (t("minutes.h.time"), data.time_text),
        (t("minutes.h.venue"), data.venue or blank),
        (t("minutes.h.host"), data.host or blank),
        (t("minutes.h.recorder"), data.recorder or blank),
        (t("minutes.h.attendance"), data.attendance),
    ]


def _override_text(o: OverrideLine) -> str:
    return t(
        "minutes.override", subject=o.subject, computed=o.computed, final=o.final, reason=o.reason
    )


def _answer(q: Question) -> str:
    """The answer; 未答复 for a question asked and not answered; 未询问 for one that was
    queued and never put to the subject."""
    if q.answer:
        return q.answer
    return t("minutes.not_asked") if q.state == QuestionState.QUEUED else t("minutes.unanswered")


def to_markdown(store: MeetingStore) -> str:
    data = gather(store)
    lines = [f"# {data.title}", ""]
    lines += [f"- **{label}**：{value}" for label, value in _header_lines(data)] + [""]
    lines += ["## " + t("minutes.s.agenda"), "", *data.agenda, ""]
    lines += ["## " + t("minutes.s.onsite"), ""]
    for number, subject in enumerate(data.subjects, 1):
        lines += [f"### {number}. {subject.heading}", ""]
        lines += [f"- {p.text()}" for p in subject.phase_times] + [""]
        lines += ["**" + t("minutes.commentary") + "**", ""]
        if subject.commentary:
            lines += [
                f"- {clock_text(c.at)} **{c.commenter}**：{c.text}" for c in subject.commentary
            ]
        else:
            lines.append(t("minutes.none"))
        lines += ["", "**" + t("minutes.questions") + "**", ""]
        if subject.questions:
            for i, q in enumerate(subject.questions, 1):
                asked = clock_text(q.asked_at) or clock_text(q.created_at)
                lines.append(f"{i}. {asked} **{q.asker or '—'}**：{q.text}")
                if q.answer:
                    when = f"（{clock_text(q.answered_at)}）" if q.answered_at else ""
                    lines.append("   - " + t("question.answer", answer=q.answer) + when)
                else:
                    lines.append(f"   - {_answer(q)}")
        else:
            lines.append(t("minutes.none"))
        lines.append("")
    lines += [
        "## " + t("minutes.s.written"),
        "",
        t("minutes.written_subjects", names="、".join(data.written)),
        "",
    ]
    lines += ["## " + t("minutes.s.scoring"), "", *[f"- {line}" for line in data.scoring], ""]
    lines += ["## " + t("minutes.s.overrides"), ""]
    if data.overrides:
        lines += [f"- {_override_text(o)}" for o in data.overrides]
    else:
        lines.append(t("minutes.none"))
    lines += ["", t("minutes.signatures"), ""]
    return "\n".join(lines)


def to_docx(store: MeetingStore, path: Path) -> None:
    from core.office import document as doc

    data = gather(store)
    document = doc.new_document()
    doc.title(document, t("minutes.doc_title"))  # the meeting is named just below
    for name, value in _header_lines(data):
        doc.paragraph(document, f"{name}：{value}", indent=False)
    section = 0

    def heading(text: str) -> None:
        nonlocal section
        section += 1
        doc.heading(document, text, level=1, number=section)

    heading(t("minutes.s.agenda"))
    for line in data.agenda:
        doc.paragraph(document, line)
    heading(t("minutes.s.onsite"))
    for number, subject in enumerate(data.subjects, 1):
        doc.heading(document, subject.heading, level=2, number=number)
        times = "；".join(p.text() for p in subject.phase_times) + "。"
        doc.paragraph(document, times, align="left")  # justified, digits spread the line
        label = doc.paragraph(document, t("minutes.commentary") + "：", bold=True)
        label.paragraph_format.keep_with_next = True  # never alone at a page's foot
        if subject.commentary:
            doc.table(
                document,
                [t("minutes.col.time"), t("minutes.col.commenter"), t("minutes.col.content")],
                [[clock_text(c.at), c.commenter, c.text] for c in subject.commentary],
                widths_mm=[16, 26, 114],
                align=["center", "center", "left"],
            )
        else:
            doc.paragraph(document, t("minutes.none"))
        label = doc.paragraph(document, t("minutes.questions") + "：", bold=True)
        label.paragraph_format.keep_with_next = True
        if subject.questions:
            doc.table(
                document,
                [
                    t("minutes.col.time"),
                    t("minutes.col.asker"),
                    t("minutes.col.question"),
                    t("minutes.col.answer"),
                ],
                [
                    [
                        clock_text(q.asked_at) or clock_text(q.created_at),
                        q.asker,
                        q.text,
                        _answer(q),
                    ]
                    for q in subject.questions
                ],
                widths_mm=[16, 24, 56, 60],
                align=["center", "center", "left", "left"],
            )
        else:
            doc.paragraph(document, t("minutes.none"))
    heading(t("minutes.s.written"))
    doc.paragraph(document, t("minutes.written_subjects", names="、".join(data.written)))
    heading(t("minutes.s.scoring"))
    for line in data.scoring:
        doc.paragraph(document, line)
    heading(t("minutes.s.overrides"))
    if data.overrides:
        doc.table(
            document,
            [
                t("col.subject"),
                t("col.computed_grade"),
                t("col.final_grade"),
                t("col.override"),
            ],
            [[o.subject, o.computed, o.final, o.reason] for o in data.overrides],
            widths_mm=[32, 22, 22, 80],
            align=["center", "center", "center", "left"],
        )
    else:
        doc.paragraph(document, t("minutes.none"))
    doc.signature_lines(document, [t("minutes.h.recorder"), t("minutes.reviewer")])
    document.save(str(path))


def write_minutes(store: MeetingStore, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".md":
        path.write_text(to_markdown(store), encoding="utf-8")
    elif suffix == ".docx":
        to_docx(store, path)
    else:
        raise ValueError(suffix)
