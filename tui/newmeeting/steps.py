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


def _text(key: str) -> Callable[[], str]:
    return lambda: t(key)


BLANKS = ((_text("new.blank.abstain"), "abstain"), (_text("new.blank.invalid"), "invalid"))
METHODS = (
    (_text("new.method.weighted"), "weighted"),
    (_text("new.method.committee"), "committee"),
)
LAYOUTS = (
    (_text("new.layout.per_criterion"), "per_criterion"),
    (_text("new.layout.overall"), "overall"),
    (_text("new.layout.per_criterion_and_overall"), "per_criterion_and_overall"),
    (_text("new.layout.numeric"), "numeric"),
)

# Grade scales a meeting usually uses: (name, [(label, points)], abstain, bands).
PRESETS: dict[str, tuple[Callable[[], str], list[tuple[str, int]], str, list[int]]] = {
    "four": (
        _text("new.preset.four"),
        [("好", 100), ("较好", 80), ("一般", 60), ("差", 40)],
        "不了解",
        [90, 80, 60, 0],
    ),
    "three": (
        _text("new.preset.three"),
        [("满意", 100), ("基本满意", 70), ("不满意", 40)],
        "不了解",
        [85, 60, 0],
    ),
}

PHASE_LABELS = {
    "report": _text("new.phase.report"),
    "commentary": _text("new.phase.commentary"),
    "questions": _text("new.phase.questions"),
    "scoring": _text("new.phase.scoring"),
}


def _phase_fields() -> tuple[Field, ...]:
    out: list[Field] = []
    for phase in TIMED_PHASES:
        base = ("phases", str(phase))
        out += [
            Field((*base, "duration"), PHASE_LABELS[phase], "duration"),
            Field((*base, "warning"), _text("new.phase.warning"), "duration", "1:00"),
            Field((*base, "danger"), _text("new.phase.danger"), "duration", "0:00"),
            Field((*base, "auto_start"), _text("new.phase.auto_start"), "bool", True),
        ]
    return tuple(out)


