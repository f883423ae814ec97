"""What every sanshu console shares: it follows the database, every write a key makes
goes through one path that survives a busy, read-only or full database, and a crash
never shows a traceback to the user."""

from __future__ import annotations

import io
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.app import App
from textual.theme import BUILTIN_THEMES, Theme

from core.ballots.turnout import Counts, ballot_signature, count
from core.errors import StoreBusy, StoreError
from core.i18n import t, tn
from core.meeting.agenda import MeetingState
from core.meeting.store import MeetingStore
from core.record.entries import Record
from core.store import Clock
from tui.keys import Key
from tui.widgets.help import HelpPanel, key_rows

# How often a console looks for other processes' writes. PRAGMA data_version costs
# microseconds, so 20 Hz keeps a clerk's entry on the podium within ~0.1 s at no
# measurable CPU; the real work runs only when it moved.
POLL_S = 0.05
# A key's write waits this long for another process's lock, then says so: the screen
# thread never freezes for the store's usual 10 s.
WRITE_WAIT_MS = 250
RETRY_S = 1.0  # a write that can wait is tried again this often
SAY_AGAIN_S = 3.0  # the same one-line note is not repeated within this time


# One background everywhere (#19 §8): Textual's dark theme paints #121212, which a
# 256-colour terminal (tmux, most projector PCs) shows beside its own black as grey
# bands behind the QR code and the clock. Black is black in every colour mode.
THEME = Theme(
    **{
        **vars(BUILTIN_THEMES["textual-dark"]),
        "name": "sanshu",
        "background": "#000000",
        "surface": "#1c1c1c",
        "panel": "#262626",
    }
)


@dataclass(frozen=True)
class WriteProblem:
    """Why a write could not happen now, in the user's words."""

    cause: str
    transient: bool  # busy or locked: it will pass by itself


def write_problem(exc: BaseException) -> WriteProblem | None:
    """The database refused a write (busy, locked, read-only, full, gone): say why.
    None: not the database's doing (a bug, which must not be hidden)."""
    text = str(exc).lower()
    if isinstance(exc, StoreBusy) or (
        isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)
    ):
        return WriteProblem(t("write.busy"), True)
    if isinstance(exc, sqlite3.Error | OSError):
        if "readonly" in text or "read-only" in text or "read only" in text:
            return WriteProblem(t("write.read_only"), False)
        if "full" in text or getattr(exc, "errno", None) == 28:  # ENOSPC
            return WriteProblem(t("write.full"), False)
        return WriteProblem(t("write.failed", detail=str(exc)[:120]), False)
    return None


@dataclass
class _Waiting:
    change: Callable[[], Any]
    then: Callable[[Any], None] | None
    key: str | None  # a newer write with the same key replaces this one


