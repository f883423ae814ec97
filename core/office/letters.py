"""Written feedback (书面反馈): one letter per subject (the 评议情况汇总表 that goes
with them: `core.office.summary_book`).

Every figure comes from the tally exactly as `sanshu tally` reports it (the
office's `load_office_results`, built on `core.ballots.results.load_tally`); the
wording comes from a template in `data/letters/` that an office can edit
without code: `[段落名]` starts a paragraph, `{字段}` is filled in per subject.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from core.ballots.points import report
from core.ballots.tally import SubjectResult
from core.errors import StoreError
from core.i18n import language, t
from core.meeting.model import Meeting, Mode
from core.office.data import OfficeResults
from core.record.entries import QuestionState, Record

if TYPE_CHECKING:
    from docx.document import Document

SECTIONS = (
    "标题",
    "称呼",
    "开头",
    "标题-测评结果",
    "测评结果",
    "测评结果-无日常考核",
    "等次调整",
    "标题-等次分布",
    "等次分布",
    "标题-意见建议",
    "意见建议",
    "无意见建议",
    "标题-点评询问",
    "点评询问",
    "无点评询问",
    "标题-整改要求",
    "差等次",
    "整改要求",
    "落款",
)
FIELDS = (
    "述职对象",
    "单位",
    "述职方式",
    "会议名称",
    "会议日期",
    "年度",
    "组织单位",
    "发出票数",
    "收回票数",
    "有效票数",
    "应到人数",
    "参加率",
    "会议得分",
    "日常考核",
    "综合得分",
    "会议权重",
    "日常权重",
    "计算等次",
    "最终等次",
    "名次",
    "对象总数",
    "调整理由",
    "后续措施",
    "整改期限",
    "整改天数",
    "反馈日期",
)
MAX_TEMPLATE_BYTES = 200_000


class TemplateError(StoreError):
    """The letter template has a problem; the message names the file and the line."""


@dataclass(frozen=True)
class LetterTemplate:
    name: str
    sections: dict[str, str]

    def text(self, section: str, fields: dict[str, str]) -> str:
        return self.sections[section].format_map(fields)


def default_template_path() -> Path:
    name = "feedback.en.txt" if language() == "en" else "feedback.txt"
    return Path(str(files("sanshu_data") / "letters" / name))


def load_template(path: Path | None = None) -> LetterTemplate:
    """Read and check a template: every paragraph present, every field known."""
    path = path or default_template_path()
    try:
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(t("feedback.template_big", file=path.name))
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TemplateError(t("err.not_found", path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(t("feedback.template_unreadable", file=path.name, detail=exc)) from None
    return parse_template(text, path.name)


_SECTION = re.compile(r"^\[([^\]]+)\]\s*$")


def parse_template(text: str, name: str = "feedback.txt") -> LetterTemplate:
    sections: dict[str, list[str]] = {}
    where: dict[str, int] = {}
    current: str | None = None
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        match = _SECTION.match(line.strip())
        if match:
            current = match.group(1).strip()
            if current not in SECTIONS:
                problems.append(t("feedback.unknown_section", file=name, line=number, got=current))
            sections[current] = []
            where[current] = number
            continue
        if current is not None:
            sections[current].append(line)
    joined = {key: "\n".join(lines).strip() for key, lines in sections.items()}
    for section in SECTIONS:
        if section not in joined:
            problems.append(t("feedback.missing_section", file=name, section=section))
    for section, body in joined.items():
        try:
            for _, field, _, _ in string.Formatter().parse(body):
                if field is not None and field not in FIELDS:
                    problems.append(
                        t(
                            "feedback.unknown_field",
                            file=name,
                            line=where[section],
                            section=section,
                            got=field or "{}",
                        )
                    )
        except ValueError as exc:
            problems.append(
                t(
                    "feedback.bad_braces",
                    file=name,
                    line=where[section],
                    section=section,
                    detail=exc,
                )
            )
    if problems:
        raise TemplateError("\n".join(problems))
    return LetterTemplate(name, joined)


# ---------------------------------------------------------------------------
# What a letter says


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


def letter_fields(results: OfficeResults, result: SubjectResult) -> dict[str, str]:
    tally = results.tally
    meeting = tally.meeting
    digits = meeting.rules.digits
    subject = meeting.subject(result.name)
    expected = meeting.expected_voters
    combination = meeting.rules.combination
    flags = "、".join(result.flags) or t("feedback.default_followup")
    return {
        "述职对象": subject.name,
        "单位": subject.unit,
        "述职方式": (
            t("feedback.mode.onsite") if subject.mode == Mode.ONSITE else t("feedback.mode.written")
        ),
        "会议名称": meeting.title,
        "会议日期": _chinese(meeting.date),
        "年度": _year(meeting),
        "组织单位": meeting.organiser or meeting.title,
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
        "计算等次": result.computed_grade or "—",
        "最终等次": result.final_grade or "—",
        "名次": "—" if result.rank is None else str(result.rank),
        "对象总数": str(len(tally.subjects)),
        "调整理由": result.override_reason or "",
        "后续措施": flags,
        "整改期限": _chinese(deadline(meeting)),
        "整改天数": str(meeting.feedback.rectify_days),
        "反馈日期": _chinese(results.made_on),
    }


def _chinese(day: dt.date) -> str:
    from core.office.document import chinese_date

    return chinese_date(day)


def _year(meeting: Meeting) -> str:
    """The year under review: the title's “2023年度”, else the year before the meeting."""
    match = re.search(r"(\d{4})\s*年度", meeting.title)
    return f"{match.group(1)}年度" if match else f"{meeting.date.year - 1}年度"


