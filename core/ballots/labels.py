"""Why a ballot is invalid, as the results say it (a literal message key for each)."""

from __future__ import annotations

from core.ballots.validity import ProblemKind
from core.i18n import t


def invalid_reason_label(kind: str) -> str:
    """The reason as stored with the tally; one this version does not know (a newer
    program wrote it) is shown as stored."""
    match kind:
        case ProblemKind.INCOMPLETE:
            return t("invalid.incomplete")
        case ProblemKind.QUOTA:
            return t("invalid.quota")
        case ProblemKind.ALL_SAME:
            return t("invalid.all_same")
        case ProblemKind.BAD_VALUE:
            return t("invalid.bad_value")
    return kind