class SanshuApp(App[None]):
    """A console on one meeting database: it follows what other processes write."""

    TITLE = "三述"
    ENABLE_COMMAND_PALETTE = False  # every action has its own key
    ACTOR = "console"  # who the audit events name
    KEYS: tuple[Key, ...] = ()  # this console's part of the key table (tui/keys.py)

    def __init__(self, db_path: str | Path, *, clock: Clock = time.time) -> None:
        super().__init__()
        self.register_theme(THEME)
        self.theme = THEME.name
        # Textual prints its own traceback, with local variables (a paper ballot's
        # grades, say), to this console as it exits: it goes nowhere. The crash report
        # (tui/crash.py) keeps what a developer needs and nothing a voter chose.
        self.error_console = Console(file=io.StringIO(), color_system=None)
        self.crash: BaseException | None = None
        self.db_path = Path(db_path)
        self.clock = clock
        self.store = MeetingStore(
            db_path, actor=self.ACTOR, clock=clock, busy_timeout_ms=WRITE_WAIT_MS
        )
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
        self._waiting: list[_Waiting] = []  # writes kept for a retry, in the order made
        self._said: dict[str, float] = {}  # note → when it was last shown

    def on_mount(self) -> None:
        self.set_interval(POLL_S, self.watch_database)
        self.set_interval(RETRY_S, self.retry_writes)

    # -- every write a key makes goes through here ----------------------------------

    def write(
        self,
        change: Callable[[], Any],
        *,
        then: Callable[[Any], None] | None = None,
        wait: bool = False,
        key: str | None = None,
        quiet: bool = False,
    ) -> bool:
        """Make one change to the meeting database; True when it is stored.

        When the database cannot take it (another process holds the write lock, the
        file is read-only, the disk is full) the console says so in one line and keeps
        answering. A change that `wait`s (its meaning does not depend on the moment:
        a logged entry, the projector's blanking) is kept and retried, in order,
        until it is stored; any other (a clock, the agenda, scoring) is refused, so
        the screen goes on showing what the database really holds. `then` runs with
        the change's result once it is stored; `quiet`: a best-effort write that says
        nothing when it cannot happen."""
        if wait and self._waiting:  # behind the writes already waiting, in order
            self._keep(change, then, key)
            return False
        try:
            result = change()
        except Exception as exc:
            problem = write_problem(exc)
            if problem is None:
                if isinstance(exc, StoreError) and not isinstance(exc, StoreBusy):
                    self.say(str(exc), severity="error")  # a refusal the user can act on
                    return False
                raise
            self._end_transaction()
            if quiet:
                return False
            if wait:
                self._keep(change, then, key)
                self.say(t("write.kept", cause=problem.cause))
            else:
                self.say(t("write.refused", cause=problem.cause))
            return False
        if then is not None:
            then(result)
        return True

    @property
    def writes_waiting(self) -> int:
        return len(self._waiting)

    def _keep(self, change: Callable[[], Any], then: Callable[[Any], None] | None, key) -> None:
        if key is not None:
            self._waiting = [w for w in self._waiting if w.key != key]
        self._waiting.append(_Waiting(change, then, key))

    def retry_writes(self) -> None:
        """Store the writes that waited, oldest first; stop at the first that still
        cannot be stored."""
        done = 0
        while self._waiting and self.is_running:
            waiting = self._waiting[0]
            try:
                result = waiting.change()
            except Exception as exc:
                if write_problem(exc) is None and not isinstance(exc, StoreError):
                    raise
                self._end_transaction()
                if write_problem(exc) is None:  # refused for good (e.g. scoring closed)
                    self._waiting.pop(0)
                    self.say(str(exc), severity="error")
                    continue
                return
            self._waiting.pop(0)
            done += 1
            if waiting.then is not None:
                waiting.then(result)
        if done:
            self.say(tn("write.caught_up", done), severity="information")

    def _end_transaction(self) -> None:
        """A commit that failed (a full disk) can leave the transaction open."""
        try:
            if self.store.conn.in_transaction:
                self.store.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def say(self, note: str, *, severity: str = "warning") -> None:
        """One line for the operator; the same line is not repeated within a few
        seconds (a clicker pressed ten times gets one note, not ten)."""
        now = self.clock()
        if now - self._said.get(note, -SAY_AGAIN_S) < SAY_AGAIN_S:
            return
        self._said[note] = now
        self.notify(note, severity=severity, timeout=4)  # type: ignore[arg-type]

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
        try:
            version = self.store.data_version()
            if version == self._seen_version:
                return
            state = self.store.state()
        except (sqlite3.Error, StoreError):
            return  # the file is busy being rewritten: look again at the next poll
        self._seen_version = version
        self.state = state
        self.meeting_changed()

    @property
    def dialog_open(self) -> bool:
        return len(self.screen_stack) > 1

    def action_help(self) -> None:
        """`?` / F1: this console's keys and what the moment expects of the operator."""
        if isinstance(self.screen, HelpPanel):
            self.screen.dismiss(None)
            return
        if self.dialog_open:
            return  # a question is waiting for its answer
        title = t("help.title", console=self.title)
        self.push_screen(HelpPanel(title, key_rows(self, self.KEYS), self.help_note()))

    def help_note(self) -> str:
        """What the operator is expected to do now (each console says its own)."""
        return t("help.database", path=self.db_path)

    def action_help_quit(self) -> None:
        """Textual's Ctrl+C hint is English; ours says it in the console's language."""
        self.notify(t("app.quit_hint"))

    def meeting_changed(self) -> None:
        """Show `self.state` (and whatever else another process may have written)."""

    # -- a crash: one report, no traceback on the screen ---------------------------

    def run(self, *args: Any, **kwargs: Any) -> None:
        """Run the console; if it ends in a crash, write a report and say where it is
        (the meeting itself is safe: every change was committed when it happened)."""
        result = super().run(*args, **kwargs)
        if self.return_code == 1:  # Textual's code for an unhandled error
            from tui.crash import report_crash

            report_crash(self.crash, type(self).__name__)
        return result

    def _handle_exception(self, error: Exception) -> None:
        """Keep the error for the report. The one private name the consoles use, and
        only for the report's details: if a Textual release renamed it, the console
        still exits with one Chinese line and a report, without the stack."""
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)
