"""The ledger screen (`sanshu ledger`): the office follows rectification items for months.

A table of items (overdue ones in red, closed ones dimmed), filters by subject
and status, the highlighted item in full below, and a form to add or edit one.
Everything is written the moment it is saved; another process's change shows
within half a second.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Select, Static

from core.i18n import t, tn
from core.ledger.items import (
    COMPLETIONS,
    EDITABLE,
    SOURCES,
    ItemStatus,
    LedgerItem,
    ProblemSource,
    parse_date,
)
from core.ledger.labels import column_label, status_label
from core.ledger.ledger import Ledger, today_of
from core.store import Clock
from tui.base import SanshuApp
from tui.keys import LEDGER, bindings
from tui.widgets.footer import OrderedFooter

ALL = "__all__"
TABLE_COLUMNS = ("subject", "seq", "source", "problem", "owner", "deadline", "completion")
# Cells the table needs besides the problem column; the problem gets what is left
# (in characters, two cells each), the detail pane below shows it in full.
OTHER_CELLS = 74
MAX_PROBLEM = 40


def problem_width(screen_width: int) -> int:
    return max(4, min(MAX_PROBLEM, (screen_width - OTHER_CELLS) // 2))


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def item_cells(item: LedgerItem, today: dt.date, width: int = MAX_PROBLEM) -> list[Text]:
    """One table row; overdue stands out (red, marked), closed items step back."""
    late = item.overdue(today)
    style = "dim" if item.closed else ""
    cells = []
    for name in TABLE_COLUMNS:
        value = item.value(name)
        if name in ("problem",):
            value = _short(value, width)
        cell = Text(value, style=style)
        if name == "deadline" and late:
            cell = Text(f"{value} " + t("ledger.overdue_mark"), style="bold white on red")
        if name == "completion" and item.closed:
            cell = Text(t("ledger.status.closed"), style="green")
        if name == "seq" and item.carried_from:  # carried over from last year
            cell = Text(f"{value}↩", style=style or "italic")
        cells.append(cell)
    return cells


def item_detail(item: LedgerItem | None, today: dt.date) -> Text:
    if item is None:
        return Text(t("tui.ledger.empty"), style="dim")
    text = Text()
    for name in EDITABLE[1:]:  # the source is a column of the list itself
        value = item.value(name)
        if not value:
            continue
        text.append(column_label(name) + "：", style="bold")
        style = "bold red" if name == "deadline" and item.overdue(today) else ""
        text.append(value + "\n", style=style)
    if item.carried_from:
        text.append(t("carry.mark") + f"：{item.carried_from}", style="italic")
        if item.answered_at is not None:
            text.append(" · " + t("carry.answered"), style="bold green")
    return text


class ItemForm(ModalScreen[dict[str, Any] | None]):
    """Add or edit one item. A refused value keeps everything typed and says why."""

    BINDINGS = [
        Binding("ctrl+s", "save", t("tui.ledger.save"), priority=True),
        Binding("escape", "cancel", t("tui.ledger.cancel")),
    ]

    def __init__(self, subjects: list[str], item: LedgerItem | None, subject: str | None):
        super().__init__()
        self.subjects = subjects
        self.item = item
        self.subject = item.subject if item else (subject or subjects[0])

    def compose(self) -> ComposeResult:
        item = self.item
        title = (
            t("tui.ledger.form_title_edit", subject=item.subject, seq=item.seq)
            if item
            else t("tui.ledger.form_title_new")
        )
        with VerticalScroll(id="form"):
            yield Static(title, id="form-title")
            if item is None:
                yield Label(t("ledger.head.subject"))
                yield Select([(s, s) for s in self.subjects], value=self.subject, id="f-subject")
            yield Label(t("ledger.head.source"))
            yield Select(
                [(s, s) for s in SOURCES],
                value=item.source if item else ProblemSource.SELF_CHECK,
                allow_blank=False,
                id="f-source",
            )
            for name in ("problem", "measure", "owner", "deadline", "progress"):
                yield Label(column_label(name))
                yield Input(
                    item.value(name) if item else "",
                    placeholder=t("tui.ledger.date_hint") if name == "deadline" else "",
                    id=f"f-{name}",
                )
            yield Label(t("ledger.head.completion"))
            yield Select(
                [(c, c) for c in COMPLETIONS],
                value=item.completion if item else COMPLETIONS[0],
                allow_blank=False,
                id="f-completion",
            )
            yield Label(t("ledger.head.evidence"))
            yield Input(item.value("evidence") if item else "", id="f-evidence")
            yield Static("", id="form-error")
            yield Static(t("tui.ledger.form_keys"), id="form-keys")

    def action_save(self) -> None:
        values: dict[str, Any] = {
            name: self.query_one(f"#f-{name}", Input).value
            for name in ("problem", "measure", "owner", "progress", "evidence")
        }
        values["source"] = self.query_one("#f-source", Select).value
        values["completion"] = self.query_one("#f-completion", Select).value
        deadline = self.query_one("#f-deadline", Input).value
        try:
            values["deadline"] = parse_date(deadline)
        except ValueError:
            self._error(t("tui.ledger.bad_date", got=deadline))
            self.query_one("#f-deadline", Input).focus()
            return
        if self.item is None:
            subject = self.query_one("#f-subject", Select).value
            values["subject"] = subject if isinstance(subject, str) else self.subject
        if not values["problem"].strip():
            self._error(t("ledger.problem_needed"))
            self.query_one("#f-problem", Input).focus()
            return
        self.dismiss(values)

    def _error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message, style="bold red"))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()


class LedgerApp(SanshuApp):
    CSS_PATH = "ledger.tcss"
    ACTOR = "office"
    BINDINGS = bindings(LEDGER)
    KEYS = LEDGER

    def __init__(self, db_path: str | Path, *, clock: Clock = time.time) -> None:
        super().__init__(db_path, clock=clock)
        self.ledger = Ledger(self.store)
        self.subject: str = ALL
        self.status: str = ALL
        self.shown: list[LedgerItem] = []

    def compose(self) -> ComposeResult:
        yield Static(t("tui.ledger.title") + f" · {self.meeting.title}", id="title-bar")
        with Horizontal(id="filters"):
            yield Select(
                [(t("tui.ledger.subject_all"), ALL)]
                + [(s.name, s.name) for s in (*self.meeting.onsite, *self.meeting.written)],
                value=ALL,
                allow_blank=False,
                id="subject",
            )
            yield Select(
                [(status_label(s), s) for s in ("all", "open", "closed", "overdue")],
                value="all",
                allow_blank=False,
                id="status",
            )
            yield Label("", id="count")
        with Vertical(id="body"):
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="items")
            for name in TABLE_COLUMNS:
                table.add_column(column_label(name), key=name)
            yield table
            yield Static(id="detail")
        yield OrderedFooter(LEDGER)

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()
        self.query_one("#items", DataTable).focus()

    def meeting_changed(self) -> None:
        self.reload()

    def on_resize(self) -> None:
        if self.is_mounted:
            self.reload()

    def help_note(self) -> str:
        return t("help.ledger") + "\n\n" + super().help_note()

    @property
    def today(self) -> dt.date:
        return today_of(self.store)

    def reload(self) -> None:
        """Show the items that match the filters, keeping the highlighted one."""
        table = self.query_one("#items", DataTable)
        keep = self.current.id if self.current else None
        status = None if self.status in (ALL, "all") else ItemStatus(self.status)
        subject = None if self.subject == ALL else self.subject
        today = self.today
        self.shown = self.ledger.items(subject=subject, status=status, today=today)
        width = problem_width(self.size.width)
        table.clear()
        for item in self.shown:
            table.add_row(*item_cells(item, today, width), key=str(item.id))
        if keep is not None and any(i.id == keep for i in self.shown):
            table.move_cursor(row=table.get_row_index(str(keep)))
        everything = self.ledger.items(today=today)
        self.query_one("#count", Label).update(
            tn(
                "tui.ledger.count",
                len(self.shown),
                shown=len(self.shown),
                open=sum(not i.closed for i in everything),
                overdue=sum(i.overdue(today) for i in everything),
            )
        )
        self.show_detail()

    @property
    def current(self) -> LedgerItem | None:
        if not self.is_mounted:
            return None
        table = self.query_one("#items", DataTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def show_detail(self) -> None:
        self.query_one("#detail", Static).update(item_detail(self.current, self.today))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_edit()

    @on(Select.Changed, "#subject")
    def _subject_filter(self, event: Select.Changed) -> None:
        self.subject = str(event.value)
        self.reload()

    @on(Select.Changed, "#status")
    def _status_filter(self, event: Select.Changed) -> None:
        self.status = str(event.value)
        self.reload()

    def action_overdue(self) -> None:
        select = self.query_one("#status", Select)
        select.value = "all" if self.status == "overdue" else "overdue"

    def action_add(self) -> None:
        subjects = [s.name for s in (*self.meeting.onsite, *self.meeting.written)]
        default = None if self.subject == ALL else self.subject
        self.push_screen(ItemForm(subjects, None, default), self._added)

    def _added(self, values: dict[str, Any] | None) -> None:
        if values is None:
            return
        subject = values.pop("subject")

        def added(item_id: int) -> None:
            self.reload()
            if any(i.id == item_id for i in self.shown):
                table = self.query_one("#items", DataTable)
                table.move_cursor(row=table.get_row_index(str(item_id)))
            self.notify(t("tui.ledger.saved"))

        # A busy database keeps the item and stores it when it can; a refused value
        # (StoreError) is said in one line.
        self.write(lambda: self.ledger.add(subject, **values), then=added, wait=True)

    def action_edit(self) -> None:
        item = self.current
        if item is None:
            return
        subjects = [s.name for s in self.meeting.subjects]

        def edited(values: dict[str, Any] | None) -> None:
            if values is None:
                return

            def saved(_result: object) -> None:
                self.reload()
                self.notify(t("tui.ledger.saved"))

            self.write(lambda: self.ledger.edit(item.id, values), then=saved, wait=True)

        self.push_screen(ItemForm(subjects, item, None), edited)

    def action_close_item(self) -> None:
        """销号 the highlighted item today; on a closed item, reopen it."""
        item = self.current
        if item is None:
            return
        if item.closed:
            change, note = self.ledger.reopen, "tui.ledger.reopened"
        else:
            change, note = self.ledger.close, "tui.ledger.closed"

        def done(_result: object) -> None:
            if note == "tui.ledger.reopened":
                self.notify(t("tui.ledger.reopened", subject=item.subject, seq=item.seq))
            else:
                self.notify(t("tui.ledger.closed", subject=item.subject, seq=item.seq))
            self.reload()

        self.write(lambda: change(item.id), then=done)

    def action_answered(self) -> None:
        """A carried item was answered in this year's report (or not after all)."""
        item = self.current
        if item is None:
            return
        if not item.carried_from:
            self.notify(t("carry.not_carried"), severity="warning")
            return
        answered = item.answered_at is None

        def done(_result: object) -> None:
            if answered:
                self.notify(t("carry.marked", subject=item.subject, seq=item.seq))
            else:
                self.notify(t("carry.unmarked", subject=item.subject, seq=item.seq))
            self.reload()

        self.write(lambda: self.ledger.mark_answered(item.id, answered), then=done)
