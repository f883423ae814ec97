"""Where a long title breaks (GB/T 9704 7.3.1: 标题回行时，要做到词意完整，排列对称，
长短适宜): between words, never inside one, in lines of about equal length (of two
breaks equally even, the one whose upper line is longer: a 梯形).

Words are found without a dictionary of the language: the names the document is
about (the subject, its unit, the meeting) are whole words, a year with 年度 is one,
and so are the words official titles are made of; any other character stands alone.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterable

# The words of official titles, longest first where one contains another.
TITLE_WORDS = (
    "述职述责述廉",
    "民主测评",
    "评议情况",
    "评议结果",
    "测评结果",
    "常委会",
    "委员会",
    "办公室",
    "排名表",
    "测评票",
    "签到表",
    "关于",
    "述职",
    "述责",
    "述廉",
    "评议",
    "情况",
    "反馈",
    "意见",
    "结果",
    "通报",
    "测评",
    "会议",
    "记录",
    "年度",
    "工作",
    "机关",
    "人大",
    "整改",
    "落实",
)
NO_BREAK_BEFORE = set("的）」』”’，。、：；？！》〕")
NO_BREAK_AFTER = set("（「『“‘《〔")
_NUMBERED = re.compile(r"\d+(?:\s*年度|\s*年)?|[A-Za-z0-9]+")


def text_width(text: str) -> float:
    """In characters of the title's size: a Chinese character 1, a Latin one ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def tokens(text: str, atoms: Iterable[str] = ()) -> list[str]:
    """The title cut into words: the longest known word at each place, else one character."""
    known = sorted({a for a in (*atoms, *TITLE_WORDS) if len(a) > 1}, key=len, reverse=True)
    out: list[str] = []
    at = 0
    while at < len(text):
        number = _NUMBERED.match(text, at)
        word = next((w for w in known if text.startswith(w, at)), None)
        if word is None and number is not None:
            word = number.group(0)
        word = word or text[at]
        out.append(word)
        at += len(word)
    return out


def title_lines(text: str, width: float, atoms: Iterable[str] = ()) -> list[str]:
    """The title's lines, each at most `width` characters wide when it can be."""
    if text_width(text) <= width or width <= 0:
        return [text]
    words = tokens(text, atoms)
    places = [
        i
        for i in range(1, len(words))
        if words[i][0] not in NO_BREAK_BEFORE and words[i - 1][-1] not in NO_BREAK_AFTER
    ]
    least = math.ceil(text_width(text) / width)
    for count in range(least, least + 3):
        best: tuple[tuple[float, int], list[str]] | None = None
        for cuts in itertools.combinations(places, count - 1):
            bounds = (0, *cuts, len(words))
            lines = ["".join(words[a:b]) for a, b in itertools.pairwise(bounds)]
            widths = [text_width(line) for line in lines]
            if max(widths) > width:
                continue
            # Even lines first; then a trapezoid: no line longer than the one above.
            inverted = sum(1 for a, b in itertools.pairwise(widths) if b > a)
            score = (max(widths) - min(widths), inverted)
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return [text]  # no break between words fits: leave it to the word processor
