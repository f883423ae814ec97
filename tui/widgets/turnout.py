"""Turnout per voter category, drawn as bars (the podium and the projector)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from core.ballots import pending_paper, turnout
from core.i18n import t
from core.store import MeetingStore

BAR = 12


def turnout_text(store: MeetingStore, poll: str) -> Text:
    counts = turnout(store)
    submitted = sum(n for n, _ in counts.values())
    text = Text(
        f"{t('panel.turnout.status', poll=t(f'poll.{poll}'))} · "
        f"{t('turnout.total', submitted=submitted, expected=store.meeting.expected_voters)}",
        style="bold",
    )
    width = max((cell_len(name) for name in counts), default=0)
    for name, (n, expected) in counts.items():
        filled = min(BAR, round(BAR * n / expected)) if expected else 0
        text.append(f"\n{name}{' ' * (width - cell_len(name))} ")
        text.append("█" * filled, style="green")
        text.append("░" * (BAR - filled), style="grey50")
        text.append(f" {n}/{expected}")
    pending = pending_paper(store)
    if pending:
        text.append("\n" + t("turnout.paper_pending", count=pending), style="yellow")
    return text
