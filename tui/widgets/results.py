"""The ranked tally on screen, one page at a time, with one subject's breakdown.

Pages instead of scrolling: a page mark ("第 1/2 页") says there is more, and the
podium's PageDown/PageUp turn the page. Name, grade and final score come first
so a narrow screen never loses them; the distribution bar (with its legend) and
the breakdown appear only where they fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from core.i18n import t
from tui.tally_view import distribution_bar, grade_colours, grade_style, number

if TYPE_CHECKING:
    from core.ballots.tally import Tally

BAR_MIN_WIDTH = 100  # the bar column and its legend need this many columns
BREAKDOWN_MIN_WIDTH = 110  # the breakdown pane beside the ranking


def legend(tally: Tally) -> Text:
    """What the bar's colours mean: one entry per choice, in the bars' own colours."""
    text = Text(t("results.legend") + " ")
    for label, colour in grade_colours(tally.meeting).items():
        text.append("██", style=colour)
        text.append(f" {label}  ")
    return text


@dataclass(frozen=True)
class Page:
    number: int  # from 0
    count: int
    first: int  # index of the first subject on the page
    size: int


def column_widths(tally: Tally, labels: list[str]) -> list[int]:
    """Each column as wide as its widest cell on ANY page (or its label).

    Given to the table instead of letting it measure: DataTable measures new rows
    only when it next goes idle, so a frame drawn before that showed the names cut
    to the label's width, and the columns jumped as rows were measured or the page
    turned (#14 §4)."""
    digits = tally.meeting.rules.digits
    cells = [
        [
            str(subject.rank or "—"),
            subject.name,
            subject.final_grade or "—",
            number(subject.final_score, digits),
            "；".join(subject.flags),
        ]
        for subject in tally.subjects
    ]
    return [
        max([cell_len(label), *(cell_len(row[index]) for row in cells)])
        for index, label in enumerate(labels)
    ]


def page_of(selected: int, total: int, size: int) -> Page:
    size = max(1, size)
    count = max(1, -(-total // size))
    number = min(max(0, selected) // size, count - 1)
    return Page(number, count, number * size, size)


class ResultsView(Vertical):
    """↑↓ move within the page; `turn(±1)` turns it; `select(row)` follows another
    console (the projector follows the podium)."""

    DEFAULT_CSS = """
    ResultsView { height: 1fr; }
    ResultsView #results-main { height: 1fr; }
    ResultsView DataTable { width: 1fr; height: 1fr; }
    ResultsView #breakdown { width: 46; height: 1fr; padding: 0 1; border-left: vkey $primary; }
    ResultsView #results-foot { height: 1; width: 100%; }
    ResultsView #legend { width: 1fr; }
    ResultsView #page-mark { width: auto; color: $text-accent; text-style: bold; }
    """

    class Selected(Message):
        """The host moved to another subject or page (the projector follows)."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, spread: bool = False, **kwargs) -> None:
        """`spread`: rows grow taller to fill the height (the projector, #19 §5)."""
        super().__init__(**kwargs)
        self.tally: Tally | None = None
        self.selected = 0
        self.spread = spread
        self._shown: tuple | None = None
        self._filling = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="results-main"):
            # The selected row keeps its grades' colours: it is marked by its background
            # and a ▶, never by turning its bar white (#19 §4).
            yield DataTable(
                id="ranking",
                cursor_type="row",
                zebra_stripes=True,
                cursor_foreground_priority="renderable",
            )
            yield Static(id="breakdown")
        with Horizontal(id="results-foot"):
            # Until the tally arrives from the counting worker (after the first frame).
            yield Static(t("results.counting"), id="legend")
            yield Static(id="page-mark")

    @property
    def row_height(self) -> int:
        """1, or on a projector as tall as lets every row of a page fill the height."""
        height = self.query_one(DataTable).size.height
        if not self.spread or self.tally is None or height <= 1:
            return 1
        return max(1, min(3, (height - 1) // max(1, len(self.tally.subjects))))

    @property
    def page_size(self) -> int:
        height = self.query_one(DataTable).size.height
        return max(1, (height - 1) // self.row_height) if height > 1 else 10  # a header row

    @property
    def page(self) -> Page:
        total = len(self.tally.subjects) if self.tally else 0
        return page_of(self.selected, total, self.page_size)

    def show(self, tally: Tally) -> None:
        self.tally = tally
        self.selected = min(self.selected, max(0, len(tally.subjects) - 1))
        self.fill()

    def select(self, row: int) -> None:
        if row != self.selected:
            self.selected = row
            self.fill()

    def turn(self, delta: int) -> bool:
        """Turn the page; False when there is no page that way."""
        page = self.page
        target = page.number + delta
        if self.tally is None or not 0 <= target < page.count:
            return False
        self.selected = target * page.size
        self.fill()
        self.post_message(self.Selected(self.selected))
        return True

    def on_resize(self) -> None:
        self.fill()

    def fill(self) -> None:
        if self.tally is None:
            return
        width = self.size.width or self.app.size.width
        show_bar = width >= BAR_MIN_WIDTH
        self.query_one("#breakdown").display = width >= BREAKDOWN_MIN_WIDTH
        bar_width = 40 if width >= 160 else 20
        page = self.page
        row_height = self.row_height
        key = (id(self.tally), page, show_bar, bar_width, self.selected, row_height)
        if key == self._shown:
            return
        self._shown = key
        tally = self.tally
        table = self.query_one(DataTable)
        self._filling = True
        table.clear(columns=True)
        labels = [t("col.rank"), t("col.subject"), t("col.final_grade"), t("col.final_score")]
        labels.append(t("col.flags"))
        widths = column_widths(tally, labels)
        widths[0] += 1  # the ▶ of the selected row
        for label, column_width in zip(labels, widths, strict=True):
            table.add_column(label, width=column_width)
        if show_bar:
            label = t("col.distribution")
            table.add_column(label, width=max(bar_width, cell_len(label)))
        digits = tally.meeting.rules.digits
        for index, subject in enumerate(tally.subjects[page.first : page.first + page.size]):
            grade = Text(subject.final_grade or "—", style=grade_style(tally, subject.final_grade))
            mark = "▶" if page.first + index == self.selected else ""
            cells = [
                Text(f"{mark}{subject.rank or '—'}", justify="right"),
                subject.name,
                grade,
                Text(number(subject.final_score, digits), justify="right"),
                Text("；".join(subject.flags), style="bold red"),
            ]
            if show_bar:
                cells.append(distribution_bar(tally, subject, bar_width))
            table.add_row(*cells, key=subject.name, height=row_height)
        table.move_cursor(row=self.selected - page.first, animate=False)
        self._filling = False
        self.query_one("#legend", Static).update(legend(tally) if show_bar else "")
        # The keys that turn it are the footer's (named as the meeting binds them, 下一页
        # or 上一步 as the page allows): a hint here said PgUp 翻页 on the first page.
        mark = t("results.page", page=page.number + 1, pages=page.count) if page.count > 1 else ""
        self.query_one("#page-mark", Static).update(mark)
        self.show_breakdown(self.selected)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self._filling or self.tally is None:
            return
        if event.cursor_row != event.data_table.cursor_row:
            return  # stale: from a refill, overtaken by a key pressed since (a ↓ lost)
        row = self.page.first + event.cursor_row
        if row != self.selected:
            self.selected = row
            self.fill()  # the ▶ moves with it
            self.post_message(self.Selected(row))

    def show_breakdown(self, row: int) -> None:
        if self.tally is None or not 0 <= row < len(self.tally.subjects):
            return
        tally = self.tally
        subject = tally.subjects[row]
        digits = tally.meeting.rules.digits
        criteria = Table(box=None, padding=(0, 1), show_edge=False)
        criteria.add_column(t("col.criterion"))
        criteria.add_column(t("col.score"), justify="right")
        for name, result in subject.criteria.items():
            criteria.add_row(name, number(result.score, digits))
        categories = Table(box=None, padding=(0, 1), show_edge=False)
        categories.add_column(t("col.category"))
        categories.add_column(t("col.ballots"), justify="right")
        categories.add_column(t("col.score"), justify="right")
        # Loaded with the tally itself, after the first frame (tests/test_host_imports.py).
        from core.ballots.tally import PUBLIC_MIN_BALLOTS, category_scores_public

        public = category_scores_public(subject)
        for name, result in subject.categories.items():
            score = number(result.score, digits) if public else "—"
            categories.add_row(name, str(result.ballots), score)
        lines = Table.grid()
        lines.add_row(Text(t("results.breakdown", name=subject.name), style="bold"))
        lines.add_row(criteria)
        lines.add_row("")
        lines.add_row(categories)
        if not public:
            lines.add_row(Text(t("results.few_ballots", n=PUBLIC_MIN_BALLOTS), style="dim"))
        lines.add_row("")
        lines.add_row(
            t("col.meeting_score")
            + f" {number(subject.meeting_score, digits)}　"
            + t("col.daily_score")
            + f" {number(subject.daily_score, digits)}"
        )
        if subject.override_reason:
            lines.add_row(
                Text(
                    f"{subject.computed_grade} → {subject.final_grade}：{subject.override_reason}",
                    style="yellow",
                )
            )
        self.query_one("#breakdown", Static).update(lines)
