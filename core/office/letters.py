"""Written feedback (书面反馈): one letter per subject, from the letter template (the
评议情况汇总表 that goes with them: `core.office.summary_book`).

Every figure comes from the tally exactly as `sanshu tally` reports it (the
office's `load_office_results`, built on `core.ballots.results.load_tally`); the
wording, the 版头 and the 版记 are the template's (`data/templates/letter.docx`, or
the office's own: `[documents.templates] letter`). The fields a letter template
can use are listed in docs/templates.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

from core.ballots.items import choice_labels
from core.ballots.points import report
from core.ballots.tally import SubjectResult
from core.errors import StoreError
from core.i18n import t
from core.meeting.model import Meeting, Mode
from core.office import templates
from core.office.data import OfficeResults
from core.office.document import chinese_date
from core.office.heads import atoms, head_fields, sentence
from core.office.minutes import answer_text, asked_at_meeting
from core.record.entries import Record


def figure(value: Fraction | None, digits: int) -> str:
    """A reported figure, exactly as the tally reports it (rounded half up)."""
    shown = report(value, digits)
    return "—" if shown is None else str(shown)


def percent_text(part: int, whole: int) -> str:
    if not whole:
        return "—"
    return f"{report(Fraction(part * 100, whole), 1)}%"


def _weight_text(weight: Fraction | None) -> str:
    return "—" if weight is None else f"{report(weight * 100, 0)}%"


def deadline(meeting: Meeting) -> dt.date:
    """限期整改: the meeting file's days, counted from the meeting's date."""
    return meeting.date + dt.timedelta(days=meeting.feedback.rectify_days)


def needs_warning(meeting: Meeting, result: SubjectResult) -> bool:
    """A final grade of the lowest level (差), or a follow-up flag from the rules."""
    lowest = meeting.grades[-1].label if meeting.grades else None
    return result.final_grade == lowest or bool(result.flags)


def distribution_rows(meeting: Meeting, result: SubjectResult) -> list[dict[str, Any]]:
    """Per criterion: each grade's count over its share of that criterion's ballots, and
    the criterion's weighted score (a share is not a score)."""
    labels = choice_labels(meeting)
    digits = meeting.rules.digits
    rows = []
    for name, criterion in result.criteria.items():
        total = sum(criterion.counts.values())
        counts = [criterion.counts.get(label, 0) for label in labels]
        cells = [f"{count}\n{percent_text(count, total)}" for count in counts]
        rows.append({"测评项目": name, "票数": cells, "得分": figure(criterion.score, digits)})
    return rows


def letter_context(
    results: OfficeResults,
    result: SubjectResult,
    record: Record,
    comments: list[str],
    position: int,
) -> dict[str, Any]:
    """Every field of one subject's letter (docs/templates.md)."""
    tally = results.tally
    meeting = tally.meeting
    digits = meeting.rules.digits
    subject = meeting.subject(result.name)
    expected = meeting.expected_voters
    combination = meeting.rules.combination
    documents = meeting.documents
    # Only what was asked at the meeting, answered as the minutes say (会上未答复 when not).
    questions = [q for q in record.questions(result.name) if asked_at_meeting(q)]
    context: dict[str, Any] = head_fields(
        meeting, results.made_on, documents.number_start + position - 1
    )
    context.update(
        {
            "述职对象": subject.name,
            "单位": subject.unit,
            "述职方式": (
                t("feedback.mode.onsite")
                if subject.mode == Mode.ONSITE
                else t("feedback.mode.written")
            ),
            "现场述职": subject.mode == Mode.ONSITE,
            "发出票数": str(tally.ballots.issued),
            "收回票数": str(tally.ballots.returned),
            "有效票数": str(tally.ballots.valid),
            "应到人数": str(expected),
            "参加率": percent_text(tally.ballots.returned, expected),
            "会议得分": figure(result.meeting_score, digits),
            "日常考核": figure(result.daily_score, digits),
            "综合得分": figure(result.final_score, digits),
            "会议权重": _weight_text(combination.get("meeting")),
            "日常权重": _weight_text(combination.get("daily")),
            "有日常考核": result.daily_score is not None and "daily" in combination,
            "计算等次": result.computed_grade or "—",
            "最终等次": result.final_grade or "—",
            "名次": "—" if result.rank is None else str(result.rank),
            templates.FINGERPRINT_FIELD: results.fingerprint,
            "对象总数": str(len(tally.subjects)),
            "调整理由": sentence(result.override_reason or ""),
            "需约谈": needs_warning(meeting, result),
            "后续措施": "、".join(result.flags) or t("feedback.default_followup"),
            "整改期限": chinese_date(deadline(meeting)),
            "整改天数": str(meeting.feedback.rectify_days),
            "等次": list(choice_labels(meeting)),
            "等次分布": distribution_rows(meeting, result),
            "意见建议": comments,
            "点评": [
                {"点评人": entry.commenter, "内容": entry.text}
                for entry in record.commentary(result.name)
            ],
            "询问": [
                {
                    "询问人": question.asker,
                    "问题": question.text,
                    "答复": answer_text(question),
                }
                for question in questions
            ],
        }
    )
    return context


def letter_name(position: int, subject: str) -> str:
    return f"{position:02d}-{subject}-" + t("feedback.file_suffix") + ".docx"


def write_letters(
    results: OfficeResults,
    record: Record,
    folder: Path,
    template: templates.Template,
    progress: Callable[[str], None] = lambda _name: None,
) -> list[Path]:
    """One letter per subject in the subjects' order; `progress` hears each name. A
    template that cannot be filled is refused before any letter is written."""
    if results.tally.voided:
        raise StoreError(t("tally.voided"))
    meeting = results.tally.meeting
    by_name = {r.name: r for r in results.tally.subjects}
    order = (*meeting.onsite, *meeting.written)
    contexts = [
        letter_context(results, by_name[s.name], record, results.comments.get(s.name, []), position)
        for position, s in enumerate(order, 1)
    ]
    if contexts:
        templates.check(template, contexts[0])
    folder.mkdir(parents=True, exist_ok=True)
    names = atoms(meeting)
    written = []
    for position, (subject, context) in enumerate(zip(order, contexts, strict=True), 1):
        path = folder / letter_name(position, subject.name)
        templates.write(template, context, path, names)
        written.append(path)
        progress(subject.name)
    return written
