"""Numbers typed by people (forms, meeting files, workbooks), bounded before they
are converted: a value such as `1e10000000` is refused by its spelling, never
expanded into an exact number first."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

MAX_NUMBER_TEXT = 12  # "100.25" needs six; generous for spaces around it
_PLAIN_DECIMAL = re.compile(r"\d{1,6}(?:\.\d{1,4})?")


def bounded_decimal(text: str, low: Fraction, high: Fraction) -> Decimal | None:
    """A plain decimal such as "87" or "92.5" within [low, high], else None.

    Only digits with at most one point (no exponent, sign, nan, inf, underscores
    or other Unicode digits), at most MAX_NUMBER_TEXT characters.
    """
    if not isinstance(text, str) or len(text) > MAX_NUMBER_TEXT:
        return None
    text = text.strip()
    if not text.isascii() or not _PLAIN_DECIMAL.fullmatch(text):
        return None
    value = Decimal(text)
    return value if low <= Fraction(value) <= high else None
