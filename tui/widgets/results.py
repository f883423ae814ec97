"""The ranked tally on screen, with one subject's breakdown beside it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from core.i18n import t
from core.tally import Tally
from tui.tally_view import distribution_bar, grade_style, number


class ResultsView(Horizontal):
    """Up/Down move through the ranking; the breakdown follows the cursor."""

    DEFAULT_CSS = """
    ResultsView { height: 1fr; }
    ResultsView DataTable { width: 1fr; height: 1fr; }
    ResultsView #breakdown { width: 46; height: 1fr; padding: 0 1; border-left: vkey $primary; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tally: Tally | None = None

    def compose(self) -> ComposeResult:
        yield DataTable(id="ranking", cursor_type="row", zebra_stripes=True)
        yield Static(id="breakdown")

    def show(self, tally: Tally) -> None:
        self.tally = tally
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_columns(
            t("col.rank"),
            t("col.subject"),
            t("col.final_grade"),
            t("col.final_score"),
            "",
            t("col.flags"),
        )
        digits = tally.meeting.rules.digits
        for subject in tally.subjects:
            grade = Text(subject.final_grade or "—", style=grade_style(tally, subject.final_grade))
            table.add_row(
                str(subject.rank or "—"),
                subject.name,
                grade,
                number(subject.final_score, digits),
                distribution_bar(tally, subject, 16),
                Text("；".join(subject.flags), style="bold red"),
                key=subject.name,
            )
        table.move_cursor(row=min(row, len(tally.subjects) - 1))
        self.show_breakdown(min(row, len(tally.subjects) - 1))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_breakdown(event.cursor_row)

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
        for name, result in subject.categories.items():
            categories.add_row(name, str(result.ballots), number(result.score, digits))
        lines = Table.grid()
        lines.add_row(Text(t("results.breakdown", name=subject.name), style="bold"))
        lines.add_row(criteria)
        lines.add_row("")
        lines.add_row(categories)
        lines.add_row("")
        lines.add_row(
            f"{t('col.meeting_score')} {number(subject.meeting_score, digits)}　"
            f"{t('col.daily_score')} {number(subject.daily_score, digits)}"
        )
        if subject.override_reason:
            lines.add_row(
                Text(
                    f"{subject.computed_grade} → {subject.final_grade}：{subject.override_reason}",
                    style="yellow",
                )
            )
        self.query_one("#breakdown", Static).update(lines)
