"""A clerk's spelling of a value read as one value: numbers and fractions ("0.2",
"1/3"), durations ("8:00", "6分钟", "6分30秒", "90秒"), counts ("4人"), dates
("2024年1月30日"), the choices of a closed list in their Chinese spellings (现场 /
书面), and each value's one canonical form (what `sanshu edit` writes back). The
field readers that use them, and report what cannot be read, are fields.py."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, TypeVar

from core.i18n import t

S = TypeVar("S", bound=str)


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


def _option(value: str, options: tuple[S, ...], spellings: Mapping[str, S]) -> S | None:
    for option in options:
        if option == value:
            return option
    return spellings.get(_normal(value))


def _first_spellings(options: tuple[S, ...], spellings: Mapping[str, S]) -> list[str]:
    """One clerk's spelling per option, for the message (现场 / 书面)."""
    out: list[str] = []
    for option in options:
        out += [spelling for spelling, o in spellings.items() if o == option][:1]
    return out


def _normal(text: str) -> str:
    """Full-width digits and colons as ASCII (a Chinese input method types ８：００),
    without the spaces around."""
    return unicodedata.normalize("NFKC", text).strip()


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


_CHINESE_DURATION = re.compile(
    r"(?:(\d{1,4})\s*(?:小时|时))?\s*(?:(\d{1,6})\s*(?:分钟|分))?\s*(?:(\d{1,6})\s*(?:秒钟|秒))?"
)


def _whole_or_text(value: Any) -> int | str | None:
    """An integer as it is (None beyond the limit), a short string with full-width
    digits and spaces made plain, anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) <= MAX_INTEGER else None
    if not isinstance(value, str) or len(value) > MAX_NUMBER_TEXT:
        return None
    return _normal(value)


def _to_seconds(value: Any) -> int | None:
    """Seconds (480), "分:秒" ("8:00"), or as a clerk writes it ("8分钟", "6分30秒",
    "90秒", "1小时")."""
    text = _whole_or_text(value)
    if not isinstance(text, str):
        return text
    match = re.fullmatch(r"(-?)(\d{1,6}):([0-5]\d)", text)
    if match:
        sign = -1 if match.group(1) else 1
        return sign * (int(match.group(2)) * 60 + int(match.group(3)))
    match = _CHINESE_DURATION.fullmatch(text)
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    if ((hours or minutes) and seconds >= 60) or (hours and minutes >= 60):
        return None  # "6分90秒" is a typing mistake
    return hours * 3600 + minutes * 60 + seconds


def _to_count(value: Any, units: str) -> int | None:
    """A whole number: 4, or "4" / "4人" / "４ 人" with one of `units`."""
    text = _whole_or_text(value)
    if not isinstance(text, str):
        return text
    unit = f"[{re.escape(units)}]?" if units else ""
    match = re.fullmatch(r"(\d{1,9})\s*" + unit, text)
    return int(match.group(1)) if match else None


def _to_date(value: Any) -> dt.date | None:
    """A TOML date, "2024-01-30", or "2024年1月30日"."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) > MAX_NUMBER_TEXT:
        return None
    text = _normal(value)
    match = re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
    try:
        if match:
            return dt.date(*(int(g) for g in match.groups()))
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def seconds_text(seconds: int) -> str:
    """A duration's canonical spelling: "8:00"."""
    sign = "-" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"


def _decimal_text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.6f}".rstrip("0")
    return text
