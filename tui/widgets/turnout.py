"""Turnout per voter category, drawn as bars (the podium and the projector)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from core.ballots.turnout import Counts
from core.i18n import t, tn
from core.meeting.labels import poll_label

BAR = 12


def turnout_text(counts: Counts, poll: str, expected: int, bar: int = BAR) -> Text:
    """Every line has the same width (names padded, numbers right-aligned), so bars
    line up even when the block is centred: 0/24 and 24/24 start in the same cell."""
    text = Text(
        t("panel.turnout.status", poll=poll_label(poll))
        + " · "
        + t("turnout.total", submitted=counts.submitted, expected=expected),
        style="bold",
    )
    names = counts.turnout
    width = max((cell_len(name) for name in names), default=0)
    digits = max((len(str(e)) for _, e in names.values()), default=1)
    for name, (n, wanted) in names.items():
        filled = min(bar, round(bar * n / wanted)) if wanted else 0
        text.append(f"\n{name}{' ' * (width - cell_len(name))} ")
        text.append("█" * filled, style="green")
        text.append("░" * (bar - filled), style="grey50")
        text.append(f" {n:>{digits}}/{wanted:<{digits}}")
    if counts.pending_paper:
        text.append("\n" + tn("turnout.paper_pending", counts.pending_paper), style="yellow")
    return text
