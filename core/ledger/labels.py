"""What the ledger's columns and statuses are called on screen. (The workbook's own
headings are always Chinese: `items.HEADINGS`.) A literal message key for each."""

from __future__ import annotations

from core.i18n import t
from core.ledger.items import ItemStatus


def column_label(name: str) -> str:
    match name:
        case "seq":
            return t("ledger.head.seq")
        case "subject":
            return t("ledger.head.subject")
        case "source":
            return t("ledger.head.source")
        case "problem":
            return t("ledger.head.problem")
        case "measure":
            return t("ledger.head.measure")
        case "owner":
            return t("ledger.head.owner")
        case "deadline":
            return t("ledger.head.deadline")
        case "progress":
            return t("ledger.head.progress")
        case "completion":
            return t("ledger.head.completion")
        case "evidence":
            return t("ledger.head.evidence")
        case "closed_on":
            return t("ledger.head.closed_on")
    raise ValueError(f"unknown ledger column {name!r}")


def status_label(status: str) -> str:
    """An `ItemStatus`, or "all" (the filter that shows every item)."""
    match status:
        case "all":
            return t("ledger.status.all")
        case ItemStatus.OPEN:
            return t("ledger.status.open")
        case ItemStatus.CLOSED:
            return t("ledger.status.closed")
        case ItemStatus.OVERDUE:
            return t("ledger.status.overdue")
    raise ValueError(f"unknown ledger status {status!r}")
