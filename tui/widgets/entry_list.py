"""A panel list that always keeps one entry in view (the question being asked, the
latest commentary) and says how many entries are clipped above and below.

It renders only the lines that fit (a line-API-style widget, not one child widget
per entry), so a long queue costs nothing extra.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.widget import Widget

from core.i18n import t


def hanging(prefix: Text, body: Text, width: int, console: Console) -> list[Text]:
    """`prefix` then `body` wrapped so continuation lines start under the body."""
    indent = cell_len(prefix.plain)
    lines = body.wrap(console, max(4, width - indent))
    out = []
    for number, line in enumerate(lines):
        head = prefix.copy() if number == 0 else Text(" " * indent)
        head.append_text(line)
        out.append(head)
    return out or [prefix]


def window(heights: Sequence[int], focus: int, room: int) -> tuple[int, int]:
    """Entries [first, end) to show: the focus entry, one before it for context,
    then as many after and before as fit, leaving a line for each clipped marker.

    Reads only the heights it looks at (the ones near the focus), so a lazy
    sequence keeps a 500-question queue from being wrapped on every frame."""
    count = len(heights)
    first, end = focus, focus + 1
    used = heights[focus]

    def fits(a: int, b: int, lines: int) -> bool:
        markers = (a > 0) + (b < count)
        return lines + markers <= room

    if first > 0 and fits(first - 1, end, used + heights[first - 1]):
        first -= 1
        used += heights[first]
    while end < count and fits(first, end + 1, used + heights[end]):
        used += heights[end]
        end += 1
    while first > 0 and fits(first - 1, end, used + heights[first - 1]):
        first -= 1
        used += heights[first]
    return first, end


class _Wrapped(Sequence[int]):
    """The entries' wrapped lines, each wrapped the first time it is asked for."""

    def __init__(self, entries: list[tuple[Text, Text]], width: int, console: Console) -> None:
        self.entries, self.width, self.console = entries, width, console
        self.cache: dict[int, list[Text]] = {}

    def lines(self, index: int) -> list[Text]:
        if index not in self.cache:
            prefix, body = self.entries[index]
            self.cache[index] = hanging(prefix, body, self.width, self.console)
        return self.cache[index]

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index):  # the height of one entry (window reads no slices)
        return len(self.lines(index))


class EntryList(Widget):
    """Show entries (prefix, body); `focus` is the entry that must stay visible."""

    DEFAULT_CSS = """
    EntryList { height: 1fr; }
    EntryList .entry-list--more { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"entry-list--more"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries: list[tuple[Text, Text]] = []
        self.focus_index: int | None = None
        self.empty = ""

    def show(self, entries: list[tuple[Text, Text]], focus: int | None, empty: str) -> None:
        if (entries, focus, empty) == (self.entries, self.focus_index, self.empty):
            return
        self.entries, self.focus_index, self.empty = entries, focus, empty
        self.refresh()

    def lines(self, width: int, height: int) -> list[Text]:
        """The lines on screen for this size (pure enough to test)."""
        if not self.entries:
            return [Text(self.empty)]
        console = self.app.console
        wrapped = _Wrapped(self.entries, width, console)
        focus = self.focus_index if self.focus_index is not None else 0
        first, end = window(wrapped, focus, max(1, height))
        more = self.get_component_rich_style("entry-list--more", partial=True)
        out: list[Text] = []
        if first > 0:
            out.append(Text(t("list.more_above", count=first), style=more))
        for index in range(first, end):
            out.extend(wrapped.lines(index))
        if end < len(wrapped):
            out.append(Text(t("list.more_below", count=len(wrapped) - end), style=more))
        return out[: max(1, height)]

    def render(self) -> Text:
        size = self.content_size
        return Text("\n").join(self.lines(size.width, size.height))
