"""A large block-letter clock for big terminals and projectors."""

from __future__ import annotations

from rich.text import Text

# 5 rows x 3 columns per glyph; '#' is ink.
GLYPHS = {
    "0": ["###", "# #", "# #", "# #", "###"],
    "1": [" # ", "## ", " # ", " # ", "###"],
    "2": ["###", "  #", "###", "#  ", "###"],
    "3": ["###", "  #", "###", "  #", "###"],
    "4": ["# #", "# #", "###", "  #", "  #"],
    "5": ["###", "#  ", "###", "  #", "###"],
    "6": ["###", "#  ", "###", "# #", "###"],
    "7": ["###", "  #", "  #", "  #", "  #"],
    "8": ["###", "# #", "###", "# #", "###"],
    "9": ["###", "# #", "###", "  #", "###"],
    ":": [" ", "#", " ", "#", " "],
    "-": ["   ", "   ", "###", "   ", "   "],
}


def big_text(value: str, scale: int = 2) -> Text:
    """Render digits, ':' and '-' as block letters `scale` rows per font row."""
    rows: list[str] = []
    for row in range(5):
        parts = []
        for char in value:
            glyph = GLYPHS.get(char, GLYPHS["0"] if char.isdigit() else [" "] * 5)[row]
            parts.append(
                "".join("█" * (2 * scale) if ink == "#" else " " * (2 * scale) for ink in glyph)
            )
        line = (" " * scale).join(parts)
        rows.extend([line] * scale)
    return Text("\n".join(rows), no_wrap=True)


def big_size(value: str, scale: int = 2) -> tuple[int, int]:
    """Columns and rows that `big_text(value, scale)` takes."""
    width = sum(len(GLYPHS.get(c, GLYPHS["0"])[0]) * 2 * scale for c in value)
    width += scale * max(0, len(value) - 1)
    return width, 5 * scale
