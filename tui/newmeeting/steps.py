"""What the meeting form asks, step by step: each field's place in the meeting file,
its label and how what is typed becomes the file's value.

The form checks nothing itself: every value goes into the file's text and the
meeting-file reader (what `sanshu check` runs) says what is wrong, with its words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.i18n import t
from core.meeting.file.document import (
    Path,
    typed_count,
    typed_date,
    typed_duration,
    typed_number,
)
from core.meeting.file.people import VOTER_UNITS
from core.meeting.model import MODE_SPELLINGS, TIMED_PHASES


@dataclass(frozen=True)
class Field:
    """One value: its path in the file, its label, its kind (how typing becomes the
    file's value, `typed`), and what the reader assumes when the file leaves it out."""

    path: Path
    label: Callable[[], str]
    kind: str = "text"
    default: Any = None
    width: int = 0  # in a row: the column's width (0: the rest)
    choices: tuple[tuple[Callable[[], str], str], ...] = ()  # a Select's (label, value)
    optional: bool = False  # an empty box takes the key out of the file

    def __post_init__(self) -> None:
        if self.kind in ("optional", "share", "strings"):
            object.__setattr__(self, "optional", True)


@dataclass(frozen=True)
class Rows:
    """An array of tables (or of strings, `key` None) edited as rows."""

    path: Path
    columns: tuple[Field, ...]  # each Field's path is its key in the row
    new_row: Callable[[int], dict[str, Any]]  # the values of a row added at position n
    title: Callable[[], str]


@dataclass(frozen=True)
class Step:
    id: str
    title: Callable[[], str]
    prefixes: tuple[str, ...]  # the problems of this step: paths starting with these
    parts: tuple[Field | Rows | str, ...]  # str: a special part the form draws


def typed(kind: str, text: str) -> Any:
    """What the file holds for `text` typed in a box of this kind (None: the key goes).
    Whatever cannot be read is kept as typed, for the reader to name the mistake."""
    if kind == "text":
        return text
    if kind == "optional":
        return text.strip() or None
    if kind == "date":
        return typed_date(text)
    if kind in ("number", "share"):
        return typed_number(text)
    if kind == "voters":
        return typed_count(text, VOTER_UNITS)
    if kind == "integer":
        return typed_count(text, "")
    if kind == "duration":
        return typed_duration(text)
    if kind == "mode":  # 现场 / 书面 (the file stores onsite / written)
        found = MODE_SPELLINGS.get(text.strip()) or text.strip()
        return str(found) if found else None
    if kind == "strings":
        parts = [p.strip() for p in text.replace("，", "、").replace(",", "、").split("、")]
        return [p for p in parts if p] or None
    raise ValueError(kind)


BLANKS = ((lambda: t("new.blank.abstain"), "abstain"), (lambda: t("new.blank.invalid"), "invalid"))
METHODS = (
    (lambda: t("new.method.weighted"), "weighted"),
    (lambda: t("new.method.committee"), "committee"),
)
LAYOUTS = (
    (lambda: t("new.layout.per_criterion"), "per_criterion"),
    (lambda: t("new.layout.overall"), "overall"),
    (lambda: t("new.layout.per_criterion_and_overall"), "per_criterion_and_overall"),
    (lambda: t("new.layout.numeric"), "numeric"),
)

# Grade scales a meeting usually uses: (name, [(label, points)], abstain, bands).
PRESETS: dict[str, tuple[Callable[[], str], list[tuple[str, int]], str, list[int]]] = {
    "four": (
        lambda: t("new.preset.four"),
        [("好", 100), ("较好", 80), ("一般", 60), ("差", 40)],
        "不了解",
        [90, 80, 60, 0],
    ),
    "three": (
        lambda: t("new.preset.three"),
        [("满意", 100), ("基本满意", 70), ("不满意", 40)],
        "不了解",
        [85, 60, 0],
    ),
}

PHASE_LABELS = {
    "report": lambda: t("new.phase.report"),
    "commentary": lambda: t("new.phase.commentary"),
    "questions": lambda: t("new.phase.questions"),
    "scoring": lambda: t("new.phase.scoring"),
}


def _phase_fields() -> tuple[Field, ...]:
    out: list[Field] = []
    for phase in TIMED_PHASES:
        base = ("phases", str(phase))
        out += [
            Field((*base, "duration"), PHASE_LABELS[phase], "duration"),
            Field((*base, "warning"), lambda: t("new.phase.warning"), "duration", "1:00"),
            Field((*base, "danger"), lambda: t("new.phase.danger"), "duration", "0:00"),
            Field((*base, "auto_start"), lambda: t("new.phase.auto_start"), "bool", True),
        ]
    return tuple(out)


STEPS: tuple[Step, ...] = (
    Step(
        "meeting",
        lambda: t("new.step.meeting"),
        ("meeting",),
        (
            Field(("meeting", "title"), lambda: t("new.meeting.title")),
            Field(("meeting", "date"), lambda: t("new.meeting.date"), "date"),
            Field(("meeting", "venue"), lambda: t("new.meeting.venue"), "optional"),
            Field(("meeting", "organiser"), lambda: t("new.meeting.organiser"), "optional"),
            Field(("meeting", "host"), lambda: t("new.meeting.host"), "optional"),
            Field(("meeting", "recorder"), lambda: t("new.meeting.recorder"), "optional"),
            Field(("meeting", "quorum"), lambda: t("new.meeting.quorum"), "share"),
        ),
    ),
    Step(
        "grades",
        lambda: t("new.step.grades"),
        ("grades",),
        (
            "preset",
            Rows(
                ("grades", "scale"),
                (
                    Field(("label",), lambda: t("new.grade.label"), "text", width=16),
                    Field(("points",), lambda: t("new.grade.points"), "number", width=10),
                ),
                lambda n: {"label": f"等次{n + 1}", "points": 0},
                lambda: t("new.grades.scale"),
            ),
            Field(("grades", "abstain"), lambda: t("new.grades.abstain"), "optional"),
        ),
    ),
    Step(
        "criteria",
        lambda: t("new.step.criteria"),
        ("criteria",),
        (
            Rows(
                ("criteria",),
                (Field((), lambda: t("new.criterion"), "text"),),
                lambda n: {"": f"测评项目{n + 1}"},
                lambda: t("new.criteria.title"),
            ),
        ),
    ),
    Step(
        "categories",
        lambda: t("new.step.categories"),
        ("categories",),
        (
            Rows(
                ("categories",),
                (
                    Field(("name",), lambda: t("new.category.name"), "text", width=20),
                    Field(("weight",), lambda: t("new.category.weight"), "number", width=10),
                    Field(("expected",), lambda: t("new.category.expected"), "voters", width=10),
                ),
                lambda n: {"name": f"类别{n + 1}", "weight": 0, "expected": 1},
                lambda: t("new.categories.title"),
            ),
            "weight_sum",
        ),
    ),
    Step(
        "subjects",
        lambda: t("new.step.subjects"),
        ("subjects",),
        (
            "roster",
            Rows(
                ("subjects",),
                (
                    Field(("name",), lambda: t("new.subject.name"), "text", width=12),
                    Field(("unit",), lambda: t("new.subject.unit"), "optional"),
                    Field(("mode",), lambda: t("new.subject.mode"), "mode", width=8),
                    Field(
                        ("order",),
                        lambda: t("new.subject.order"),
                        "integer",
                        width=6,
                        optional=True,
                    ),
                    Field(
                        ("daily",), lambda: t("new.subject.daily"), "number", width=8, optional=True
                    ),
                ),
                lambda n: {"name": f"述职对象{n + 1}", "mode": "written"},
                lambda: t("new.subjects.title"),
            ),
        ),
    ),
    Step("phases", lambda: t("new.step.phases"), ("phases",), _phase_fields()),
    Step(
        "rules",
        lambda: t("new.step.rules"),
        ("scoring", "poll"),
        (
            Field(
                ("scoring", "layout"),
                lambda: t("new.rules.layout"),
                "choice",
                "per_criterion",
                choices=LAYOUTS,
            ),
            Field(
                ("scoring", "average_within_category"),
                lambda: t("new.rules.average"),
                "bool",
                True,
            ),
            Field(
                ("scoring", "digits"), lambda: t("new.rules.digits"), "integer", 2, optional=True
            ),
            Field(
                ("scoring", "validity", "all_same_invalid"),
                lambda: t("new.rules.all_same"),
                "bool",
                False,
            ),
            Field(
                ("scoring", "validity", "top_grade_quota"),
                lambda: t("new.rules.quota"),
                "share",
            ),
            Field(
                ("scoring", "validity", "blank"),
                lambda: t("new.rules.blank"),
                "choice",
                "abstain",
                choices=BLANKS,
            ),
            Field(
                ("scoring", "validity", "over_return_voids"),
                lambda: t("new.rules.over_return"),
                "bool",
                True,
            ),
            Field(
                ("scoring", "combination", "method"),
                lambda: t("new.rules.method"),
                "choice",
                "weighted",
                choices=METHODS,
            ),
            Field(
                ("scoring", "combination", "weights", "meeting"),
                lambda: t("new.rules.meeting_weight"),
                "number",
                1,
            ),
            Field(
                ("scoring", "combination", "weights", "daily"),
                lambda: t("new.rules.daily_weight"),
                "number",
                optional=True,
            ),
            Rows(
                ("scoring", "bands"),
                (
                    Field(("min",), lambda: t("new.band.min"), "number", width=10),
                    Field(("grade",), lambda: t("new.band.grade"), "text", width=14),
                ),
                lambda n: {"min": 0, "grade": "差"},
                lambda: t("new.rules.bands"),
            ),
            Rows(
                ("scoring", "share_rules"),
                (
                    Field(("grades",), lambda: t("new.share.grades"), "strings", width=12),
                    Field(("above",), lambda: t("new.share.above"), "share", width=8),
                    Field(("grade",), lambda: t("new.share.grade"), "optional", width=8),
                    Field(("flag",), lambda: t("new.share.flag"), "optional"),
                ),
                lambda n: {"grades": ["差"], "above": "1/3", "grade": "差"},
                lambda: t("new.rules.share_rules"),
            ),
            Rows(
                ("scoring", "alerts"),
                (
                    Field(("grade",), lambda: t("new.alert.grade"), "optional", width=10),
                    Field(
                        ("score_below",),
                        lambda: t("new.alert.below"),
                        "number",
                        width=10,
                        optional=True,
                    ),
                    Field(("flag",), lambda: t("new.alert.flag"), "text"),
                ),
                lambda n: {"grade": "差", "flag": "约谈提醒、限期整改"},
                lambda: t("new.rules.alerts"),
            ),
            Field(("poll", "allow_revision"), lambda: t("new.rules.revision"), "bool", False),
            Field(
                ("poll", "hide_results_until_close"),
                lambda: t("new.rules.hide_results"),
                "bool",
                True,
            ),
        ),
    ),
)


def step_of(problem_path: str) -> str:
    """The step whose page shows a problem ("other": a part of the file the form
    does not edit)."""
    head = problem_path.split(".", 1)[0].split("[", 1)[0].split("(", 1)[0]
    for step in STEPS:
        if head in step.prefixes:
            return step.id
    return "other"
