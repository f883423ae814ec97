"""Where the meeting stands, as plain data (for `sanshu status` and scripts)."""

from __future__ import annotations

from dataclasses import dataclass

from core.ballots.turnout import turnout
from core.i18n import t
from core.meeting.model import Phase, Poll
from core.meeting.store import MeetingStore


@dataclass(frozen=True)
class Status:
    subject: str | None
    phase: Phase
    remaining_s: float | None
    running: bool
    poll: Poll
    submitted: int
    expected: int
    history_erased: bool | None  # once scoring closed: is the voting history gone yet

    def as_json(self) -> dict[str, object]:
        """The stable contract of `sanshu status --json`."""
        return {
            "subject": self.subject,
            "phase": self.phase,
            "remaining_s": self.remaining_s,
            "running": self.running,
            "poll": self.poll,
            "turnout": {"submitted": self.submitted, "expected": self.expected},
            "history_erased": self.history_erased,
        }


def meeting_status(store: MeetingStore) -> Status:
    state = store.state()
    step = state.step
    timer = step.timer
    remaining = None if timer is None else round(timer.remaining(store.clock()), 1)
    return Status(
        subject=step.subject,
        phase=step.phase,
        remaining_s=remaining,
        running=bool(timer and timer.running),
        poll=state.poll,
        submitted=sum(n for n, _ in turnout(store).values()),
        expected=store.meeting.expected_voters,
        history_erased=store.history_erased() if state.poll == Poll.CLOSED else None,
    )


def history_label(erased: bool) -> str:
    """投票记录已清除 / 尚未清除: what `sanshu status` and `poll status` say once closed."""
    return t("history.erased_status") if erased else t("history.pending_status")
