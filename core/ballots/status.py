"""Where the meeting stands, as plain data (for `sanshu status` and scripts)."""

from __future__ import annotations

from dataclasses import dataclass

from core.ballots.turnout import turnout
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

    def as_json(self) -> dict[str, object]:
        """The stable contract of `sanshu status --json`."""
        return {
            "subject": self.subject,
            "phase": self.phase,
            "remaining_s": self.remaining_s,
            "running": self.running,
            "poll": self.poll,
            "turnout": {"submitted": self.submitted, "expected": self.expected},
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
    )
