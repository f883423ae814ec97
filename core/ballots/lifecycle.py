"""A result's life: scoring open → closed → results shown.

Once scoring is closed the result is final: ballots (imported, paper, confirmed),
daily scores and printed slips change only after scoring is reopened with a reason
(`sanshu poll open --reason`, the podium's `v`), which the event log keeps and the
podium's results and the minutes show ("结果于 15:42 因……重新计算"). The committee's
override of a final grade stays possible after the close: it carries its own reason
and its own event. Every change refused here is refused inside the transaction that
would make it (`ensure_changeable`), so no program gets round it.

What a result was computed from is its fingerprint (core/ballots/fingerprint.py);
closing records it, so a paper's code can be placed in the meeting's history
(`history_of`).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from enum import StrEnum

from core.errors import StoreError
from core.i18n import t
from core.meeting.model import Phase, Poll
from core.meeting.store import MeetingStore
from core.store import Event

FIXED = "tally.fixed"  # the event recording a result's fingerprint as scoring closes
OVERRIDE = "tally.override"


class Stage(StrEnum):
    NOT_OPEN = "not_open"  # scoring not opened yet: anything may still come in
    OPEN = "open"  # phones vote (maybe reopened, with a reason)
    CLOSED = "closed"  # the result is final
    SHOWN = "shown"  # final, and the podium has shown it


@dataclass(frozen=True)
class Reopening:
    at: float
    reason: str
    closed_at: float | None  # None: still open


@dataclass(frozen=True)
class Lifecycle:
    stage: Stage
    closed_at: float | None  # the latest close
    shown_at: float | None  # when the podium went to the results after that close
    reopenings: tuple[Reopening, ...]


class ResultsFinal(StoreError):
    """Scoring is closed: this change would alter a final result without a trace."""


def lifecycle(store: MeetingStore) -> Lifecycle:
    """Where the result stands, from the poll and the event log."""
    poll = store.poll()
    reopenings: list[Reopening] = []
    closed_at: float | None = None
    for event in store.events("poll."):
        if event.kind == "poll.closed":
            closed_at = event.at
            if reopenings and reopenings[-1].closed_at is None:
                last = reopenings[-1]
                reopenings[-1] = Reopening(last.at, last.reason, event.at)
        elif event.kind == "poll.open" and event.payload.get("from") == Poll.CLOSED:
            reopenings.append(Reopening(event.at, str(event.payload.get("reason", "")), None))
    shown_at = None
    if poll == Poll.CLOSED and closed_at is not None:
        shown_at = next(
            (
                e.at
                for e in store.events("agenda.moved")
                if e.at >= closed_at and e.payload.get("phase") == Phase.RESULTS
            ),
            closed_at if store.state().step.phase == Phase.RESULTS else None,
        )
    if poll == Poll.CLOSED:
        stage = Stage.SHOWN if shown_at is not None else Stage.CLOSED
    else:
        stage = Stage.OPEN if poll == Poll.OPEN else Stage.NOT_OPEN
    return Lifecycle(stage, closed_at if poll == Poll.CLOSED else None, shown_at, tuple(reopenings))


def ensure_changeable(store: MeetingStore, change: str) -> None:
    """Refuse `change` (what the user tried, in their words) once scoring is closed,
    saying how to reopen it. Call inside the transaction that makes the change."""
    if store.poll() != Poll.CLOSED:
        return
    life = lifecycle(store)
    closed = moment_text(store, life.closed_at)
    if life.shown_at is not None:
        closed = t(
            "results.closed_and_shown", closed=closed, shown=moment_text(store, life.shown_at)
        )
    raise ResultsFinal(t("results.final", change=change, closed=closed, db=store.path))


def moment_text(store: MeetingStore, instant: float | None) -> str:
    """15:42 on the meeting's day; 2月5日 10:12 on another day of its year; with the
    year (2026年12月7日 02:02) in another year, so no paper dated 2024 seems to say a
    recount of 2024 happened on 12月7日."""
    if instant is None:
        return "—"
    local = time.localtime(instant)
    clock = time.strftime("%H:%M", local)
    day = dt.date(local.tm_year, local.tm_mon, local.tm_mday)
    if day == store.meeting.date:
        return clock
    if day.year != store.meeting.date.year:
        return t("results.date_and_time", year=day.year, month=day.month, day=day.day, time=clock)
    return t("results.day_and_time", month=day.month, day=day.day, time=clock)


def recomputed_lines(store: MeetingStore, life: Lifecycle | None = None) -> list[str]:
    """Each reopening, as the podium's results and the minutes say it."""
    life = life or lifecycle(store)
    lines = []
    for reopening in life.reopenings:
        if reopening.closed_at is None:
            lines.append(
                t(
                    "results.reopened_now",
                    time=moment_text(store, reopening.at),
                    reason=reopening.reason,
                )
            )
        else:
            lines.append(
                t(
                    "results.recomputed",
                    time=moment_text(store, reopening.closed_at),
                    reopened=moment_text(store, reopening.at),
                    reason=reopening.reason,
                )
            )
    return lines


def fingerprint_events(store: MeetingStore) -> list[Event]:
    """The events that recorded a result's fingerprint: each close, each override."""
    return [
        e
        for e in (*store.events(FIXED), *store.events(OVERRIDE))
        if isinstance(e.payload.get("fingerprint"), str)
    ]


def history_of(store: MeetingStore, code: str) -> tuple[Event | None, list[str]]:
    """When a result with fingerprint `code` stood (the latest event that recorded it),
    and what changed the result after it, one line each (None: never recorded here)."""
    recorded = [e for e in fingerprint_events(store) if e.payload["fingerprint"] == code]
    if not recorded:
        return None, []
    since = max(recorded, key=lambda e: e.id)
    lines = []
    for event in store.events():
        if event.id <= since.id:
            continue
        when = moment_text(store, event.at)
        payload = event.payload
        if event.kind == "poll.open" and payload.get("from") == Poll.CLOSED:
            lines.append(t("check.reopened", time=when, reason=payload.get("reason", "")))
        elif event.kind == "poll.closed":
            lines.append(t("check.closed", time=when))
        elif event.kind == OVERRIDE:
            lines.append(
                t(
                    "check.override",
                    time=when,
                    subject=payload.get("subject", ""),
                    grade=payload.get("grade", ""),
                    reason=payload.get("reason", ""),
                )
            )
    return since, lines
