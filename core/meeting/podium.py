"""The podium's rules: one podium per meeting, and which key may act when.

One podium per meeting: an OS file lock beside the database.

The lock is held by the open file descriptor, so the kernel releases it when the
process ends in any way, `kill -9` included: a crashed console never blocks its
own restart.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from core.i18n import t
from core.meeting.agenda import MeetingState
from core.meeting.model import Phase, Poll

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no podium lock
    fcntl = None  # type: ignore[assignment]


class PodiumBusy(Exception):
    pass


class PodiumLock:
    def __init__(self, db_path: str | Path):
        self.path = Path(f"{db_path}.podium.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise PodiumBusy(str(self.path)) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None

    def __enter__(self) -> PodiumLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# ---------------------------------------------------------------------------
# Which podium key may act now: a key in front of 70 people never surprises.


class Decision(StrEnum):
    ACT = "act"  # do it now
    ASK = "ask"  # confirm first
    REASON = "reason"  # ask for a written reason first
    REFUSE = "refuse"  # do nothing, say where the key works


# The short names the podium console imports.
ACT, ASK, REASON, REFUSE = Decision.ACT, Decision.ASK, Decision.REASON, Decision.REFUSE


@dataclass(frozen=True)
class Verdict:
    """What a key press does in the current state.

    `act`: do it now; `ask`: confirm first (`message` is the question);
    `reason`: ask for a written reason first; `refuse`: do nothing and show
    `message` (a one-line note saying where the key works). The texts are in the
    current language.
    """

    do: Decision
    message: str = ""
    yes: str = ""  # the confirm button's label, when asking


def judge(action: str, state: MeetingState) -> Verdict:
    """The podium's guard for one action (pure: the state decides)."""
    step = state.step
    scoring = step.phase == Phase.SCORING
    if action == "toggle_poll":
        if not scoring:
            return Verdict(REFUSE, t("guard.poll_only_in_scoring"))
        if state.poll == Poll.NOT_OPEN:
            return Verdict(ACT)
        if state.poll == Poll.OPEN:
            return Verdict(ASK, t("poll.close_confirm"), t("poll.confirm_yes"))
        return Verdict(REASON, t("poll.reopen_prompt"))
    if action == "show_results":
        if state.poll != Poll.CLOSED:
            return Verdict(REFUSE, t("guard.results_after_close"))
        if step.phase not in (Phase.SCORING, Phase.RESULTS):
            return Verdict(REFUSE, t("guard.results_from_scoring"))
        return Verdict(ACT)
    if action in ("next_phase", "previous_phase"):
        if scoring and state.poll == Poll.OPEN:
            return Verdict(ASK, t("guard.leave_open_scoring"), t("guard.leave_yes"))
        if scoring and state.poll == Poll.NOT_OPEN and action == "next_phase":
            # On to 结果 with no ballot cast: a clicker's press must not do that by itself.
            return Verdict(ASK, t("guard.leave_unopened_scoring"), t("guard.leave_yes"))
        return Verdict(ACT)
    if action == "toggle_timer" and scoring and state.poll != Poll.OPEN:
        # 测评's clock is the voting's: it starts when scoring opens and stops at close.
        if state.poll == Poll.NOT_OPEN:
            return Verdict(REFUSE, t("guard.scoring_clock_not_open"))
        return Verdict(REFUSE, t("guard.scoring_clock_closed"))
    if action == "reset_timer":
        if step.timer is not None and step.timer.started:
            return Verdict(ASK, t("timer.reset_confirm"), t("timer.reset_yes"))
        return Verdict(ACT)
    return Verdict(ACT)


class Debounce:
    """A held or bouncing clicker key moves one step: a repeat within `window`
    seconds of the last accepted press is ignored."""

    def __init__(self, clock: Callable[[], float], window: float = 1.0):
        self.clock = clock
        self.window = window
        self._last: float | None = None

    def accept(self) -> bool:
        now = self.clock()
        if self._last is not None and 0 <= now - self._last < self.window:
            return False
        self._last = now
        return True
