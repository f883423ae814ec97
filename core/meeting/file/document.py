"""A meeting file being edited (`sanshu new`, `sanshu edit`): its TOML text kept as
the organiser wrote it — comments, order, blank lines — through tomlkit, a
style-preserving TOML library. Setting one value changes one line.

Every check is the reader's own (`read_meeting`, what `sanshu check` runs) on the
text that would be saved: the form shows exactly the messages `check` prints, and a
file is written only when `check` would accept it.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from fractions import Fraction
from typing import Any, cast

import tomlkit
from tomlkit.items import AoT, Array, InlineTable, Item
from tomlkit.toml_document import TOMLDocument

from core.meeting.file import Reading, read_meeting, syntax_problem
from core.meeting.file.fields import MeetingFileError
from core.meeting.file.values import (
    _to_count,
    _to_date,
    _to_fraction,
    _to_seconds,
    seconds_text,
)

Key = str | int  # a table's key, or a position in an array (from 0)
Path = tuple[Key, ...]

_PLAIN_DECIMAL = re.compile(r"-?\d{1,12}(\.\d{1,12})?")


def path_of(text: str) -> Path:
    """A problem's path as the document's: `categories[2].weight` → ("categories", 1,
    "weight")."""
    out: list[Key] = []
    for part in text.split("."):
        name = part.split("[", 1)[0]
        if name:
            out.append(name)
        out += [int(p) - 1 for p in re.findall(r"\[(\d+)\]", part)]
    return tuple(out)


def path_text(path: Path) -> str:
    """The document's path as a problem names it: ("categories", 1, "weight") →
    `categories[2].weight`."""
    text = ""
    for key in path:
        text += f"[{key + 1}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


class MeetingDocument:
    """The file's text as a tomlkit document, edited value by value."""

    def __init__(self, text: str, source: str = "meeting.toml") -> None:
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise MeetingFileError(source, [syntax_problem(text, exc)]) from None
        self.source = source
        self.doc: TOMLDocument = tomlkit.parse(text)

    # -- reading --------------------------------------------------------------

    def text(self) -> str:
        return self.doc.as_string()

    def check(self) -> Reading:
        """What `sanshu check` says about the text as it would be saved."""
        return read_meeting(self.text())

    def value(self, path: Path) -> Any:
        """The plain value at `path` (None when it is not there)."""
        node = self._node(path)
        return node.unwrap() if isinstance(node, Item | TOMLDocument) else node

    def count(self, path: Path) -> int:
        """How many rows the array at `path` has."""
        found = self._node(path)
        return len(found) if isinstance(found, list) else 0

    # -- writing ----------------------------------------------------------------

    def set(self, path: Path, value: Any) -> bool:
        """Set one value (None removes the key); the line's comment stays, and a value
        the file already holds, spelled the same way, is not touched. True when the
        text changed."""
        *parents, key = path
        table = self._container(tuple(parents))
        if value is None:
            if isinstance(key, str) and key in table:
                del table[key]
                return True
            return False
        if isinstance(key, str) and key not in table:
            table[key] = value
            return True
        if _same(table[key], value):
            return False
        table[key] = value
        return True

    def add_row(self, path: Path, values: dict[str, Any]) -> int:
        """A new row at the end of the array of tables at `path`; its position."""
        rows = self._node(path)
        if isinstance(rows, Array):  # an inline array: { label = "好", points = 100 }
            rows.append(_inline(values))
            return len(rows) - 1
        if not isinstance(rows, AoT):
            rows = tomlkit.aot()
            self._container(path[:-1])[cast(str, path[-1])] = rows
        table = tomlkit.table()
        for key, value in values.items():
            table[key] = value
        table.add(tomlkit.nl())
        rows.append(table)
        return len(rows) - 1

    def remove_row(self, path: Path, index: int) -> None:
        rows = self._node(path)
        if isinstance(rows, list) and 0 <= index < len(rows):
            del rows[index]

    def replace_rows(self, path: Path, rows: list[dict[str, Any]]) -> None:
        """Every row of the array at `path` replaced (a preset grade scale, a roster)."""
        for index in reversed(range(self.count(path))):
            self.remove_row(path, index)
        for row in rows:
            self.add_row(path, row)

    def set_strings(self, path: Path, values: list[str]) -> None:
        """An array of strings (criteria), one line when short."""
        array = tomlkit.array()
        array.extend(values)
        self.set(path, array)

    def respell(self) -> int:
        """Write every value read in a clerk's spelling in its canonical form ("6分钟" →
        "6:00", "书面" → "written"); how many were."""
        respelled = self.check().respelled
        for where, value in respelled.items():
            self.set(path_of(where), value)
        return len(respelled)

    # -- the tree -----------------------------------------------------------------

    def _node(self, path: Path) -> Any:
        node: Any = self.doc
        for key in path:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def _container(self, path: Path) -> Any:
        """The table (or array) at `path`, made when missing."""
        node: Any = self.doc
        for key in path:
            if isinstance(key, str) and key not in node:
                node[key] = tomlkit.table()
            node = node[key]
        return node


def _same(item: Any, value: Any) -> bool:
    """Whether the file already holds exactly this value, spelled the same way."""
    plain = item.unwrap() if isinstance(item, Item) else item
    return type(plain) is type(value) and plain == value


def _inline(values: dict[str, Any]) -> InlineTable:
    """An inline table spaced as people write it: { label = "好", points = 100 }."""
    table = tomlkit.inline_table()
    table.update(values)
    text = "x = { " + ", ".join(f"{k} = {tomlkit.item(v).as_string()}" for k, v in values.items())
    parsed = tomlkit.parse(text + " }\n")["x"]
    return parsed if isinstance(parsed, InlineTable) else table


# -- what a person types, as the file holds it -------------------------------------


def typed_number(text: str) -> Any:
    """A number as typed: 0.25 and 100 as TOML numbers, "1/3" (or anything the reader
    must judge) as text. A decimal a float cannot hold exactly stays text, so the
    reader reads it exactly."""
    text = text.strip()
    if not text:
        return None
    if _PLAIN_DECIMAL.fullmatch(text):
        if "." not in text:
            return int(text)
        number = float(text)
        if _to_fraction(number) == Fraction(text):
            return number
    return text


def typed_count(text: str, units: str) -> Any:
    """A count as typed: "4人" is stored as 4; anything else as typed, for the reader."""
    text = text.strip()
    if not text:
        return None
    found = _to_count(text, units)
    return found if found is not None else text


def typed_duration(text: str) -> Any:
    """A duration as typed: "6分钟" is stored as "6:00", 300 as 300."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    seconds = _to_seconds(text)
    return seconds_text(seconds) if seconds is not None and seconds >= 0 else text


def typed_date(text: str) -> Any:
    text = text.strip()
    found = _to_date(text)
    return found if isinstance(found, dt.date) else text


def shown(value: Any) -> str:
    """A stored value as the form shows it in a box."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
