"""The running order of a meeting: planned from its definition, then stored with
each step's timer, and where the meeting stands now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.meeting.model import ONSITE_PHASES, Meeting, Phase, PhaseTiming, Poll
from core.meeting.timer import Timer


@dataclass(frozen=True)
class PlannedStep:
    subject: str | None  # None for the meeting-wide scoring and results steps
    phase: Phase
    timing: PhaseTiming | None  # None: the step is not timed (results)


def build_agenda(meeting: Meeting) -> list[PlannedStep]:
    """述职 → 点评 → 询问 for each on-site subject in speaking order, then 测评, then 结果."""
    steps = [
        PlannedStep(subject.name, phase, meeting.timing(phase, subject))
        for subject in meeting.onsite
        for phase in ONSITE_PHASES
    ]
    steps.append(PlannedStep(None, Phase.SCORING, meeting.timing(Phase.SCORING)))
    steps.append(PlannedStep(None, Phase.RESULTS, None))
    return steps


@dataclass(frozen=True)
class AgendaStep:
    position: int
    subject: str | None
    phase: Phase
    timing: PhaseTiming | None
    timer: Timer | None


@dataclass(frozen=True)
class MeetingState:
    position: int
    steps: tuple[AgendaStep, ...]
    poll: Poll

    @property
    def step(self) -> AgendaStep:
        return self.steps[self.position]

    def results_visible(self, meeting: Meeting) -> bool:
        """Results show in the results phase, and only after scoring closes unless the
        meeting file says they need not wait."""
        if self.step.phase != Phase.RESULTS:
            return False
        return self.poll == Poll.CLOSED or not meeting.poll.hide_results_until_close

    @property
    def next_step(self) -> AgendaStep | None:
        return self.steps[self.position + 1] if self.position + 1 < len(self.steps) else None


def step_from_row(row: dict[str, Any], names: dict[int, str]) -> AgendaStep:
    """An `agenda` row as the step it stores."""
    timing = None
    timer = None
    if row["duration"] is not None:
        timing = PhaseTiming(
            row["duration"], row["warning"], row["danger"], bool(row["auto_start"])
        )
        timer = Timer(
            duration=row["duration"],
            started_at=row["started_at"],
            paused_at=row["paused_at"],
            paused_total=row["paused_total"],
            added=row["added"],
        )
    return AgendaStep(
        position=row["position"],
        subject=names.get(row["subject_id"]) if row["subject_id"] else None,
        phase=Phase(row["phase"]),
        timing=timing,
        timer=timer,
    )


def step_payload(step: AgendaStep) -> dict[str, Any]:
    """How an audit event names a step."""
    return {"position": step.position, "subject": step.subject, "phase": step.phase}
