"""A phase timer stored as instants, never as ticks.

Remaining time is a pure function of the stored instants and the clock, so it
never drifts and a restarted console shows exactly what the old one would have.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

Level = Literal["idle", "normal", "warning", "danger", "overtime"]


@dataclass(frozen=True)
class Timer:
    duration: float  # seconds the phase is planned to take
    started_at: float | None = None  # epoch seconds of the first start
    paused_at: float | None = None  # set while paused
    paused_total: float = 0.0  # seconds spent paused since started_at
    added: float = 0.0  # seconds added (+) or taken away (-) by the host

    @property
    def started(self) -> bool:
        return self.started_at is not None

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.paused_at is None

    def elapsed(self, now: float) -> float:
        if self.started_at is None:
            return 0.0
        end = self.paused_at if self.paused_at is not None else now
        return max(0.0, end - self.started_at - self.paused_total)

    def remaining(self, now: float) -> float:
        return self.duration + self.added - self.elapsed(now)


def start(timer: Timer, now: float) -> Timer:
    if timer.started_at is None:
        return replace(timer, started_at=now, paused_at=None)
    if timer.paused_at is not None:
        return replace(
            timer, paused_at=None, paused_total=timer.paused_total + now - timer.paused_at
        )
    return timer


def pause(timer: Timer, now: float) -> Timer:
    return replace(timer, paused_at=now) if timer.running else timer


def toggle(timer: Timer, now: float) -> Timer:
    return pause(timer, now) if timer.running else start(timer, now)


def adjust(timer: Timer, seconds: float) -> Timer:
    return replace(timer, added=timer.added + seconds)


def reset(timer: Timer, duration: float | None = None) -> Timer:
    return Timer(duration=timer.duration if duration is None else duration)


def level(timer: Timer, now: float, warning: float, danger: float) -> Level:
    """Colour band of the timer: thresholds are seconds left."""
    if not timer.started:
        return "idle"
    left = timer.remaining(now)
    if left < 0:
        return "overtime"
    if left <= danger:
        return "danger"
    if left <= warning:
        return "warning"
    return "normal"


def format_seconds(seconds: float) -> str:
    """`7:59`, `-0:03`: whole seconds, overtime with a minus sign.

    Remaining time is shown rounded up while positive (a countdown reads 0:01
    until the last second is over) and overtime rounded down.
    """
    if seconds > 0:
        whole = math.ceil(seconds - 1e-9)
        sign = ""
    else:
        whole = math.floor(-seconds + 1e-9)
        sign = "-" if whole > 0 else ""
    minutes, secs = divmod(whole, 60)
    return f"{sign}{minutes}:{secs:02d}"
