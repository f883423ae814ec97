"""Field readers: each reads one value and records a Problem when it is wrong.

A clerk's own spellings are understood and each has one canonical form that
`sanshu edit` writes back: 现场 / 书面 for a mode, "6分钟" or "6分30秒" for a
duration, "4人" for a count, "2024年1月30日" for a date. The reader notes each
value it read in another spelling, with its canonical form (`respelled`).

Each mistake is reported once, at its place: a value that cannot be read is left
out of the checks that depend on it (a bad weight does not also make a false
weight sum), and a key written in the wrong table is reported where it stands,
saying where it belongs, instead of as an unknown key here and a missing one there
(`resolve`, run once the whole file is read).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as _dataclass_field
from enum import Enum
from fractions import Fraction
from typing import Any, TypeVar

from core.i18n import t
from core.meeting.file.values import (
    MAX_INTEGER,
    _decimal_text,
    _first_spellings,
    _number_problem,
    _option,
    _shown,
    _shown_number,
    _to_count,
    _to_date,
    _to_fraction,
)
from core.text import control_chars


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    line: int | None = None
    # Lines shown under the message: the offending line of the file and a caret.
    excerpt: tuple[str, ...] = _dataclass_field(default=(), compare=False)

    def render(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class MeetingFileError(Exception):
    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [line for p in self.problems for line in (p.render(self.source), *p.excerpt)]


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


def _choices(options: tuple[str, ...] | list[str]) -> str:
    return " / ".join(f'"{o}"' for o in options)


@dataclass(frozen=True)
class _Unknown:
    """A key a table does not allow, resolved once every table is known."""

    problem: Problem  # its place in the list, replaced by the resolved message
    table: str  # the table's path ("meeting", "categories[2]")
    key: str
    allowed: tuple[str, ...]


class FieldReader:
    """Reads fields while recording a Problem for each thing that is wrong."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._missing: set[str] = set()  # paths reported missing
        self._unknown: list[_Unknown] = []
        self._tables: dict[str, tuple[str, ...]] = {}  # each table's shape → its keys
        self.scale_read = True  # the grade scale was read without a problem
        self.respelled: dict[str, Any] = {}  # path → the canonical form of a clerk's spelling

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def respell(self, path: str, value: Any) -> None:
        """The value at `path` was read in a clerk's spelling; `value` is its canonical form."""
        self.respelled[path] = value

    def missing(self, path: str) -> None:
        """A required field is not there (unless it stands in another table: `resolve`)."""
        self._missing.add(path)
        self.fail(path, t("err.missing"))

    def resolve(self) -> None:
        """Say where each unknown key belongs, once: a key written under the wrong
        table header (TOML puts every key after `[meeting]` into [meeting], so a
        `criteria` written there is not at the top) or misspelled is one mistake,
        not an unknown key here and a missing one there."""
        dropped: set[str] = set()
        resolved: dict[int, Problem] = {}
        for unknown in self._unknown:
            message, fixes = self._where_it_belongs(unknown)
            resolved[id(unknown.problem)] = Problem(unknown.problem.path, message)
            dropped |= fixes
        self.problems = [
            resolved.get(id(p), p) for p in self.problems if not self._explained(p, dropped)
        ]
        self._unknown = []

    def _explained(self, problem: Problem, dropped: set[str]) -> bool:
        """A missing field that another report explains: it stands elsewhere, or the
        table that should hold it is itself missing (or misspelled)."""
        if problem.path not in self._missing or problem.message != t("err.missing"):
            return False
        return problem.path in dropped or any(
            problem.path.startswith(f"{other}.") for other in self._missing | dropped
        )

    def _where_it_belongs(self, unknown: _Unknown) -> tuple[str, set[str]]:
        """The message for an unknown key and the missing-field reports it explains."""
        here = _shape(unknown.table)
        homes = [
            shape
            for shape, keys in self._tables.items()
            if unknown.key in keys and shape != here and not _holds(shape, unknown.key)
        ]
        below = [h for h in homes if h.startswith(f"{here}.")] if here else []
        homes = below or homes
        if homes and len(homes) <= 2:
            places = t("err.or").join(_header(h) for h in homes)
            if "" in homes:
                message = t("err.belongs_top", name=unknown.key, table=_header(here))
            else:
                message = t("err.belongs_in", places=places)
            return message, {_join(h, unknown.key) for h in homes if "[" not in h}
        close = difflib.get_close_matches(unknown.key, unknown.allowed, n=1, cutoff=0.6)
        if close:
            fixes = {_join(unknown.table, close[0])}
            return t("err.unknown_key_close", close=close[0]), fixes
        return t("err.unknown_key", allowed=", ".join(unknown.allowed)), set()

    # -- primitives ---------------------------------------------------------

    def table(self, value: Any, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        self._tables.setdefault(_shape(path), allowed)
        if not isinstance(value, dict):
            self.fail(path, t("err.type", expected=t("type.table"), got=_shown(value)))
            return {}
        for key in value:
            if key not in allowed:
                self.fail(_join(path, key), t("err.unknown_key", allowed=", ".join(allowed)))
                self._unknown.append(_Unknown(self.problems[-1], path, key, allowed))
        return value

    def section(self, top: dict[str, Any], key: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        """A required top-level table."""
        if key not in top:
            self._tables.setdefault(key, allowed)
            self.missing(key)
            return {}
        return self.table(top[key], key, allowed)

    def absent(self, where: str, default: T | _Missing | None) -> T | None:
        """What a field left out of its table reads as: its default, or None once it
        is noted as missing when it has none."""
        if default is _MISSING:
            self.missing(where)
            return None
        return default

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
            return self.absent(where, default)
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
            return self.absent(where, default)
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
        self,
        table: dict[str, Any],
        path: str,
        key: str,
        options: tuple[S, ...],
        default: S,
        spellings: Mapping[str, S] | None = None,
    ) -> S:
        """One of `options` (enum members are returned as such, not as the text read),
        or one of its `spellings` (现场 for onsite)."""
        value = self.field(table, path, key, str, str(default))
        if value is None:
            return default
        found = _option(value, options, spellings or {})
        if found is not None:
            if found != value:
                self.respell(_join(path, key), str(found))
            return found
        shown = [*map(str, options), *_first_spellings(options, spellings or {})]
        self.fail(_join(path, key), t("err.choice", choices=_choices(shown), got=_shown(value)))
        return default

    def count(
        self, table: dict[str, Any], path: str, key: str, units: str, default: int | _Missing | None
    ) -> int | None:
        """A whole number, also written with its unit ("4人" with units "人名")."""
        where = _join(path, key)
        if key not in table:
            return self.absent(where, default)
        value = table[key]
        number = _to_count(value, units)
        if number is not None and isinstance(value, str):
            self.respell(where, number)
        if number is None:
            if isinstance(value, int) and not isinstance(value, bool):
                self.fail(where, t("err.too_large_number", got=_shown_number(value)))
            else:
                self.fail(where, t("err.type", expected=t("type.integer"), got=_shown(value)))
        return number

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
        self,
        weights: Mapping[str, Fraction | None],
        path: str,
        message: Callable[[str], str],
    ) -> None:
        """`message(total)` says what is wrong when the weights do not sum to 1. A
        weight that could not be read (None) was reported already: no sum then."""
        if any(w is None for w in weights.values()):
            return
        total = sum((w for w in weights.values() if w is not None), Fraction(0))
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
        """A grade a rule names. While the scale itself is wrong (`scale_read` false)
        the rules' grades are not checked against it: one mistake, one line."""
        if value is not None and value not in known and self.scale_read:
            self.fail(path, t("err.unknown_grade", got=_shown(value), choices=_choices(known)))
            return None
        return value

    def date(self, table: dict[str, Any], path: str, key: str) -> dt.date | None:
        where = _join(path, key)
        if key not in table:
            self.missing(where)
            return None
        value = table[key]
        found = _to_date(value)
        if found is None:
            self.fail(where, t("err.date", got=_shown(value)))
        elif not isinstance(value, dt.date):
            self.respell(where, found)
        return found


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _shape(path: str) -> str:
    """A table's path without positions: `subjects[3].phases` → `subjects[].phases`."""
    return re.sub(r"\[\d+\]", "[]", path)


def _holds(shape: str, key: str) -> bool:
    """Whether a table shape is itself the key's value (`scoring.trim` holds no `trim`)."""
    return shape.rsplit(".", 1)[-1].removesuffix("[]") == key


def _header(shape: str) -> str:
    """How a person writes the table's header: [meeting], [[subjects]], the file's top."""
    if not shape:
        return t("err.top_of_file")
    if shape.endswith("[]") and "[]" not in shape[:-2]:
        return f"[[{shape[:-2]}]]"
    return f"[{shape.replace('[]', '')}]"
