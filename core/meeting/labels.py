"""What the meeting's vocabularies are called on screen: phases, scoring states, modes.

Each label is a literal message key, so the message extraction sees every one
(tests/test_i18n.py); an unknown value is a bug, not a message to guess.
"""

from __future__ import annotations

from core.i18n import t
from core.meeting.model import Mode, Phase, Poll


def phase_label(phase: str) -> str:
    match phase:
        case Phase.REPORT:
            return t("phase.report")
        case Phase.COMMENTARY:
            return t("phase.commentary")
        case Phase.QUESTIONS:
            return t("phase.questions")
        case Phase.SCORING:
            return t("phase.scoring")
        case Phase.RESULTS:
            return t("phase.results")
    raise ValueError(f"unknown phase {phase!r}")


def poll_label(poll: str) -> str:
    match poll:
        case Poll.NOT_OPEN:
            return t("poll.not_open")
        case Poll.OPEN:
            return t("poll.open")
        case Poll.CLOSED:
            return t("poll.closed")
    raise ValueError(f"unknown scoring state {poll!r}")


def mode_label(mode: str) -> str:
    match mode:
        case Mode.ONSITE:
            return t("mode.onsite")
        case Mode.WRITTEN:
            return t("mode.written")
    raise ValueError(f"unknown mode {mode!r}")
