"""The [reports] and [feedback] sections: the office's rules before and after the meeting.

[reports]
min_chars = 1000                 # 字数 in Chinese characters
max_chars = 5000
[[reports.sections]]
heading = "述职"                 # or a list: ["存在问题", "存在的问题"]
min_share = 0.2                  # of the report's characters
max_share = "1/2"

[feedback]
rectify_days = 90                # 差: 限期整改 within this many days of the meeting
"""

from __future__ import annotations

from typing import Any

from core.i18n import t
from core.meeting.file.fields import FieldReader, _join
from core.meeting.file.values import _shown
from core.meeting.model import FeedbackRules, ReportRules, ReportSection

MAX_CHARS = 1_000_000
MAX_DAYS = 3660


class ReportsReader(FieldReader):
    def report_rules(self, value: Any) -> ReportRules:
        path = "reports"
        table = self.table(value, path, ("min_chars", "max_chars", "sections"))
        low = self._count(table, path, "min_chars")
        high = self._count(table, path, "max_chars")
        if low is not None and high is not None and low > high:
            self.fail(_join(path, "min_chars"), t("err.report_chars_order", low=low, high=high))
        sections: list[ReportSection] = []
        for i, item in enumerate(self._list(table, path, "sections"), 1):
            where = f"{path}.sections[{i}]"
            entry = self.table(item, where, ("heading", "min_share", "max_share"))
            headings = self._headings(entry, where)
            low_share = self.share(entry, where, "min_share")
            high_share = self.share(entry, where, "max_share")
            if low_share is not None and high_share is not None and low_share > high_share:
                self.fail(_join(where, "min_share"), t("err.report_share_order"))
            if headings:
                sections.append(ReportSection(tuple(headings), low_share, high_share))
        self.unique([s.name for s in sections], f"{path}.sections", ".heading")
        return ReportRules(low, high, tuple(sections))

    def _list(self, table: dict[str, Any], path: str, key: str) -> list[Any]:
        value = table.get(key, [])
        if not isinstance(value, list):
            self.fail(_join(path, key), t("err.type", expected=t("type.array"), got=_shown(value)))
            return []
        return value

    def _count(self, table: dict[str, Any], path: str, key: str) -> int | None:
        value = self.count(table, path, key, "字", None)
        if value is not None and not 0 <= value <= MAX_CHARS:
            self.fail(_join(path, key), t("err.number_range", low=0, high=MAX_CHARS, got=value))
            return None
        return value

    def _headings(self, entry: dict[str, Any], where: str) -> list[str]:
        value = entry.get("heading")
        if isinstance(value, str) and value.strip():
            return [value.strip()]
        if (
            isinstance(value, list)
            and value
            and all(isinstance(v, str) and v.strip() for v in value)
        ):
            return [v.strip() for v in value]
        if "heading" not in entry:
            self.missing(_join(where, "heading"))
        else:
            self.fail(
                _join(where, "heading"),
                t("err.type", expected=t("type.string"), got=_shown(value)),
            )
        return []

    def feedback_rules(self, value: Any) -> FeedbackRules:
        path = "feedback"
        table = self.table(value, path, ("rectify_days",))
        days = self.count(table, path, "rectify_days", "天日", 90)
        if days is not None and not 1 <= days <= MAX_DAYS:
            self.fail(
                _join(path, "rectify_days"), t("err.number_range", low=1, high=MAX_DAYS, got=days)
            )
            days = 90
        return FeedbackRules(rectify_days=days if days is not None else 90)
