"""The [documents], [roles] and [[attendees]] sections: what the office's papers carry
besides the results.

[documents]
issuer = "市人大常委会机关党组"           # 发文机关标志, the red head (default: organiser)
signature = "中共市人大常委会机关党组"      # 署名 (default: organiser)
date = 2024-02-05                       # 成文日期 (default: the day a paper is written)
printed = 2024-02-05                    # 印发日期 (default: the 成文日期)
number = "常机党发〔{year}〕{n}号"        # 发文字号; {year} of the 成文日期, {n} counts up
number_start = 1                        # {n} of the first feedback letter
cc = ["驻市人大机关纪检监察组"]            # 抄送 (a string or a list)
printer = "市人大常委会机关党委办公室"      # 印发机关 (default: organiser)
[documents.templates]                   # the office's own Word templates
letter = "红头模板/书面反馈.docx"          # relative to the meeting database's folder
[documents.bulletin]                    # the 通报 of the result
publish = "grades"                      # "scores" (score and grade) or "grades" (grade only)
order = "rank"                          # "rank" or "agenda" (the subjects' order)
number = 22                             # its {n} (default: the one after the letters)
addressee = "机关各部门、各党支部"          # 主送机关

[roles]                                 # who does what, as the papers say it
convener = "机关党组"                    # 根据机关党组安排；经机关党组研究确定
reporter = "主要负责同志"                 # 法工委主要负责同志现场述职 (default: the name alone)
commenters = "党组成员"                  # 党组成员点评
askers = "纪检监察人员"                   # 纪检监察人员询问

[[attendees]]                           # who should attend: the sign-in sheet, the minutes
group = "党组成员"
names = ["张明远", "李清"]
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from core.i18n import t
from core.meeting.file.fields import FieldReader, _join
from core.meeting.file.values import _shown
from core.meeting.model import (
    BULLETIN_ORDERS,
    DOCUMENT_KINDS,
    PUBLISH_CHOICES,
    AttendeeGroup,
    BulletinOrder,
    BulletinRules,
    DocumentSettings,
    Publish,
    Roles,
)

MAX_TEXT = 200  # characters of a name, a 署名, a 抄送 line
MAX_ATTENDEES = 10_000
MAX_NUMBER = 100_000  # a document's {n}
NUMBER_FIELDS = ("year", "n")
TEMPLATE_SUFFIX = ".docx"


class DocumentsReader(FieldReader):
    def documents(self, value: Any) -> DocumentSettings:
        path = "documents"
        table = self.table(
            value,
            path,
            (
                "issuer",
                "signature",
                "date",
                "printed",
                "number",
                "number_start",
                "cc",
                "printer",
                "templates",
                "bulletin",
            ),
        )
        number = self._plain_text(table, path, "number")
        if number:
            self._check_number_pattern(number, _join(path, "number"))
        start = self._positive(table, path, "number_start", 1)
        return DocumentSettings(
            issuer=self._plain_text(table, path, "issuer"),
            signature=self._plain_text(table, path, "signature"),
            written_on=self._optional_date(table, path, "date"),
            printed_on=self._optional_date(table, path, "printed"),
            number=number,
            number_start=start if start is not None else 1,
            cc=self._name_list(table, path, "cc"),
            printer=self._plain_text(table, path, "printer"),
            templates=self._templates(table.get("templates", {})),
            bulletin=self._bulletin(table.get("bulletin", {})),
        )

    def roles(self, value: Any) -> Roles:
        path = "roles"
        table = self.table(value, path, ("convener", "reporter", "commenters", "askers"))
        found = {key: self._plain_text(table, path, key) or None for key in table}
        return Roles(
            convener=found.get("convener"),
            reporter=found.get("reporter"),
            commenters=found.get("commenters"),
            askers=found.get("askers"),
        )

    def attendees(self, top: dict[str, Any]) -> tuple[AttendeeGroup, ...]:
        groups: list[AttendeeGroup] = []
        everyone: list[str] = []
        where: list[str] = []
        for i, item in enumerate(self.items(top, "attendees", required=False), 1):
            path = f"attendees[{i}]"
            entry = self.table(item, path, ("group", "names"))
            name = self._plain_text(entry, path, "group", required=True)
            people = self.strings(entry, path, "names", required=True)
            for position, person in enumerate(people, 1):
                if len(person) > MAX_TEXT:
                    problem = t("err.text_too_long", limit=MAX_TEXT, got=len(person))
                    self.fail(f"{_join(path, 'names')}[{position}]", problem)
                everyone.append(person)
                where.append(f"{_join(path, 'names')}[{position}]")
            if name:
                groups.append(AttendeeGroup(name, tuple(people)))
        self.unique([g.name for g in groups], "attendees", ".group")
        seen: dict[str, str] = {}
        for person, place in zip(everyone, where, strict=True):
            if person in seen:
                self.fail(place, t("err.attendee_twice", name=person, other=seen[person]))
            else:
                seen[person] = place
        if len(everyone) > MAX_ATTENDEES:
            self.fail("attendees", t("err.too_many_attendees", limit=MAX_ATTENDEES))
        return tuple(groups)

    # -- the parts ------------------------------------------------------------------

    def _templates(self, value: Any) -> dict[str, str]:
        path = "documents.templates"
        table = self.table(value, path, DOCUMENT_KINDS)
        out: dict[str, str] = {}
        for kind in DOCUMENT_KINDS:
            if kind not in table:
                continue
            text = self._plain_text(table, path, kind)
            if text and not text.lower().endswith(TEMPLATE_SUFFIX):
                self.fail(_join(path, kind), t("err.template_suffix", got=_shown(text)))
            elif text:
                out[kind] = text
        return out

    def _bulletin(self, value: Any) -> BulletinRules:
        path = "documents.bulletin"
        table = self.table(value, path, ("publish", "order", "number", "addressee"))
        publish = self.choice(table, path, "publish", PUBLISH_CHOICES, Publish.SCORES)
        order = self.choice(table, path, "order", BULLETIN_ORDERS, BulletinOrder.RANK)
        return BulletinRules(
            publish=publish,
            order=order,
            number=self._positive(table, path, "number", None),
            addressee=self._plain_text(table, path, "addressee"),
        )

    def _plain_text(
        self, table: dict[str, Any], path: str, key: str, required: bool = False
    ) -> str:
        value = (
            self.field(table, path, key, str)
            if required
            else self.field(table, path, key, str, None)
        )
        if value is None:
            return ""
        if len(value) > MAX_TEXT:
            self.fail(_join(path, key), t("err.text_too_long", limit=MAX_TEXT, got=len(value)))
            return ""
        return value.strip()

    def _name_list(self, table: dict[str, Any], path: str, key: str) -> tuple[str, ...]:
        """A string, or a list of strings (抄送 to several)."""
        if isinstance(table.get(key), str):
            text = self._plain_text(table, path, key)
            return (text,) if text else ()
        names = self.strings(table, path, key, required=False)
        for position, name in enumerate(names, 1):
            if len(name) > MAX_TEXT:
                problem = t("err.text_too_long", limit=MAX_TEXT, got=len(name))
                self.fail(f"{_join(path, key)}[{position}]", problem)
        return tuple(names)

    def _positive(
        self, table: dict[str, Any], path: str, key: str, default: int | None
    ) -> int | None:
        value = self.count(table, path, key, "号", default)  # 1, or as a clerk writes it: "1号"
        if value is not None and not 1 <= value <= MAX_NUMBER:
            self.fail(_join(path, key), t("err.number_range", low=1, high=MAX_NUMBER, got=value))
            return default
        return value

    def _optional_date(self, table: dict[str, Any], path: str, key: str) -> dt.date | None:
        return self.date(table, path, key) if key in table else None

    def _check_number_pattern(self, pattern: str, where: str) -> None:
        try:
            fields = [
                name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None
            ]
        except ValueError:
            self.fail(where, t("err.number_pattern", got=_shown(pattern)))
            return
        for name in fields:
            if name not in NUMBER_FIELDS:
                self.fail(where, t("err.number_field", got="{" + name + "}"))
