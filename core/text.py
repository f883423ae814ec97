"""Text typed or pasted by people: names in meeting files, commentary, questions.

Control characters (a stray carriage return, an escape sequence, a bidi override
pasted from another program) break office exports and reach terminals raw. Names
must not hold any; free text keeps its line breaks and loses the rest.
"""

from __future__ import annotations

import unicodedata

# Invisible characters that reorder or hide text on screen (bidi overrides and
# isolates), and the line/paragraph separators, besides the Cc category.
_INVISIBLE = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)}


def cells(text: str) -> int:
    """How many terminal cells `text` takes: a Chinese character (East Asian wide or
    full-width) takes two, a combining mark none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" or char in _INVISIBLE


def control_chars(text: str) -> list[str]:
    """The control characters in `text`, as U+XXXX, in order (empty: clean)."""
    return [f"U+{ord(c):04X}" for c in text if is_control(c)]


def clean_text(text: str, *, keep_newlines: bool = True) -> str:
    """Free text with control characters removed: tabs become spaces, CR LF and CR
    become LF (kept only when `keep_newlines`); printable Unicode, emoji included,
    is kept as it is."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    kept = []
    for char in text:
        if char == "\n":
            kept.append("\n" if keep_newlines else " ")
        elif not is_control(char):
            kept.append(char)
    return "".join(kept)


def clean_line(text: str) -> str:
    """A one-line field (a name): control characters and line breaks gone, trimmed."""
    return clean_text(text, keep_newlines=False).strip()


def clean_block(text: str) -> str:
    """Free text (commentary, a question, an answer): line breaks kept, trimmed."""
    return clean_text(text).strip()


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person typed: empty for a blank cell, 88 for
    the 88.0 a spreadsheet stores, surrounding spaces dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
