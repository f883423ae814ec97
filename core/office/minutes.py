"""The meeting record (会议记录), written from the store: Word (from the minutes
template, `data/templates/minutes.docx` or the office's own) or Markdown.

Gathered once into plain data (`gather`, minutes_data.py), then laid out twice. What an office
files: the header block (name, time as actually run, venue, host, recorder,
attendance), who attended by name (出席 / 请假 / 缺席, from the clerk's marks
against the meeting file's [[attendees]]), the agenda (who reports, comments and
asks, from [roles]), each on-site subject's phase times (with overtime),
commentary and questions with their answers (未答复 when none), the written
subjects, the scoring summary (ballots, invalid reasons, turnout), the
committee's grade overrides with reasons, and lines for the recorder and the
reviewer to sign.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from core.i18n import t
from core.meeting.store import MeetingStore
from core.office import templates
from core.office.document import chinese_number
from core.office.heads import atoms, head_fields, sentence
from core.office.minutes_data import MinutesData, OverrideLine, clock_text, gather
from core.record.entries import Question, QuestionState


def _header_lines(data: MinutesData) -> list[tuple[str, str]]:
    blank = "＿＿＿＿＿＿"  # to be filled in by hand
    return [
        (t("minutes.h.name"), data.meeting_name),
        (t("minutes.h.time"), data.time_text),
        (t("minutes.h.venue"), data.venue or blank),
        (t("minutes.h.host"), data.host or blank),
        (t("minutes.h.recorder"), data.recorder or blank),
        (t("minutes.h.attendance"), data.attendance.summary),
    ]


def _override_text(o: OverrideLine) -> str:
    return t(
        "minutes.override",
        subject=o.subject,
        computed=o.computed,
        final=o.final,
        reason=sentence(o.reason),
    )


def asked_at_meeting(q: Question) -> bool:
    """Put to the subject at the meeting (being asked, answered, or answered from the
    record): the questions a letter carries. One logged and never asked is 未询问."""
    return q.state in (QuestionState.ASKING, QuestionState.ANSWERED) or bool(q.answer)


def answer_text(q: Question) -> str:
    """The answer as every paper prints it (the minutes and the letters)."""
    return _answer(q)


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
    lines += ["## " + t("minutes.s.attendance"), "", data.attendance.note, ""]
    lines += [
        f"- {group}（{len(names)}）：{'、'.join(names)}" for group, names in data.attendance.present
    ]
    if data.attendance.on_leave:
        lines.append("- " + t("minutes.on_leave", names="、".join(data.attendance.on_leave)))
    if data.attendance.absent:
        lines.append("- " + t("minutes.absent", names="、".join(data.attendance.absent)))
    lines += ["", "## " + t("minutes.s.agenda"), "", *data.agenda, ""]
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


def minutes_context(store: MeetingStore, data: MinutesData | None = None) -> dict[str, Any]:
    """Every field of the minutes template (docs/templates.md)."""
    data = data or gather(store)
    blank = "＿＿＿＿＿＿"  # to be filled in by hand
    context: dict[str, Any] = head_fields(store.meeting, dt.date.fromtimestamp(store.clock()))
    context.update(
        {
            "时间": data.time_text,
            "地点": data.venue or blank,
            "主持人": data.host or blank,
            "记录人": data.recorder or blank,
            "出席概况": data.attendance.summary,
            "出席说明": data.attendance.note,
            "出席分组": [
                {"组别": group, "人数": len(names), "名单": "、".join(names)}
                for group, names in data.attendance.present
            ],
            "请假人员": "、".join(data.attendance.on_leave),
            "缺席人员": "、".join(data.attendance.absent),
            "议程": data.agenda,
            "现场述职": [
                {
                    "序号": chinese_number(number) if number < 100 else str(number),
                    "标题": subject.heading,
                    "用时": "；".join(p.text() for p in subject.phase_times) + "。",
                    "点评": [
                        {"时间": clock_text(c.at), "点评人": c.commenter, "内容": c.text}
                        for c in subject.commentary
                    ],
                    "询问": [
                        {
                            "时间": clock_text(q.asked_at) or clock_text(q.created_at),
                            "询问人": q.asker,
                            "问题": q.text,
                            "答复": _answer(q),
                        }
                        for q in subject.questions
                    ],
                }
                for number, subject in enumerate(data.subjects, 1)
            ],
            "书面述职": t("minutes.written_subjects", names="、".join(data.written)),
            "测评情况": data.scoring,
            templates.FINGERPRINT_FIELD: data.fingerprint,
            "等次调整": [
                {
                    "述职对象": o.subject,
                    "计算等次": o.computed,
                    "最终等次": o.final,
                    "理由": sentence(o.reason),
                }
                for o in data.overrides
            ],
        }
    )
    return context


def to_docx(store: MeetingStore, path: Path, template: templates.Template | None = None) -> None:
    template = template or templates.load("minutes", templates.default_path("minutes"))
    templates.write(template, minutes_context(store), path, atoms(store.meeting))


def write_minutes(
    store: MeetingStore, path: Path, template: templates.Template | None = None
) -> None:
    suffix = path.suffix.lower()
    if suffix == ".md":
        path.write_text(to_markdown(store), encoding="utf-8")
    elif suffix == ".docx":
        to_docx(store, path, template)
    else:
        raise ValueError(suffix)
