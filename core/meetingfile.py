"""Load and validate a meeting file (TOML) into a `Meeting`.

Validation collects every problem instead of stopping at the first, so an
organiser fixes a file in one pass. Each problem names the field by a path such
as `subjects[3].mode` (array positions count from 1, as a person counts the
`[[subjects]]` blocks in the file).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from core.i18n import t
from core.model import (
    BLANK_POLICIES,
    COMBINATION_METHODS,
    LAYOUTS,
    MODES,
    TIMED_PHASES,
    Alert,
    Band,
    Category,
    Grade,
    Meeting,
    PhaseTiming,
    PollRules,
    Rules,
    ShareRule,
    Subject,
    Trim,
    Validity,
)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    line: int | None = None

    def render(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class MeetingFileError(Exception):
    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [p.render(self.source) for p in self.problems]


def load_meeting(path: str | Path) -> Meeting:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MeetingFileError(path.name, [Problem("", t("err.not_found", path=path))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MeetingFileError(path.name, [Problem("", t("err.read", detail=exc))]) from None
    return parse_meeting(text, path.name)


def parse_meeting(text: str, source: str = "meeting.toml") -> Meeting:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line_match = re.search(r"at line (\d+)", str(exc))
        line = int(line_match.group(1)) if line_match else None
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise MeetingFileError(
            source, [Problem("", t("err.syntax", detail=detail), line)]
        ) from None
    reader = _Reader()
    meeting = reader.meeting(data)
    if reader.problems:
        raise MeetingFileError(source, reader.problems)
    assert meeting is not None
    return meeting


# ---------------------------------------------------------------------------
# Field readers


_MISSING = object()

_TYPE_NAMES = {
    str: "type.string",
    int: "type.integer",
    bool: "type.boolean",
    dict: "type.table",
    list: "type.array",
}


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return t("type.table")
    if isinstance(value, list):
        return t("type.array")
    return str(value)


def _choices(options: tuple[str, ...] | list[str]) -> str:
    return " / ".join(f'"{o}"' for o in options)


class _Reader:
    """Reads fields while recording a Problem for each thing that is wrong."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # -- primitives ---------------------------------------------------------

    def table(self, value: Any, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, t("err.type", expected=t("type.table"), got=_shown(value)))
            return {}
        for key in value:
            if key not in allowed:
                self.fail(_join(path, key), t("err.unknown_key", allowed=", ".join(allowed)))
        return value

    def section(self, top: dict[str, Any], key: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        """A required top-level table."""
        if key not in top:
            self.fail(key, t("err.missing"))
            return {}
        return self.table(top[key], key, allowed)

    def field(
        self,
        table: dict[str, Any],
        path: str,
        key: str,
        kind: type,
        default: Any = _MISSING,
    ) -> Any:
        where = _join(path, key)
        if key not in table:
            if default is _MISSING:
                self.fail(where, t("err.missing"))
                return None
            return default
        value = table[key]
        # bool is an int in Python; TOML keeps them apart and so do we.
        wrong = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        if wrong:
            self.fail(where, t("err.type", expected=t(_TYPE_NAMES[kind]), got=_shown(value)))
            return None if default is _MISSING else default
        if kind is str and not value.strip():
            self.fail(where, t("err.empty"))
            return None
        return value

    def number(
        self, table: dict[str, Any], path: str, key: str, default: Any = _MISSING
    ) -> Fraction | None:
        where = _join(path, key)
        if key not in table:
            if default is _MISSING:
                self.fail(where, t("err.missing"))
            return None if default is _MISSING else default
        parsed = _to_fraction(table[key])
        if parsed is None:
            self.fail(where, t("err.type", expected=t("type.number"), got=_shown(table[key])))
        return parsed

    def share(self, table: dict[str, Any], path: str, key: str) -> Fraction | None:
        if key not in table:
            return None
        parsed = _to_fraction(table[key])
        if parsed is None or not 0 <= parsed <= 1:
            self.fail(_join(path, key), t("err.fraction", got=_shown(table[key])))
            return None
        return parsed

    def choice(
        self, table: dict[str, Any], path: str, key: str, options: tuple[str, ...], default: str
    ) -> str:
        value = self.field(table, path, key, str, default)
        if value is None:
            return default
        if value not in options:
            self.fail(
                _join(path, key), t("err.choice", choices=_choices(options), got=_shown(value))
            )
            return default
        return value

    def strings(self, table: dict[str, Any], path: str, key: str, required: bool) -> list[str]:
        values = self.field(table, path, key, list, _MISSING if required else [])
        if values is None:
            return []
        out: list[str] = []
        for i, item in enumerate(values, 1):
            where = f"{_join(path, key)}[{i}]"
            if not isinstance(item, str) or not item.strip():
                self.fail(where, t("err.type", expected=t("type.string"), got=_shown(item)))
            else:
                out.append(item.strip())
        if required and not values:
            self.fail(_join(path, key), t("err.empty_list"))
        self.unique(out, _join(path, key))
        return out

    def items(self, data: dict[str, Any], path: str, required: bool = True) -> list[Any]:
        value = self.field(data, "", path, list, _MISSING if required else [])
        if value is None:
            return []
        if required and not value:
            self.fail(path, t("err.empty_list"))
        return value

    def unique(self, names: list[str], path: str, element: str = "") -> None:
        seen: dict[str, int] = {}
        for i, name in enumerate(names, 1):
            if name in seen:
                other = f"{path}[{seen[name]}]{element}"
                self.fail(f"{path}[{i}]{element}", t("err.duplicate", other=other, value=name))
            else:
                seen[name] = i

    def grade(self, value: str | None, path: str, known: list[str]) -> str | None:
        if value is not None and value not in known:
            self.fail(path, t("err.unknown_grade", got=_shown(value), choices=_choices(known)))
            return None
        return value

    # -- sections -----------------------------------------------------------

    def meeting(self, data: dict[str, Any]) -> Meeting | None:
        top = self.table(
            data,
            "",
            (
                "meeting",
                "criteria",
                "grades",
                "categories",
                "subjects",
                "phases",
                "scoring",
                "poll",
                "people",
            ),
        )
        head = self.section(top, "meeting", ("title", "date", "venue", "organiser"))
        title = self.field(head, "meeting", "title", str)
        date = self.date(head, "meeting", "date")
        venue = self.field(head, "meeting", "venue", str, "")
        organiser = self.field(head, "meeting", "organiser", str, "")

        criteria = self.criteria(top)
        grades, abstain = self.grades(top)
        labels = [g.label for g in grades]
        categories = self.categories(top)
        timings = self.phases(top.get("phases", {}), "phases", None)
        subjects = self.subjects(top, categories, timings)
        rules = self.rules(top.get("scoring", {}), labels, categories)
        poll = self.poll(top.get("poll", {}))
        people = self.table(top.get("people", {}), "people", ("commenters", "askers"))
        commenters = self.strings(people, "people", "commenters", required=False)
        askers = self.strings(people, "people", "askers", required=False)

        if self.problems:
            return None
        return Meeting(
            title=title,
            date=date,
            venue=venue or "",
            organiser=organiser or "",
            criteria=tuple(criteria),
            grades=tuple(grades),
            abstain=abstain,
            categories=tuple(categories),
            subjects=tuple(subjects),
            timings=timings,
            rules=rules,
            poll=poll,
            commenters=tuple(commenters),
            askers=tuple(askers),
        )

    def date(self, table: dict[str, Any], path: str, key: str) -> dt.date | None:
        where = _join(path, key)
        if key not in table:
            self.fail(where, t("err.missing"))
            return None
        value = table[key]
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(where, t("err.date", got=_shown(value)))
        return None

    def criteria(self, top: dict[str, Any]) -> list[str]:
        return self.strings(top, "", "criteria", required=True)

    def grades(self, top: dict[str, Any]) -> tuple[list[Grade], str | None]:
        section = self.section(top, "grades", ("scale", "abstain"))
        scale = self.field(section, "grades", "scale", list) or []
        grades: list[Grade] = []
        for i, item in enumerate(scale, 1):
            path = f"grades.scale[{i}]"
            entry = self.table(item, path, ("label", "points"))
            label = self.field(entry, path, "label", str)
            points = self.number(entry, path, "points")
            if label is not None and points is not None:
                grades.append(Grade(label.strip(), points))
        if "scale" in section and not scale:
            self.fail("grades.scale", t("err.empty_list"))
        self.unique([g.label for g in grades], "grades.scale", ".label")
        abstain = self.field(section, "grades", "abstain", str, None)
        if abstain is not None and abstain in [g.label for g in grades]:
            self.fail("grades.abstain", t("err.abstain_is_grade", got=_shown(abstain)))
        return grades, abstain

    def categories(self, top: dict[str, Any]) -> list[Category]:
        out: list[Category] = []
        for i, item in enumerate(self.items(top, "categories"), 1):
            path = f"categories[{i}]"
            entry = self.table(item, path, ("name", "weight", "expected"))
            name = self.field(entry, path, "name", str)
            weight = self.number(entry, path, "weight")
            expected = self.field(entry, path, "expected", int)
            if weight is not None and weight < 0:
                self.fail(_join(path, "weight"), t("err.negative", got=_shown(entry["weight"])))
            if expected is not None and expected < 0:
                self.fail(_join(path, "expected"), t("err.negative", got=expected))
            if name is not None and weight is not None and expected is not None:
                out.append(Category(name.strip(), weight, expected))
        self.unique([c.name for c in out], "categories", ".name")
        self.weights_sum({c.name: c.weight for c in out}, "categories", "err.weights_sum")
        return out

    def weights_sum(self, weights: dict[str, Fraction], path: str, key: str) -> None:
        total = sum(weights.values(), Fraction(0))
        if weights and total != 1:
            self.fail(path, t(key, got=_decimal_text(total)))

    def subjects(
        self,
        top: dict[str, Any],
        categories: list[Category],
        defaults: dict[str, PhaseTiming],
    ) -> list[Subject]:
        out: list[Subject] = []
        category_names = [c.name for c in categories]
        for i, item in enumerate(self.items(top, "subjects"), 1):
            path = f"subjects[{i}]"
            entry = self.table(
                item,
                path,
                ("name", "unit", "person", "mode", "order", "daily", "scores", "phases", "weights"),
            )
            name = self.field(entry, path, "name", str)
            unit = self.field(entry, path, "unit", str, None)
            person = self.field(entry, path, "person", str, "")
            mode = self.choice(entry, path, "mode", MODES, "written")
            if "mode" not in entry:
                self.fail(_join(path, "mode"), t("err.missing"))
            order = self.field(entry, path, "order", int, i)
            scores = self.scores(entry, path)
            timings = {}
            if "phases" in entry:
                timings = self.phases(entry["phases"], _join(path, "phases"), defaults)
            weights = None
            if "weights" in entry:
                weights = self.subject_weights(
                    entry["weights"], _join(path, "weights"), category_names
                )
            if name is not None:
                out.append(
                    Subject(
                        name=name.strip(),
                        unit=(unit or name).strip(),
                        person=(person or "").strip(),
                        mode=mode,  # type: ignore[arg-type]
                        order=order if order is not None else i,
                        scores=scores,
                        timings=timings,
                        weights=weights,
                    )
                )
        self.unique([s.name for s in out], "subjects", ".name")
        onsite_orders = [str(s.order) for s in out if s.mode == "onsite"]
        self.unique(onsite_orders, "subjects(onsite)", ".order")
        if out and not any(s.mode == "onsite" for s in out):
            self.fail("subjects", t("err.no_onsite"))
        return out

    def scores(self, entry: dict[str, Any], path: str) -> dict[str, Fraction]:
        scores: dict[str, Fraction] = {}
        if "scores" in entry:
            table = entry["scores"]
            if not isinstance(table, dict):
                self.fail(
                    _join(path, "scores"),
                    t("err.type", expected=t("type.table"), got=_shown(table)),
                )
            else:
                for key in table:
                    value = self.number(table, _join(path, "scores"), key)
                    if value is not None:
                        scores[key] = value
        daily = self.number(entry, path, "daily", None)
        if daily is not None:
            scores["daily"] = daily
        for key, value in scores.items():
            if not 0 <= value <= 100:
                where = _join(
                    path, "daily" if key == "daily" and "daily" in entry else f"scores.{key}"
                )
                self.fail(where, t("err.number_range", low=0, high=100, got=_decimal_text(value)))
        return scores

    def subject_weights(
        self, value: Any, path: str, categories: list[str]
    ) -> dict[str, Fraction] | None:
        table = self.table(value, path, tuple(categories))
        weights = {}
        for key in table:
            if key in categories:
                number = self.number(table, path, key)
                if number is not None:
                    weights[key] = number
        self.weights_sum(weights, path, "err.weights_sum")
        return weights or None

    def phases(
        self, value: Any, path: str, defaults: dict[str, PhaseTiming] | None
    ) -> dict[str, PhaseTiming]:
        table = self.table(value, path, TIMED_PHASES)
        out: dict[str, PhaseTiming] = {}
        for phase in TIMED_PHASES:
            where = _join(path, phase)
            if phase not in table:
                if defaults is None:
                    self.fail(where, t("err.missing"))
                continue
            entry = self.table(table[phase], where, ("duration", "warning", "danger", "auto_start"))
            base = defaults.get(phase) if defaults else None
            duration = self.duration(entry, where, "duration", base.duration if base else None)
            warning = self.duration(entry, where, "warning", base.warning if base else 60)
            danger = self.duration(entry, where, "danger", base.danger if base else 0)
            auto = self.field(entry, where, "auto_start", bool, base.auto_start if base else False)
            if duration is None or warning is None or danger is None:
                continue
            if duration <= 0:
                self.fail(_join(where, "duration"), t("err.positive", got=duration))
            if danger > 0 and warning <= danger:
                self.fail(
                    _join(where, "warning"),
                    t("err.threshold_order", warning=warning, danger=danger),
                )
            if warning > duration > 0:
                self.fail(
                    _join(where, "warning"),
                    t("err.threshold_duration", got=warning, duration=duration),
                )
            out[phase] = PhaseTiming(duration, warning, danger, bool(auto))
        return out

    def duration(
        self, table: dict[str, Any], path: str, key: str, default: int | None
    ) -> int | None:
        where = _join(path, key)
        if key not in table:
            if default is None:
                self.fail(where, t("err.missing"))
            return default
        seconds = _to_seconds(table[key])
        if seconds is None:
            self.fail(where, t("err.duration", got=_shown(table[key])))
        elif seconds < 0:
            self.fail(where, t("err.negative", got=_shown(table[key])))
            return None
        return seconds

    def rules(self, value: Any, labels: list[str], categories: list[Category]) -> Rules:
        path = "scoring"
        table = self.table(
            value,
            path,
            (
                "layout",
                "numeric",
                "average_within_category",
                "digits",
                "trim",
                "validity",
                "combination",
                "bands",
                "share_rules",
                "alerts",
            ),
        )
        layout = self.choice(table, path, "layout", LAYOUTS, "per_criterion")
        numeric = self.table(table.get("numeric", {}), "scoring.numeric", ("min", "max"))
        low = self.number(numeric, "scoring.numeric", "min", Fraction(0))
        high = self.number(numeric, "scoring.numeric", "max", Fraction(100))
        averaging = self.field(table, path, "average_within_category", bool, True)
        digits = self.field(table, path, "digits", int, 2)
        if digits is not None and not 0 <= digits <= 6:
            self.fail("scoring.digits", t("err.number_range", low=0, high=6, got=digits))

        trim_t = self.table(table.get("trim", {}), "scoring.trim", ("enabled", "more_than"))
        trim = Trim(
            enabled=bool(self.field(trim_t, "scoring.trim", "enabled", bool, False)),
            more_than=self.field(trim_t, "scoring.trim", "more_than", int, 5) or 5,
        )
        if trim.more_than < 2:
            self.fail(
                "scoring.trim.more_than", t("err.number_range", low=2, high="∞", got=trim.more_than)
            )

        val_t = self.table(
            table.get("validity", {}),
            "scoring.validity",
            ("top_grade_quota", "all_same_invalid", "blank", "over_return_voids"),
        )
        validity = Validity(
            top_grade_quota=self.share(val_t, "scoring.validity", "top_grade_quota"),
            all_same_invalid=bool(
                self.field(val_t, "scoring.validity", "all_same_invalid", bool, False)
            ),
            blank=self.choice(val_t, "scoring.validity", "blank", BLANK_POLICIES, "abstain"),
            over_return_voids=bool(
                self.field(val_t, "scoring.validity", "over_return_voids", bool, True)
            ),
        )

        comb_t = self.table(
            table.get("combination", {}), "scoring.combination", ("method", "weights")
        )
        method = self.choice(
            comb_t, "scoring.combination", "method", COMBINATION_METHODS, "weighted"
        )
        combination = {"meeting": Fraction(1)}
        if "weights" in comb_t:
            combination = self.combination(comb_t["weights"], "scoring.combination.weights")

        bands = self.bands(table.get("bands", []), labels)
        share_rules = self.share_rules(table.get("share_rules", []), labels)
        alerts = self.alerts(table.get("alerts", []), labels)
        return Rules(
            layout=layout,
            numeric_range=(low or Fraction(0), high if high is not None else Fraction(100)),
            average_within_category=bool(averaging),
            trim=trim,
            validity=validity,
            combination_method=method,
            combination=combination,
            bands=bands,
            share_rules=share_rules,
            alerts=alerts,
            digits=digits if digits is not None else 2,
        )

    def combination(self, value: Any, path: str) -> dict[str, Fraction]:
        if not isinstance(value, dict):
            self.fail(path, t("err.type", expected=t("type.table"), got=_shown(value)))
            return {"meeting": Fraction(1)}
        weights: dict[str, Fraction] = {}
        for key in value:
            number = self.number(value, path, key)
            if number is not None:
                weights[key] = number
        if "meeting" not in value:
            self.fail(path, t("err.combination_meeting"))
        self.weights_sum(weights, path, "err.combination_sum")
        return weights

    def list_of_tables(self, value: Any, path: str) -> list[tuple[str, Any]]:
        if not isinstance(value, list):
            self.fail(path, t("err.type", expected=t("type.array"), got=_shown(value)))
            return []
        return [(f"{path}[{i}]", item) for i, item in enumerate(value, 1)]

    def bands(self, value: Any, labels: list[str]) -> tuple[Band, ...]:
        out: list[Band] = []
        for path, item in self.list_of_tables(value, "scoring.bands"):
            entry = self.table(item, path, ("min", "grade"))
            low = self.number(entry, path, "min")
            grade = self.grade(self.field(entry, path, "grade", str), _join(path, "grade"), labels)
            if low is not None and grade is not None:
                out.append(Band(low, grade))
        if any(a.min <= b.min for a, b in itertools.pairwise(out)):
            self.fail("scoring.bands", t("err.bands_order"))
        return tuple(out)

    def share_rules(self, value: Any, labels: list[str]) -> tuple[ShareRule, ...]:
        out: list[ShareRule] = []
        for path, item in self.list_of_tables(value, "scoring.share_rules"):
            entry = self.table(item, path, ("grades", "above", "below", "grade", "flag"))
            grades = self.strings(entry, path, "grades", required=True)
            for i, label in enumerate(grades, 1):
                self.grade(label, f"{path}.grades[{i}]", labels)
            above = self.share(entry, path, "above")
            below = self.share(entry, path, "below")
            if above is None and below is None:
                self.fail(_join(path, "above"), t("err.missing"))
            grade = self.grade(
                self.field(entry, path, "grade", str, None), _join(path, "grade"), labels
            )
            flag = self.field(entry, path, "flag", str, None)
            if grade is None and flag is None and "grade" not in entry:
                self.fail(_join(path, "grade"), t("err.missing"))
            out.append(ShareRule(tuple(grades), above, below, grade, flag))
        return tuple(out)

    def alerts(self, value: Any, labels: list[str]) -> tuple[Alert, ...]:
        out: list[Alert] = []
        for path, item in self.list_of_tables(value, "scoring.alerts"):
            entry = self.table(item, path, ("flag", "grade", "score_below"))
            flag = self.field(entry, path, "flag", str)
            grade = self.grade(
                self.field(entry, path, "grade", str, None), _join(path, "grade"), labels
            )
            below = self.number(entry, path, "score_below", None)
            if "grade" not in entry and "score_below" not in entry:
                self.fail(_join(path, "grade"), t("err.missing"))
            if flag is not None:
                out.append(Alert(flag, grade, below))
        return tuple(out)

    def poll(self, value: Any) -> PollRules:
        table = self.table(value, "poll", ("allow_revision", "hide_results_until_close"))
        return PollRules(
            allow_revision=bool(self.field(table, "poll", "allow_revision", bool, False)),
            hide_results_until_close=bool(
                self.field(table, "poll", "hide_results_until_close", bool, True)
            ),
        )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_FRACTION = re.compile(r"^\s*-?\d+(\.\d+)?(\s*/\s*\d+(\.\d+)?)?\s*$")


def _to_fraction(value: Any) -> Fraction | None:
    """TOML int, float or a string such as "0.25" or "1/3", exactly."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))  # 0.1 means one tenth, not its binary neighbour
    if isinstance(value, str) and _FRACTION.match(value):
        try:
            return Fraction(value.replace(" ", ""))
        except (ValueError, ZeroDivisionError):
            return None
    return None


def _to_seconds(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(-?)(\d+):([0-5]\d)\s*", value)
        if match:
            sign = -1 if match.group(1) else 1
            return sign * (int(match.group(2)) * 60 + int(match.group(3)))
    return None


def _decimal_text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.6f}".rstrip("0")
    return text
