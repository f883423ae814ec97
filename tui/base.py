"""What every sanshu console shares: a crash never shows a traceback to the user."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from rich.console import Console
from textual.app import App

from core.i18n import t
from core.record import Record
from core.store import Clock, MeetingState, MeetingStore
from tui.paths import crash_log

POLL_S = 0.25  # how often a console looks for other processes' writes


class SanshuApp(App[None]):
    """A console on one meeting database: it follows what other processes write."""

    TITLE = "三述"
    ENABLE_COMMAND_PALETTE = False  # every action has its own key
    ACTOR = "console"  # who the audit events name

    def __init__(self, db_path: str | Path, *, clock: Clock = time.time) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.clock = clock
        self.store = MeetingStore(db_path, actor=self.ACTOR, clock=clock)
        self.meeting = self.store.meeting
        self.record = Record(self.store)
        self.state: MeetingState = self.store.state()
        self._seen_version = self.store.data_version()

    def on_mount(self) -> None:
        self.set_interval(POLL_S, self.watch_database)

    def on_unmount(self) -> None:
        self.store.close()

    def watch_database(self) -> None:
        """PRAGMA data_version moves when another connection commits: reload then."""
        version = self.store.data_version()
        if version != self._seen_version:
            self._seen_version = version
            self.state = self.store.state()
            self.meeting_changed()

    def meeting_changed(self) -> None:
        """Show `self.state` (and whatever else another process may have written)."""

    def _print_error_renderables(self) -> None:
        """Textual would print the traceback; we keep it in a log and say so in Chinese.

        The meeting itself is safe: every change was committed when it happened.
        """
        if not self._exit_renderables:
            return
        log = crash_log()
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {dt.datetime.now().isoformat()} {type(self).__name__}\n")
            console = Console(file=handle, width=120, color_system=None)
            for renderable in self._exit_renderables:
                console.print(renderable)
        self._exit_renderables.clear()
        self.error_console.print(t("cli.crash", log=log), style="red", highlight=False)
