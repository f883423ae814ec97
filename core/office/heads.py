"""What every paper carries besides its body: the meeting, who does what ([roles]),
and the parts of an official document ([documents]): 发文机关标志, 发文字号, 署名,
成文日期, 抄送, 印发机关 and 印发日期. Every template may use these fields."""

from __future__ import annotations

import datetime as dt
import re

from core.i18n import t
from core.meeting.model import DocumentSettings, Meeting
from core.office.document import chinese_date

_CLOSING = tuple("。！？；…）」』”")


def year_text(meeting: Meeting) -> str:
    """The year under review: the title's “2023年度”, else the year before the meeting."""
    match = re.search(r"(\d{4})\s*年度", meeting.title)
    return f"{match.group(1)}年度" if match else f"{meeting.date.year - 1}年度"


def sentence(text: str) -> str:
    """A reason or a list as the end of a sentence: with its closing 。"""
    text = text.strip()
    return text if not text or text.endswith(_CLOSING) else text + "。"


def convener(meeting: Meeting) -> str:
    return meeting.roles.convener or t("roles.convener")


def commenters(meeting: Meeting) -> str:
    return meeting.roles.commenters or t("roles.commenters")


def askers(meeting: Meeting) -> str:
    return meeting.roles.askers or t("roles.askers")


def reporter(meeting: Meeting) -> str:
    return meeting.roles.reporter or ""


def written_on(meeting: Meeting, made_on: dt.date) -> dt.date:
    """成文日期: the meeting file's, else the day the paper is written."""
    return meeting.documents.written_on or made_on


def tabled_on(meeting: Meeting) -> dt.date:
    """制表日期 of a table that belongs to the meeting (the 排名表): the 成文日期 the
    other papers carry, else the meeting's date, never the day it happens to be printed."""
    return meeting.documents.written_on or meeting.date


def document_number(documents: DocumentSettings, written: dt.date, n: int) -> str:
    """发文字号 from the pattern, e.g. 常办发〔{year}〕{n}号 → 常办发〔2024〕3号."""
    if not documents.number:
        return ""
    return documents.number.format(year=written.year, n=n)


def head_fields(meeting: Meeting, made_on: dt.date, number: int | None = None) -> dict[str, str]:
    """The fields every template may use; `number` is this document's {n} (None: no 字号)."""
    documents = meeting.documents
    organiser = meeting.organiser or meeting.title
    written = written_on(meeting, made_on)
    printed = documents.printed_on or written
    return {
        "会议名称": meeting.title,
        "会议日期": chinese_date(meeting.date),
        "会议地点": meeting.venue or "—",
        "组织单位": organiser,
        "年度": year_text(meeting),
        "主持人": meeting.host,
        "召集单位": convener(meeting),
        "点评人": commenters(meeting),
        "询问人": askers(meeting),
        "发文机关标志": documents.issuer or organiser,
        "发文字号": "" if number is None else document_number(documents, written, number),
        "署名": documents.signature or organiser,
        "成文日期": chinese_date(written),
        "抄送": sentence("，".join(documents.cc)),
        "印发机关": documents.printer or organiser,
        "印发日期": chinese_date(printed),
        "制表日期": chinese_date(tabled_on(meeting)),
    }


def atoms(meeting: Meeting) -> tuple[str, ...]:
    """Names a title never breaks inside."""
    names = [meeting.title, meeting.organiser, year_text(meeting)]
    for subject in meeting.subjects:
        names += [subject.name, subject.unit]
    return tuple(name for name in names if name)
