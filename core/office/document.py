"""The look of official documents (GB/T 9704-2012 党政机关公文格式), as numbers.

The documents themselves are Word templates (data/templates/, filled by
`core.office.templates`); these are the measures the default templates are
built with (scripts/make_templates.py) and the tests read back:

- A4, margins top 37 / bottom 35 / left 28 / right 26 mm: the standard's 版心 of
  156 × 225 mm, 22 lines a page (line pitch 28.95 pt), 28 characters a line.
- Title 二号 方正小标宋简体, body 三号 仿宋_GB2312, headings "一、" 三号 黑体 and
  "（一）" 三号 楷体_GB2312; Latin letters and digits in Times New Roman; each font
  named for East Asian text too (Word otherwise shows Chinese in a Western font),
  with a fallback in the font table for a PC without it.
- Page numbers "— 1 —" in 四号 宋体, odd pages right, even pages left.
- 发文机关标志 and the line under the 发文字号 in red.
"""

from __future__ import annotations

import datetime as dt

# Font sizes by their Chinese names (points).
SIZES = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "小一": 24,
    "二号": 22,
    "小二": 18,
    "三号": 16,
    "小三": 15,
    "四号": 14,
    "小四": 12,
    "五号": 10.5,
    "小五": 9,
}

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
RED = "FF0000"

# Installed on most office PCs, but not all: Word/WPS use the alternative named here.
FALLBACKS = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    HEADING2_FONT: "楷体",
}

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156
TEXT_HEIGHT_MM = PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"]  # 225
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH_TWIPS = 579  # 225 mm / 22 lines = 28.95 pt

_CHINESE_DIGITS = "零一二三四五六七八九"


def twips(mm: float) -> int:
    """Millimetres in twentieths of a point, as Word measures a page."""
    return round(mm / 25.4 * 1440)


def chinese_date(day: dt.date) -> str:
    """2024年1月30日 (Arabic numerals, no leading zeros, as GB/T 9704 writes dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for headings up to 99)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CHINESE_DIGITS[ones]
    prefix = "" if tens == 1 else _CHINESE_DIGITS[tens]
    return prefix + "十" + (_CHINESE_DIGITS[ones] if ones else "")