STEPS: tuple[Step, ...] = (
    Step(
        "meeting",
        _text("new.step.meeting"),
        ("meeting",),
        (
            Field(("meeting", "title"), _text("new.meeting.title")),
            Field(("meeting", "date"), _text("new.meeting.date"), "date"),
            Field(("meeting", "venue"), _text("new.meeting.venue"), "optional"),
            Field(("meeting", "organiser"), _text("new.meeting.organiser"), "optional"),
            Field(("meeting", "host"), _text("new.meeting.host"), "optional"),
            Field(("meeting", "recorder"), _text("new.meeting.recorder"), "optional"),
            Field(("meeting", "quorum"), _text("new.meeting.quorum"), "share"),
        ),
    ),
    Step(
        "grades",
        _text("new.step.grades"),
        ("grades",),
        (
            "preset",
            Rows(
                ("grades", "scale"),
                (
                    Field(("label",), _text("new.grade.label"), "text", width=16),
                    Field(("points",), _text("new.grade.points"), "number", width=10),
                ),
                lambda n: {"label": f"等次{n + 1}", "points": 0},
                _text("new.grades.scale"),
            ),
            Field(("grades", "abstain"), _text("new.grades.abstain"), "optional"),
        ),
    ),
    Step(
        "criteria",
        _text("new.step.criteria"),
        ("criteria",),
        (
            Rows(
                ("criteria",),
                (Field((), _text("new.criterion"), "text"),),
                lambda n: {"": f"测评项目{n + 1}"},
                _text("new.criteria.title"),
            ),
        ),
    ),
    Step(
        "categories",
        _text("new.step.categories"),
        ("categories",),
        (
            Rows(
                ("categories",),
                (
                    Field(("name",), _text("new.category.name"), "text", width=20),
                    Field(("weight",), _text("new.category.weight"), "number", width=10),
                    Field(("expected",), _text("new.category.expected"), "voters", width=10),
                ),
                lambda n: {"name": f"类别{n + 1}", "weight": 0, "expected": 1},
                _text("new.categories.title"),
            ),
            "weight_sum",
        ),
    ),
    Step(
        "subjects",
        _text("new.step.subjects"),
        ("subjects",),
        (
            "roster",
            Rows(
                ("subjects",),
                (
                    Field(("name",), _text("new.subject.name"), "text", width=14),
                    Field(("unit",), _text("new.subject.unit"), "optional", width=20),
                    Field(("mode",), _text("new.subject.mode"), "mode", width=10),
                    Field(
                        ("order",), _text("new.subject.order"), "integer", width=6, optional=True
                    ),
                    Field(("daily",), _text("new.subject.daily"), "number", width=8, optional=True),
                ),
                lambda n: {"name": f"述职对象{n + 1}", "mode": "written"},
                _text("new.subjects.title"),
            ),
        ),
    ),
    Step("phases", _text("new.step.phases"), ("phases",), _phase_fields()),
    Step(
        "rules",
        _text("new.step.rules"),
        ("scoring", "poll"),
        (
            Field(
                ("scoring", "layout"),
                _text("new.rules.layout"),
                "choice",
                "per_criterion",
                choices=LAYOUTS,
            ),
            Field(
                ("scoring", "average_within_category"),
                _text("new.rules.average"),
                "bool",
                True,
            ),
            Field(("scoring", "digits"), _text("new.rules.digits"), "integer", 2, optional=True),
            Field(
                ("scoring", "validity", "all_same_invalid"),
                _text("new.rules.all_same"),
                "bool",
                False,
            ),
            Field(
                ("scoring", "validity", "top_grade_quota"),
                _text("new.rules.quota"),
                "share",
            ),
            Field(
                ("scoring", "validity", "blank"),
                _text("new.rules.blank"),
                "choice",
                "abstain",
                choices=BLANKS,
            ),
            Field(
                ("scoring", "validity", "over_return_voids"),
                _text("new.rules.over_return"),
                "bool",
                True,
            ),
            Field(
                ("scoring", "combination", "method"),
                _text("new.rules.method"),
                "choice",
                "weighted",
                choices=METHODS,
            ),
            Field(
                ("scoring", "combination", "weights", "meeting"),
                _text("new.rules.meeting_weight"),
                "number",
                1,
            ),
            Field(
                ("scoring", "combination", "weights", "daily"),
                _text("new.rules.daily_weight"),
                "number",
                optional=True,
            ),
            Rows(
                ("scoring", "bands"),
                (
                    Field(("min",), _text("new.band.min"), "number", width=10),
                    Field(("grade",), _text("new.band.grade"), "text", width=14),
                ),
                lambda n: {"min": 0, "grade": "差"},
                _text("new.rules.bands"),
            ),
            Rows(
                ("scoring", "share_rules"),
                (
                    Field(("grades",), _text("new.share.grades"), "strings", width=12),
                    Field(("above",), _text("new.share.above"), "share", width=8),
                    Field(("grade",), _text("new.share.grade"), "optional", width=8),
                    Field(("flag",), _text("new.share.flag"), "optional"),
                ),
                lambda n: {"grades": ["差"], "above": "1/3", "grade": "差"},
                _text("new.rules.share_rules"),
            ),
            Rows(
                ("scoring", "alerts"),
                (
                    Field(("grade",), _text("new.alert.grade"), "optional", width=10),
                    Field(
                        ("score_below",),
                        _text("new.alert.below"),
                        "number",
                        width=10,
                        optional=True,
                    ),
                    Field(("flag",), _text("new.alert.flag"), "text"),
                ),
                lambda n: {"grade": "差", "flag": "约谈提醒、限期整改"},
                _text("new.rules.alerts"),
            ),
            Field(("poll", "allow_revision"), _text("new.rules.revision"), "bool", False),
            Field(
                ("poll", "hide_results_until_close"),
                _text("new.rules.hide_results"),
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
