"""A meeting's database, read as the meeting: its definition, the agenda with each
step's timer, where the meeting stands and whether scoring is open.

Every change is one short transaction with its audit event, so a console killed
at any moment restarts exactly where it was (timers are stored as instants).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from core.errors import StoreError
from core.i18n import t
from core.meeting import timer as timers
from core.meeting.agenda import AgendaStep, MeetingState, step_from_row, step_payload
from core.meeting.definition import write_definition
from core.meeting.file import parse_meeting
from core.meeting.model import Meeting, Phase, Poll
from core.meeting.timer import Timer
from core.store import HISTORY_PENDING, Clock, Store, prepare_new_file


class MeetingStore(Store):
    """A process's handle on one meeting: the store, with the meeting it holds."""

    def __init__(
        self,
        path: str | Path,
        *,
        actor: str = "host",
        clock: Clock = time.time,
        busy_timeout_ms: int | None = None,
    ):
        super().__init__(path, actor=actor, clock=clock, busy_timeout_ms=busy_timeout_ms)
        row = self.conn.execute("SELECT source, source_name FROM meeting WHERE id = 1").fetchone()
        if row is None:
            self.close()
            raise StoreError(t("db.not_sanshu", path=self.path))
        self.meeting: Meeting = parse_meeting(row[0], row[1])
        self.meeting_source: str = row[0]  # the rules as written: part of a result's fingerprint
        self._ids: dict[str, dict[str, int]] = {}

    @classmethod
    def create(
        cls,
        path: str | Path,
        source: str,
        source_name: str,
        *,
        force: bool = False,
        clock: Clock = time.time,
    ) -> MeetingStore:
        """Create a meeting database from a meeting file's text (already validated or not)."""
        path = Path(path)
        meeting = parse_meeting(source, source_name)
        prepare_new_file(path, force=force)
        with Store(path, actor="organiser", clock=clock, new=True) as new, new.transaction():
            write_definition(new.db, meeting, source, source_name)
            new.record("meeting.created", {"source": source_name, "title": meeting.title})
        return cls(path, clock=clock)

    # -- the definition (written once at init, so read once) -------------------------

    def ids(self, table: str) -> dict[str, int]:
        """Name → id for subjects or criteria."""
        if table not in self._ids:
            if table not in ("subjects", "criteria"):
                raise ValueError(table)
            rows = self.conn.execute(f"SELECT id, name FROM {table}")
            self._ids[table] = {name: row_id for row_id, name in rows}
        return self._ids[table]

    def names(self, table: str) -> dict[int, str]:
        """Id → name for subjects or criteria."""
        return {row_id: name for name, row_id in self.ids(table).items()}

    # -- where the meeting stands ------------------------------------------------------

    def state(self) -> MeetingState:
        names = {row[0]: row[1] for row in self.conn.execute("SELECT id, name FROM subjects")}
        cursor = self.conn.execute("SELECT * FROM agenda ORDER BY position")
        columns = [column[0] for column in cursor.description]
        steps = tuple(step_from_row(dict(zip(columns, row, strict=True)), names) for row in cursor)
        row = self.conn.execute("SELECT position, poll FROM state WHERE id = 1").fetchone()
        return MeetingState(position=row[0], steps=steps, poll=Poll(row[1]))

    def poll(self) -> Poll:
        return Poll(self.conn.execute("SELECT poll FROM state WHERE id = 1").fetchone()[0])

    # -- the agenda and its timers -----------------------------------------------------

    def _save_timer(self, position: int, timer: Timer) -> None:
        self.conn.execute(
            "UPDATE agenda SET started_at = ?, paused_at = ?, paused_total = ?, added = ? "
            "WHERE position = ?",
            [timer.started_at, timer.paused_at, timer.paused_total, timer.added, position],
        )

    def _change_timer(
        self, kind: str | None, change: Callable[[Timer, float], Timer]
    ) -> MeetingState:
        """Apply `change` to the current step's timer; `kind` None: started or paused."""
        with self.transaction():
            state = self.state()
            step = state.step
            if step.timer is None:
                return state
            now = self.clock()
            new = change(step.timer, now)
            kind = kind or ("timer.started" if new.running else "timer.paused")
            self._save_timer(step.position, new)
            self.record(
                kind,
                {
                    **step_payload(step),
                    "remaining_s": round(new.remaining(now), 3),
                    "timer": asdict(new),
                },
            )
        return self.state()

    def toggle_timer(self) -> MeetingState:
        return self._change_timer(None, timers.toggle)

    def adjust_timer(self, seconds: float) -> MeetingState:
        return self._change_timer("timer.adjusted", lambda tm, _now: timers.adjust(tm, seconds))

    def reset_timer(self) -> MeetingState:
        """Back to the phase's duration; the event keeps the time used before (minutes)."""
        with self.transaction():
            state = self.state()
            step = state.step
            if step.timer is None:
                return state
            now = self.clock()
            self._save_timer(step.position, timers.reset(step.timer))
            self.record(
                "timer.reset",
                {
                    **step_payload(step),
                    "used_s": round(step.timer.elapsed(now), 3),
                    "before": asdict(step.timer),
                    "remaining_s": step.timer.duration,
                },
            )
        return self.state()

    def move(self, delta: int) -> MeetingState:
        """Go to the next (+1) or previous (-1) agenda step.

        The step we leave is paused (its used time is kept for the minutes);
        the step we enter keeps what it had, and starts itself only when the
        meeting file says `auto_start` and it has never run.
        """
        with self.transaction():
            state = self.state()
            target = state.position + delta
            if not 0 <= target < len(state.steps):
                return state
            now = self.clock()
            old = state.step
            if old.timer is not None and old.timer.running:
                self._save_timer(old.position, timers.pause(old.timer, now))
            new = state.steps[target]
            if new.timer is not None and self._starts_on_arrival(new, state.poll):
                self._save_timer(new.position, timers.start(new.timer, now))
            self.conn.execute("UPDATE state SET position = ? WHERE id = 1", [target])
            self.record("agenda.moved", {"from": old.position, "to": target, **step_payload(new)})
        return self.state()

    @staticmethod
    def _starts_on_arrival(step: AgendaStep, poll: Poll) -> bool:
        """A step's clock starts as the agenda reaches it when the file says `auto_start`
        and it never ran; 测评's clock runs with the voting instead: it starts when
        scoring opens, and again on coming back while phones vote."""
        if step.timer is None:
            return False
        if step.phase == Phase.SCORING:
            return poll == Poll.OPEN and not step.timer.running
        auto = step.timing is not None and step.timing.auto_start
        return auto and not step.timer.started

    # -- scoring open or closed ----------------------------------------------------------

    def set_poll(
        self, poll: Poll | str, reason: str = "", *, forget_now: bool = True
    ) -> MeetingState:
        """Open or close scoring. Reopening a closed poll needs a reason (an event).

        Closing erases every link from a slip to a ballot (the schema's trigger
        empties `revision_links` in the same transaction) and rewrites the file
        (`forget_history`), which takes seconds on a very large database and waits for
        other programs' readers: a console passes `forget_now=False` and calls it off
        its screen thread; whoever says scoring is closed asks `history_erased()`."""
        poll = Poll(poll)
        with self.transaction():
            before = self.poll()
            if before == poll:
                return self.state()
            if before == Poll.CLOSED and poll == Poll.OPEN and not reason.strip():
                raise StoreError(t("poll.reopen_needs_reason"))
            self.conn.execute(
                "UPDATE state SET poll = ?, poll_changed_at = ? WHERE id = 1", [poll, self.clock()]
            )
            self.record(f"poll.{poll}", {"from": before, "reason": reason})
            # Closing promises the voting history is erased (`forget_history` clears the
            # mark once it is); reopening takes the promise back until the next close.
            self.set_meta(HISTORY_PENDING, "1" if poll == Poll.CLOSED else None)
            if poll == Poll.CLOSED:
                self._stop_scoring_timers()
            else:
                self._start_scoring_timers()
        if poll == Poll.CLOSED and forget_now:
            self.forget_history()
        return self.state()

    def _start_scoring_timers(self) -> None:
        """Scoring opened: its clock starts (or goes on) with it."""
        self._scoring_timers(running=True)

    def _stop_scoring_timers(self) -> None:
        """Scoring closed: its clock stops too (inside the closing transaction)."""
        self._scoring_timers(running=False)

    def _scoring_timers(self, *, running: bool) -> None:
        now = self.clock()
        change = timers.start if running else timers.pause
        kind = "timer.started" if running else "timer.paused"
        for step in self.state().steps:
            if step.phase == Phase.SCORING and step.timer is not None:
                if step.timer.running == running:
                    continue
                new = change(step.timer, now)
                self._save_timer(step.position, new)
                self.record(
                    kind,
                    {
                        **step_payload(step),
                        "remaining_s": round(new.remaining(now), 3),
                        "timer": asdict(new),
                    },
                )

    # -- the projector (the host's clicker can blank it) --------------------------------

    def projector_blank(self) -> bool:
        return self.meta("projector_blank") == "1"

    def set_projector_blank(self, blank: bool) -> None:
        with self.transaction():
            self.set_meta("projector_blank", "1" if blank else "0")
            self.record("projector.blank" if blank else "projector.shown", {})
