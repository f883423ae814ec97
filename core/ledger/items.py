"""The rectification ledger's items (整改台账) as plain data: the columns, their rules,
and dates as an office types them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.i18n import t


class ProblemSource(StrEnum):
    """Where a problem came from (问题来源)."""

    COMMENTARY = "点评"
    QUESTION = "询问"
    SCORING = "测评"
    SELF_CHECK = "自查"  # found by the subject itself


class Completion(StrEnum):
    """How far the rectification is (完成情况)."""

    IN_PROGRESS = "整改中"
    DONE = "已完成"
    ONGOING = "长期坚持"


class ItemStatus(StrEnum):
    """Which items a list shows: not closed, closed (销号), or past the deadline."""

    OPEN = "open"
    CLOSED = "closed"
    OVERDUE = "overdue"


SOURCES: tuple[ProblemSource, ...] = tuple(ProblemSource)

COMPLETIONS: tuple[Completion, ...] = tuple(Completion)

STATUSES: tuple[ItemStatus, ...] = tuple(ItemStatus)

MAX_TEXT = 2000  # characters in one cell: a paragraph, not a report

# The editable fields in the ledger's column order (DOMAIN.md), with their headings.
# 序号 and the subject are not edited: an item stays where it was created.
EDITABLE = (
    "source",
    "problem",
    "measure",
    "owner",
    "deadline",
    "progress",
    "completion",
    "evidence",
    "closed_on",
)

HEADINGS = {
    "seq": "序号",
    "subject": "述职对象",
    "source": "问题来源",
    "problem": "问题",
    "measure": "整改措施",
    "owner": "责任人",
    "deadline": "时限",
    "progress": "进展",
    "completion": "完成情况",
    "evidence": "佐证材料",
    "closed_on": "销号日期",
}


@dataclass(frozen=True)
class LedgerItem:
    id: int
    subject: str
    seq: int
    source: ProblemSource
    problem: str
    measure: str = ""
    owner: str = ""
    deadline: dt.date | None = None
    progress: str = ""
    completion: Completion = Completion.IN_PROGRESS
    evidence: str = ""
    closed_on: dt.date | None = None
    origin: str = ""  # "commentary:3" / "question:5" when drafted from the record
    carried_from: str = ""  # last year's meeting title when carried over
    answered_at: float | None = None  # marked answered in this year's meeting

    @property
    def closed(self) -> bool:
        return self.closed_on is not None

    def overdue(self, today: dt.date) -> bool:
        """Past its deadline and not closed (销号)."""
        return not self.closed and self.deadline is not None and self.deadline < today

    def value(self, name: str) -> str:
        """A field as text, as the workbook and the screen show it."""
        value = getattr(self, name)
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)


@dataclass(frozen=True)
class Draft:
    """A ledger item not yet stored: what the clerk's record suggests."""

    subject: str
    source: ProblemSource
    problem: str
    origin: str = ""
    measure: str = ""
    owner: str = ""


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def parse_date(value: Any) -> dt.date | None:
    """A date as an office types it: 2024-06-30, 2024/6/30, 2024.6.30, 2024年6月30日,
    or an Excel date cell. Empty is None; anything else raises ValueError."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if len(text) > 20:
        raise ValueError(text[:20])
    text = text.removesuffix(" 00:00:00")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return dt.date(*(int(part) for part in match.groups()))  # may raise ValueError
    raise ValueError(text)


def check_values(values: dict[str, Any]) -> list[tuple[str, str]]:
    """Problems with field values as (field, message); an empty list when all are fine."""
    problems: list[tuple[str, str]] = []
    for name, value in values.items():
        if name in ("deadline", "closed_on"):
            continue  # dates are parsed before they get here
        text = "" if value is None else str(value)
        if len(text) > MAX_TEXT:
            problems.append((name, t("ledger.too_long", max=MAX_TEXT, got=len(text))))
    if "source" in values and values["source"] not in SOURCES:
        problems.append(
            (
                "source",
                t("ledger.bad_choice", got=values["source"], choices=" / ".join(SOURCES)),
            )
        )
    if "completion" in values and values["completion"] not in COMPLETIONS:
        problems.append(
            (
                "completion",
                t("ledger.bad_choice", got=values["completion"], choices=" / ".join(COMPLETIONS)),
            )
        )
    if "problem" in values and not str(values["problem"] or "").strip():
        problems.append(("problem", t("ledger.problem_needed")))
    return problems


def stored_value(name: str, value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def shown_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
