"""Wrap Chinese text the way it is printed: no line starts with closing punctuation.

Rich breaks CJK text at any character, so a dialog could start a line with "。".
Here such a character pulls the one before it down to the next line (禁则).
"""

from __future__ import annotations

from rich.cells import cell_len

NO_LINE_START = set("。，、；：？！）》」』”’…%．,.;:?!)")


def wrap_cjk(text: str, width: int) -> str:
    """`text` (may hold newlines) wrapped to `width` cells."""
    width = max(4, width)
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if cell_len(line + char) <= width:
                line += char
                continue
            if char in NO_LINE_START and len(line) > 1:
                out.append(line[:-1])  # the last character goes down with the punctuation
                line = line[-1] + char
            else:
                out.append(line)
                line = char
        out.append(line)
    return "\n".join(out)
