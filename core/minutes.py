"""The meeting record (会议记录), written from the store: Markdown or Word."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from core.i18n import t
from core.model import ONSITE_PHASES
from core.record import Commentary, Question, Record
from core.store import MeetingStore
from core.timer import format_seconds


@dataclass(frozen=True)
class SubjectMinutes:
    name: str
    unit: str
    phase_times: list[str]  # "述职用时：7:42（计划 8:00）"
    commentary: list[Commentary]
    questions: list[Question]


def clock_text(instant: float | None) -> str:
    return time.strftime("%H:%M", time.localtime(instant)) if instant else ""


def gather(store: MeetingStore) -> list[SubjectMinutes]:
    record = Record(store)
    state = store.state()
    now = store.clock()
    out = []
    for subject in store.meeting.onsite:
        times = []
        for phase in ONSITE_PHASES:
            step = next(s for s in state.steps if s.subject == subject.name and s.phase == phase)
            planned = format_seconds(step.timing.duration) if step.timing else ""
            used = (
                format_seconds(step.timer.elapsed(now)).lstrip("-")
                if step.timer and step.timer.started
                else t("minutes.not_held")
            )
            times.append(
                t("minutes.phase_time", phase=t(f"phase.{phase}"), used=used, planned=planned)
            )
        out.append(
            SubjectMinutes(
                name=subject.name,
                unit=subject.unit,
                phase_times=times,
                commentary=record.commentary(subject.name),
                questions=record.questions(subject.name, include_withdrawn=False),
            )
        )
    return out


def _header(store: MeetingStore) -> tuple[str, str]:
    meeting = store.meeting
    return (
        t("minutes.title", title=meeting.title),
        t("minutes.meta", date=meeting.date.isoformat(), venue=meeting.venue),
    )


def to_markdown(store: MeetingStore) -> str:
    title, meta = _header(store)
    lines = [f"# {title}", "", meta, ""]
    for number, subject in enumerate(gather(store), 1):
        heading = (
            subject.name if subject.unit == subject.name else f"{subject.name}（{subject.unit}）"
        )
        lines += [f"## {number}. {heading}", ""]
        lines += [f"- {line}" for line in subject.phase_times] + [""]
        lines += [f"### {t('minutes.commentary')}", ""]
        if subject.commentary:
            lines += [
                f"- {clock_text(c.at)} **{c.commenter}**：{c.text}" for c in subject.commentary
            ]
        else:
            lines.append(t("minutes.none"))
        lines += ["", f"### {t('minutes.questions')}", ""]
        if subject.questions:
            for i, q in enumerate(subject.questions, 1):
                asked = clock_text(q.asked_at) or clock_text(q.created_at)
                lines.append(f"{i}. {asked} **{q.asker or '—'}**：{q.text}")
                if q.answer:
                    lines.append(
                        f"   - {t('question.answer', answer=q.answer)}"
                        f"（{clock_text(q.answered_at)}）"
                    )
        else:
            lines.append(t("minutes.none"))
        lines.append("")
    written = "、".join(s.name for s in store.meeting.written)
    lines += [t("minutes.written_subjects", names=written), ""]
    return "\n".join(lines)


def to_docx(store: MeetingStore, path: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "SimSun"
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")  # Chinese text in a Chinese font
    title, meta = _header(store)
    document.add_heading(title, level=0)
    document.add_paragraph(meta)
    for number, subject in enumerate(gather(store), 1):
        heading = (
            subject.name if subject.unit == subject.name else f"{subject.name}（{subject.unit}）"
        )
        document.add_heading(f"{number}. {heading}", level=1)
        for line in subject.phase_times:
            document.add_paragraph(line, style="List Bullet")
        document.add_heading(t("minutes.commentary"), level=2)
        _table(
            document,
            [t("minutes.col.time"), t("minutes.col.who"), t("minutes.col.content")],
            [[clock_text(c.at), c.commenter, c.text] for c in subject.commentary],
        )
        document.add_heading(t("minutes.questions"), level=2)
        _table(
            document,
            [
                t("minutes.col.time"),
                t("minutes.col.who"),
                t("minutes.col.content"),
                t("minutes.col.answer"),
            ],
            [
                [clock_text(q.asked_at) or clock_text(q.created_at), q.asker, q.text, q.answer]
                for q in subject.questions
            ],
        )
    written = "、".join(s.name for s in store.meeting.written)
    document.add_paragraph(t("minutes.written_subjects", names=written))
    document.save(str(path))


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    if not rows:
        document.add_paragraph(t("minutes.none"))
        return
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text or ""


def write_minutes(store: MeetingStore, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".md":
        path.write_text(to_markdown(store), encoding="utf-8")
    elif suffix == ".docx":
        to_docx(store, path)
    else:
        raise ValueError(suffix)
