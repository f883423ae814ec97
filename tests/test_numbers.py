"""The number parser for forms: bounded by spelling before any conversion."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from core.numbers import MAX_NUMBER_TEXT, bounded_decimal

LOW, HIGH = Fraction(0), Fraction(100)


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_every_plain_score_in_range_is_read_exactly(value: Decimal):
    text = f"{value:f}"
    assert bounded_decimal(text, LOW, HIGH) == value
    assert bounded_decimal(f"  {text} ", LOW, HIGH) == value  # as a phone may send it


@given(st.decimals(min_value=Decimal("100.01"), max_value=10**6, places=2, allow_nan=False))
def test_out_of_range_is_refused(value: Decimal):
    assert bounded_decimal(f"{value:f}", LOW, HIGH) is None


@given(st.text(max_size=200))
def test_any_text_gives_a_bounded_answer_or_none(text: str):
    result = bounded_decimal(text, LOW, HIGH)
    if result is not None:
        assert LOW <= Fraction(result) <= HIGH
        assert len(text) <= MAX_NUMBER_TEXT and text.strip().isascii()


def test_spellings_that_once_froze_the_service_are_refused():
    for text in ("1e10000000", "1E2", "9" * 5000, "nan", "inf", "-0", "+5", "1_0", "٣", "0x10",
                 "50.", ".5", "１００", "50/2"):  # fmt: skip
        assert bounded_decimal(text, LOW, HIGH) is None, text
