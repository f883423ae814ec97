"""The clerk marks attendance (出席 / 请假 / 缺席) as people sign in.

`AttendanceScreen` is a screen of its own, to be pushed by the clerk's console
(or run alone: `sanshu attendance screen --db DB`). It lists everyone the meeting
file expects, by group; a digit marks the selected person and moves on; `/` finds
a name. It opens its own connection with a short busy timeout, so a write never
freezes the screen: when the database is busy (another program holds it), the mark
shows at once, is kept, said so in one line, and written again every second until
it is stored. Marks made elsewhere (`sanshu attendance mark`, another clerk) show
within a fraction of a second.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from core.errors import StoreBusy, StoreError
from core.i18n import t
from core.meeting.store import MeetingStore
from core.record.attendance import MARKS, Entry, Mark, mark_label, read_roll, set_mark
from core.store import Clock
from tui.widgets.entry import KeyedInput

POLL_S = 0.2  # how often it looks for marks written elsewhere
RETRY_S = 1.0  # how often a kept mark is written again
BUSY_TIMEOUT_MS = 150  # a busy database answers within a key press, never freezes the screen
STYLES = {Mark.PRESENT: "green", Mark.LEAVE: "yellow", Mark.ABSENT: "bold red", None: "dim"}


class AttendanceScreen(Screen[None]):
    DEFAULT_CSS = """
    AttendanceScreen { layout: vertical; }
    AttendanceScreen #att-counts { height: 1; padding: 0 1; text-style: bold; }
    AttendanceScreen #att-find { height: 3; }
    AttendanceScreen #att-table { height: 1fr; }
    AttendanceScreen #att-note { height: 1; padding: 0 1; color: $warning; }
    AttendanceScreen #att-keys { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("1", "mark('present')", show=False),
        Binding("2", "mark('leave')", show=False),
        Binding("3", "mark('absent')", show=False),
        Binding("0", "mark('')", show=False),
        Binding("delete", "mark('')", show=False),
        # `/`, and Enter / Esc in the search box, move the focus when the app reads the
        # key (priority), before the keys behind them are handed on: "/杨慧敏" typed in
        # one go lands whole in the search box, "杨慧敏⏎1" marks 杨慧敏.
        Binding("slash", "find", show=False, priority=True),
        Binding("enter", "found", show=False, priority=True),
        Binding("escape", "close", show=False, priority=True),
    ]

    def __init__(self, db_path: str | Path, *, clock: Clock = time.time) -> None:
        super().__init__()
        self.store = MeetingStore(
            db_path, actor="clerk", clock=clock, busy_timeout_ms=BUSY_TIMEOUT_MS
        )
        self.entries: tuple[Entry, ...] = read_roll(self.store).entries
        self.pending: dict[str, tuple[Mark | None, str]] = {}  # kept until stored
        self._seen_version = self.store.data_version()
        self._filter = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="att-counts")
            yield KeyedInput(placeholder=t("attendance.find"), id="att-find")
            yield DataTable(id="att-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="att-note")
            yield Static(t("attendance.keys"), id="att-keys")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("attendance.col.group"), key="group")
        table.add_column(t("attendance.col.name"), key="name")
        table.add_column(t("attendance.col.mark"), key="mark")
        self._fill()
        if not self.entries:
            self._say(t("signin.no_attendees"))
        table.focus()
        self.set_interval(POLL_S, self._follow)
        self.set_interval(RETRY_S, self._retry)

    def on_unmount(self) -> None:
        self.store.close()

    # -- what it shows ------------------------------------------------------------

    def _shown(self) -> list[Entry]:
        needle = self._filter.strip()
        return [e for e in self.entries if not needle or needle in e.name or needle in e.group]

    def _mark_of(self, entry: Entry) -> tuple[Mark | None, str, bool]:
        if entry.name in self.pending:
            mark, note = self.pending[entry.name]
            return mark, note, True
        return entry.mark, entry.note, False

    def _mark_cell(self, entry: Entry) -> Text:
        mark, note, kept = self._mark_of(entry)
        text = mark_label(mark) + (f"（{note}）" if note else "") + (" …" if kept else "")
        return Text(text, style=STYLES[mark])

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        selected = self.selected
        table.clear()
        for entry in self._shown():
            table.add_row(entry.group, entry.name, self._mark_cell(entry), key=entry.name)
        names = [e.name for e in self._shown()]
        if selected in names:
            table.move_cursor(row=names.index(selected))
        self._count()

    def _count(self) -> None:
        marks = [self._mark_of(e)[0] for e in self.entries]
        parts = "　".join(f"{mark_label(m)} {marks.count(m)}" for m in (*MARKS, None))
        self.query_one("#att-counts", Static).update(
            t("attendance.title", expected=len(self.entries), counts=parts)
        )

    def _say(self, line: str) -> None:
        self.query_one("#att-note", Static).update(line)

    @property
    def selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    # -- keys -----------------------------------------------------------------------

    def action_mark(self, value: str) -> None:
        name = self.selected
        if name is None:
            return
        mark = Mark(value) if value else None
        self.pending[name] = (mark, "")
        self._write()
        table = self.query_one(DataTable)
        table.update_cell(name, "mark", self._mark_cell(self._entry(name)))
        self._count()
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        finding = self.focused is self.query_one(Input)
        if action == "find":
            return not finding  # in the search box `/` is a character
        if action == "found":
            return finding
        return True

    def action_find(self) -> None:
        self.set_focus(self.query_one(Input))  # at once, not after the queued keys

    def action_found(self) -> None:
        self.set_focus(self.query_one(DataTable))

    def action_close(self) -> None:
        if self.focused is self.query_one(Input):
            self.set_focus(self.query_one(DataTable))
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    @on(Input.Changed, "#att-find")
    def _find(self, event: Input.Changed) -> None:
        self._filter = event.value
        self._fill()

    def _entry(self, name: str) -> Entry:
        return next(e for e in self.entries if e.name == name)

    # -- the database -------------------------------------------------------------

    def _write(self) -> None:
        """Store every kept mark; what cannot be stored now stays kept, said in one line."""
        for name, (mark, note) in list(self.pending.items()):
            try:
                set_mark(self.store, name, mark, note)
            except StoreBusy:
                self._say(t("attendance.busy"))
                return
            except (StoreError, sqlite3.Error) as exc:
                self._say(t("attendance.not_stored", detail=exc))
                return
            del self.pending[name]
            self.entries = tuple(
                Entry(e.name, e.group, mark, note) if e.name == name else e for e in self.entries
            )
        self._say("")

    def _retry(self) -> None:
        if self.pending:
            self._write()
            if not self.pending:
                self._reload()

    def _follow(self) -> None:
        try:
            version = self.store.data_version()
        except sqlite3.Error:
            return
        if version != self._seen_version:
            self._seen_version = version
            self._reload()

    def _reload(self) -> None:
        try:
            self.entries = read_roll(self.store).entries
        except sqlite3.Error:
            return  # read again at the next look
        self._fill()


class AttendanceApp(App[None]):
    """The marking screen on its own (`sanshu attendance screen`)."""

    TITLE = "三述"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", show=False)]

    def __init__(self, db_path: str | Path, *, clock: Clock = time.time) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.clock = clock

    def on_mount(self) -> None:
        self.push_screen(AttendanceScreen(self.db_path, clock=self.clock))