def distribution_rows(meeting: Meeting, result: SubjectResult) -> tuple[list[str], list[list[str]]]:
    """Per criterion: each grade's count with its share of that criterion's ballots, and the
    criterion's weighted score, in separate columns (a share is not a score)."""
    labels = [g.label for g in meeting.grades] + ([meeting.abstain] if meeting.abstain else [])
    digits = meeting.rules.digits
    head = [t("feedback.col.criterion"), *labels, t("feedback.col.score")]
    rows = []
    for name, criterion in result.criteria.items():
        total = sum(criterion.counts.values())
        cells = [name]
        for label in labels:
            count = criterion.counts.get(label, 0)
            cells.append(f"{count}\n{percent_text(count, total)}")  # votes over their share
        cells.append(figure(criterion.score, digits))
        rows.append(cells)
    return head, rows


# ---------------------------------------------------------------------------
# The letter as a Word document


def build_letter(
    results: OfficeResults,
    result: SubjectResult,
    record: Record,
    template: LetterTemplate,
    comments: list[str],
) -> Document:
    from core.office import document as od

    meeting = results.tally.meeting
    fields = letter_fields(results, result)

    def say(section: str) -> str:
        return template.text(section, fields)

    doc = od.new_document()
    od.title(doc, say("标题"))
    od.paragraph(doc, say("称呼"), indent=False)
    od.paragraph(doc, say("开头"))

    number = 1
    od.heading(doc, say("标题-测评结果"), level=1, number=number)
    has_daily = result.daily_score is not None and "daily" in meeting.rules.combination
    od.paragraph(doc, say("测评结果" if has_daily else "测评结果-无日常考核"))
    if result.override_reason:
        od.paragraph(doc, say("等次调整"))

    number += 1
    od.heading(doc, say("标题-等次分布"), level=1, number=number)
    od.paragraph(doc, say("等次分布"))
    head, rows = distribution_rows(meeting, result)
    grade_width = (od.TEXT_WIDTH_MM - 44 - 18) / (len(head) - 2)
    od.table(
        doc,
        head,
        rows,
        [44, *[grade_width] * (len(head) - 2), 18],
        align=["left", *["center"] * (len(head) - 1)],
    )

    number += 1
    od.heading(doc, say("标题-意见建议"), level=1, number=number)
    if comments:
        od.paragraph(doc, say("意见建议"))
        for index, comment in enumerate(comments, 1):
            od.paragraph(doc, f"{index}. {comment}")
    else:
        od.paragraph(doc, say("无意见建议"))

    number += 1
    od.heading(doc, say("标题-点评询问"), level=1, number=number)
    remarks = record.commentary(result.name)
    questions = [q for q in record.questions(result.name) if q.state != QuestionState.WITHDRAWN]
    if remarks or questions:
        od.paragraph(doc, say("点评询问"))
        if remarks:
            od.heading(doc, t("feedback.commentary"), level=2, number=1)
            for entry in remarks:
                od.paragraph(doc, f"{entry.commenter}：{entry.text}")
        if questions:
            od.heading(doc, t("feedback.questions"), level=2, number=2 if remarks else 1)
            for index, question in enumerate(questions, 1):
                asker = f"{question.asker}：" if question.asker else ""
                od.paragraph(doc, t("feedback.question", n=index, asker=asker, text=question.text))
                answer = question.answer or t("feedback.no_answer")
                od.paragraph(doc, t("feedback.answer", text=answer))
    else:
        od.paragraph(doc, say("无点评询问"))

    number += 1
    od.heading(doc, say("标题-整改要求"), level=1, number=number)
    if needs_warning(meeting, result):
        od.paragraph(doc, say("差等次"), bold=True)
    od.paragraph(doc, say("整改要求"))
    od.signature(doc, say("落款"), fields["反馈日期"])
    return doc


def letter_name(position: int, subject: str) -> str:
    return f"{position:02d}-{subject}-" + t("feedback.file_suffix") + ".docx"


def write_letters(
    results: OfficeResults,
    record: Record,
    folder: Path,
    template: LetterTemplate,
    progress: Callable[[str], None] = lambda _name: None,
) -> list[Path]:
    """One letter per subject in the subjects' order; `progress` hears each name."""
    if results.tally.voided:
        raise StoreError(t("tally.voided"))
    folder.mkdir(parents=True, exist_ok=True)
    meeting = results.tally.meeting
    by_name = {r.name: r for r in results.tally.subjects}
    written = []
    for position, subject in enumerate((*meeting.onsite, *meeting.written), 1):
        result = by_name[subject.name]
        doc = build_letter(
            results, result, record, template, results.comments.get(subject.name, [])
        )
        path = folder / letter_name(position, subject.name)
        doc.save(str(path))
        written.append(path)
        progress(subject.name)
    return written
