"""What every sanshu console shares: a crash never shows a traceback to the user."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

from rich.console import Console
from textual.app import App

from core.ballots.turnout import Counts, ballot_signature, count
from core.i18n import t
from core.meeting.agenda import MeetingState
from core.meeting.store import MeetingStore
from core.record.entries import Record
from core.store import Clock
from tui.paths import crash_log

# How often a console looks for other processes' writes. PRAGMA data_version costs
# microseconds, so 20 Hz keeps a clerk's entry on the podium within ~0.1 s at no
# measurable CPU; the real work runs only when it moved.
POLL_S = 0.05


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
        self.counts: Counts | None = None  # turnout and tally, from the worker
        self._count_lock = threading.Lock()
        self._count_request = 0
        self._worker_store: MeetingStore | None = None
        self._first_frame_shown = False
        self._deferred_counts: bool | None = None  # with_tally, asked before the first frame

    def on_mount(self) -> None:
        self.set_interval(POLL_S, self.watch_database)

    def on_ready(self) -> None:
        """The first frame is on the screen: now count what it asked for."""
        self._first_frame_shown = True
        if self._deferred_counts is not None:
            self.request_counts(with_tally=self._deferred_counts)
            self._deferred_counts = None

    def on_unmount(self) -> None:
        self.store.close()
        with self._count_lock:
            if self._worker_store is not None:
                self._worker_store.close()

    # -- what grows with ballots is counted in a worker thread ------------------

    def request_counts(self, *, with_tally: bool) -> None:
        """Recount turnout (and the tally) off the screen thread, if anything changed."""
        if not self._first_frame_shown:
            # Counting loads the ballot and tally code (~40 ms) and competes with the
            # screen thread for the interpreter: the first frame comes first (#14 §2).
            self._deferred_counts = with_tally
            return
        self._count_request += 1
        request = self._count_request
        self.run_worker(
            lambda: self._count(request, with_tally),
            thread=True,
            group="counts",
            exit_on_error=False,
        )

    def _count(self, request: int, with_tally: bool) -> None:
        try:
            counts = self._count_now(request, with_tally)
        except Exception as exc:  # a busy or damaged file: say so, keep the console up
            if self.is_running:
                self.call_from_thread(
                    self.notify, t("counts.failed", detail=str(exc)), severity="error"
                )
                retry = lambda: self.request_counts(with_tally=with_tally)  # noqa: E731
                self.call_from_thread(self.set_timer, 2.0, retry)
            return
        if counts is not None and self.is_running:
            self.call_from_thread(self._counts_ready, counts)

    def _count_now(self, request: int, with_tally: bool) -> Counts | None:
        with self._count_lock:
            if request != self._count_request:
                return None  # a newer request follows; it will do the work
            if self._worker_store is None:  # this worker's own connection, reused
                self._worker_store = MeetingStore(self.db_path, actor=self.ACTOR, clock=self.clock)
            store = self._worker_store
            known = self.counts
            unchanged = known is not None and ballot_signature(store) == known.signature
            if unchanged and (known.tally is not None or not with_tally):
                return None  # nothing that affects turnout or the tally changed
            return count(store, with_tally=with_tally)

    def _counts_ready(self, counts: Counts) -> None:
        self.counts = counts
        if self.is_running:
            self.counts_changed(counts)

    def counts_changed(self, counts: Counts) -> None:
        """Show new turnout / tally figures."""

    def watch_database(self) -> None:
        """PRAGMA data_version moves when another connection commits: reload then."""
        if not self.is_running:
            return  # shutting down: the widgets are going
        version = self.store.data_version()
        if version != self._seen_version:
            self._seen_version = version
            self.state = self.store.state()
            self.meeting_changed()

    def action_help_quit(self) -> None:
        """Textual's Ctrl+C hint is English; ours says it in the console's language."""
        self.notify(t("app.quit_hint"))

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
