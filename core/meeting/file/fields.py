"""Field readers: each reads one value and records a Problem when it is wrong."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Any, TypeVar

from core.i18n import t
from core.text import control_chars


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


class _Missing(Enum):
    """No default: a missing field is a problem."""

    MISSING = "missing"


_MISSING = _Missing.MISSING
S = TypeVar("S", bound=str)
T = TypeVar("T")


def _type_name(kind: type) -> str:
    """What a TOML value of this Python type is called."""
    if kind is str:
        return t("type.string")
    if kind is int:
        return t("type.integer")
    if kind is bool:
        return t("type.boolean")
    if kind is dict:
        return t("type.table")
    if kind is list:
        return t("type.array")
    raise ValueError(kind)


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


class FieldReader:
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
        kind: type[T],
        default: T | _Missing | None = _MISSING,
    ) -> T | None:
        where = _join(path, key)
        if key not in table:
            if default is _MISSING:
                self.fail(where, t("err.missing"))
                return None
            return default
        value = table[key]
        # bool is an int in Python; TOML keeps them apart and so do we.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(where, t("err.type", expected=_type_name(kind), got=_shown(value)))
            return None if default is _MISSING else default
        if isinstance(value, str) and not value.strip():
            self.fail(where, t("err.empty"))
            return None
        if isinstance(value, str) and control_chars(value):
            self.fail(where, t("err.control_chars") + f"（{' '.join(control_chars(value)[:3])}）")
            return None
        if isinstance(value, int) and abs(value) > MAX_INTEGER:
            self.fail(where, t("err.too_large_number", got=_shown_number(value)))
            return None
        return value

    def number(
        self,
        table: dict[str, Any],
        path: str,
        key: str,
        default: Fraction | _Missing | None = _MISSING,
    ) -> Fraction | None:
        where = _join(path, key)
        if key not in table:
            if default is _MISSING:
                self.fail(where, t("err.missing"))
            return None if default is _MISSING else default
        parsed = _to_fraction(table[key])
        if parsed is None:
            self.fail(where, _number_problem(table[key]))
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
        self, table: dict[str, Any], path: str, key: str, options: tuple[S, ...], default: S
    ) -> S:
        """One of `options` (enum members are returned as such, not as the text read)."""
        value = self.field(table, path, key, str, default)
        if value is None:
            return default
        for option in options:
            if option == value:
                return option
        self.fail(_join(path, key), t("err.choice", choices=_choices(options), got=_shown(value)))
        return default

    def strings(self, table: dict[str, Any], path: str, key: str, required: bool) -> list[str]:
        values = self.field(table, path, key, list, _MISSING if required else [])
        if values is None:
            return []
        out: list[str] = []
        for i, item in enumerate(values, 1):
            where = f"{_join(path, key)}[{i}]"
            if not isinstance(item, str) or not item.strip():
                self.fail(where, t("err.type", expected=t("type.string"), got=_shown(item)))
            elif control_chars(item):
                self.fail(
                    where, t("err.control_chars") + f"（{' '.join(control_chars(item)[:3])}）"
                )
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

    def weights_sum(
        self, weights: dict[str, Fraction], path: str, message: Callable[[str], str]
    ) -> None:
        """`message(total)` says what is wrong when the weights do not sum to 1."""
        total = sum(weights.values(), Fraction(0))
        if weights and total != 1:
            self.fail(path, message(_decimal_text(total)))

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


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_FRACTION = re.compile(r"^\s*-?\d+(\.\d+)?(\s*/\s*\d+(\.\d+)?)?\s*$")
MAX_INTEGER = 10**9  # no count, score or weight in a meeting comes near it
# Said in docs/meeting-file.md: a category of more voters is a typing mistake.
MAX_VOTERS_PER_CATEGORY = 10_000
MAX_NUMBER_TEXT = 32  # "0.333333" or "1/3"; bounded before anything is converted


def _to_fraction(value: Any) -> Fraction | None:
    """TOML int, float or a string such as "0.25" or "1/3", exactly; None for
    anything else, including nan, inf and numbers beyond MAX_INTEGER."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value) if abs(value) <= MAX_INTEGER else None
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > MAX_INTEGER:
            return None
        return Fraction(repr(value))  # 0.1 means one tenth, not its binary neighbour
    if isinstance(value, str) and len(value) > MAX_NUMBER_TEXT:
        return None
    if isinstance(value, str) and _FRACTION.match(value):
        try:
            return Fraction(value.replace(" ", ""))
        except (ValueError, ZeroDivisionError):
            return None
    return None


def _shown_number(value: Any) -> str:
    text = _shown(value)
    return text if len(text) <= 20 else f"{text[:12]}…（{len(text)} 位）"


def _number_problem(value: Any) -> str:
    """Why a value is not a number we accept, in the reader's words."""
    if isinstance(value, float) and not math.isfinite(value):
        return t("err.not_finite", got=_shown(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return t("err.too_large_number", got=_shown_number(value))
    if isinstance(value, str) and len(value) > MAX_NUMBER_TEXT:
        return t("err.too_large_number", got=_shown_number(value))
    return t("err.type", expected=t("type.number"), got=_shown(value))


def _to_seconds(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) <= MAX_INTEGER else None
    if isinstance(value, str) and len(value) <= MAX_NUMBER_TEXT:
        match = re.fullmatch(r"\s*(-?)(\d{1,6}):([0-5]\d)\s*", value)
        if match:
            sign = -1 if match.group(1) else 1
            return sign * (int(match.group(2)) * 60 + int(match.group(3)))
    return None


def _decimal_text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.6f}".rstrip("0")
    return text
