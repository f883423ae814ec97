"""What a question's state is called on screen (a literal message key for each)."""

from __future__ import annotations

from core.i18n import t
from core.record.entries import QuestionState


def question_state_label(state: str) -> str:
    match state:
        case QuestionState.QUEUED:
            return t("question.queued")
        case QuestionState.ASKING:
            return t("question.asking")
        case QuestionState.ANSWERED:
            return t("question.answered")
        case QuestionState.WITHDRAWN:
            return t("question.withdrawn")
    raise ValueError(f"unknown question state {state!r}")
