"""The running order of a meeting, derived from its definition."""

from __future__ import annotations

from dataclasses import dataclass

from core.model import ONSITE_PHASES, Meeting, PhaseTiming


@dataclass(frozen=True)
class PlannedStep:
    subject: str | None  # None for the meeting-wide scoring and results steps
    phase: str
    timing: PhaseTiming | None  # None: the step is not timed (results)


def build_agenda(meeting: Meeting) -> list[PlannedStep]:
    """述职 → 点评 → 询问 for each on-site subject in speaking order, then 测评, then 结果."""
    steps = [
        PlannedStep(subject.name, phase, meeting.timing(phase, subject))
        for subject in meeting.onsite
        for phase in ONSITE_PHASES
    ]
    steps.append(PlannedStep(None, "scoring", meeting.timing("scoring")))
    steps.append(PlannedStep(None, "results", None))
    return steps
