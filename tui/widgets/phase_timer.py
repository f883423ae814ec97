"""The big countdown: Digits coloured by how much time is left."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Digits, Static

from core.i18n import t
from core.meeting.model import Phase, PhaseTiming, Poll
from core.meeting.timer import Timer, format_seconds, level
from tui.widgets.big_time import big_size, big_text

LEVELS = ("idle", "normal", "warning", "danger", "overtime")


class PhaseTimer(Vertical):
    """Shows a stored timer; `refresh_time(now)` recomputes it from the instants."""

    DEFAULT_CSS = """
    PhaseTimer { height: auto; width: 100%; }
    PhaseTimer Digits { width: auto; }
    PhaseTimer #timer-big { width: auto; display: none; }
    PhaseTimer.-big #timer-big { display: block; }
    PhaseTimer.-big Digits { display: none; }
    PhaseTimer.-idle #timer-big { color: $text-muted; }
    PhaseTimer.-normal #timer-big { color: $success; }
    PhaseTimer.-warning #timer-big { color: $warning; }
    PhaseTimer.-danger #timer-big { color: $error; }
    PhaseTimer.-overtime #timer-big { color: $error; }
    PhaseTimer.-paused #timer-big { text-style: dim; }
    PhaseTimer #timer-note { width: 100%; text-align: center; color: $text-muted; }
    PhaseTimer.-idle Digits { color: $text-muted; }
    PhaseTimer.-normal Digits { color: $success; }
    PhaseTimer.-warning Digits { color: $warning; }
    PhaseTimer.-danger Digits { color: $error; }
    PhaseTimer.-overtime Digits { color: $error; text-style: bold; }
    PhaseTimer.-overtime #timer-note { color: $error; text-style: bold; }
    PhaseTimer.-paused Digits { text-style: dim; }
    PhaseTimer.-paused #timer-note { color: $warning; text-style: bold; }
    """

    def __init__(
        self,
        *,
        reserve: tuple[int, int] = (90, 26),
        scales: tuple[int, ...] = (3, 2),
        notes: bool | str = True,
        **kwargs,
    ) -> None:
        """`reserve`: columns and rows the rest of the screen needs beside the clock;
        `scales`: block-letter sizes allowed, largest first; `notes`: the operator's
        line under the clock (True), or only "paused" (a projector says 已暂停 and
        nothing for the operator)."""
        super().__init__(**kwargs)
        self.reserve = reserve
        self.scales = scales
        self.notes = notes
        self.timer: Timer | None = None
        self.timing: PhaseTiming | None = None
        self._note = ""
        self.phase_note: str | None = None  # what the phase says instead (see `show`)
        # Kept as attributes: a resize may arrive while the widget is being torn down.
        self._digits = Digits("", id="timer-digits")
        self._big = Static("", id="timer-big")
        self._note_widget = Static("", id="timer-note")

    def compose(self) -> ComposeResult:
        with Center():  # Vertical aligns its children as one block; centre the digits alone
            yield self._digits
            yield self._big
        yield self._note_widget

    def big_scale(self, shown: str = "") -> int:
        """Block-letter size that fits: 0 keeps the compact Digits. The width is the
        widget's own once laid out (the layout decides it), else the screen's less
        the reserve; sized for at least "00:00" so 9:59 → 10:00 never jumps."""
        width, height = self.app.size
        available = self.size.width or width - self.reserve[0]
        sample = shown if len(shown) > 5 else "00:00"
        for scale in self.scales:
            columns, rows = big_size(sample, scale)
            if height >= rows + self.reserve[1] and available >= columns:
                return scale
        return 0

    def _show_big(self, shown: str) -> None:
        scale = self.big_scale(shown)
        self.set_class(scale > 0, "-big")
        if scale:
            self._big.update(big_text(shown, scale))

    def on_resize(self) -> None:
        self._show_big(self._digits.value)

    def show(
        self,
        timer: Timer | None,
        timing: PhaseTiming | None,
        now: float,
        phase_note: str | None = None,
    ) -> str:
        """`phase_note`: what the line under the clock says instead of 未开始 / 已暂停
        when the phase, not the clock, decides (测评: opened by v, 测评已结束 once
        closed); shown by every console."""
        self.timer = timer
        self.timing = timing
        self.phase_note = phase_note
        return self.refresh_time(now)

    def refresh_time(self, now: float) -> str:
        """Update the display; returns the level so the app can ring the bell."""
        digits, note = self._digits, self._note_widget
        if self.timer is None or self.timing is None:
            self.display = False
            return "idle"
        self.display = True
        remaining = self.timer.remaining(now)
        current = level(self.timer, now, self.timing.warning, self.timing.danger)
        shown = format_seconds(remaining)
        if digits.value != shown:  # repaint only when a second changes
            digits.update(shown)
            self._show_big(shown)
        for name in LEVELS:
            self.set_class(name == current, f"-{name}")
        self.set_class(self.timer.started and not self.timer.running, "-paused")
        if current == "overtime":
            text = t("timer.overtime", time=shown.lstrip("-"))
        elif self.phase_note is not None:
            text = self.phase_note
        elif not self.timer.started:
            text = t("timer.idle")
        else:
            text = t("timer.running") if self.timer.running else t("timer.paused")
        paused = self.timer.started and not self.timer.running and current != "overtime"
        note.display = (
            self.notes is True
            or (self.notes == "paused" and paused)
            or (self.phase_note is not None and current != "overtime")
        )
        if text != self._note:
            self._note = text
            note.update(text)
        return current


def scoring_clock_note(phase: str, poll: str, *, operator: bool) -> str | None:
    """The line under 测评's clock, which v (not Space) starts: before scoring opens
    the operator is told the key (the room sees 测评尚未开始 elsewhere on its screen);
    once closed, 测评已结束 rather than a clock 已暂停. None: the clock's own note."""
    if phase != Phase.SCORING:
        return None
    if poll == Poll.NOT_OPEN:
        return t("timer.scoring_idle") if operator else None
    if poll == Poll.CLOSED:
        return t("timer.scoring_closed")
    return None
