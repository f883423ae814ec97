"""The projector view (`sanshu display`): read-only, follows the podium.

It shows what the room should see and nothing for the operator. Designed for a
zoomed terminal (about 64x18 cells) as well as a large one (200x60): phase,
subject and time fill the screen; in 测评 the QR code is as large as fits with the
address under it and turnout beside it; the results follow the host's selected
row; the host's `b` blanks it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Static

from core.ballots.slips import ballot_address
from core.ballots.turnout import Counts
from core.i18n import t, tn
from core.meeting.labels import phase_label
from core.meeting.model import Phase
from core.record.entries import QuestionState
from tui.base import SanshuApp
from tui.host import TICK_S
from tui.widgets.phase_timer import PhaseTimer
from tui.widgets.qr import fit_scale, qr_text
from tui.widgets.results import ResultsView
from tui.widgets.turnout import turnout_text

TURNOUT_COLUMNS = 34  # beside the QR code: category names, bars, counts


def phase_line(phase: str, subject: str | None) -> str:
    label = phase_label(phase)
    return f"{label}　·　{subject}" if subject else label


def asking_title(asker: str) -> str:
    """ "正在询问 · 高天庚", or just "正在询问" when nobody was named (no dangling ·)."""
    return t("display.asking", asker=asker) if asker else t("display.asking_anonymous")


class DisplayApp(SanshuApp):
    CSS_PATH = "display.tcss"
    ACTOR = "display"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    # Not Esc: a presenter clicker sends it, and must never close the projector.
    BINDINGS = [Binding("q,ctrl+q", "quit", show=False)]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timer_widget = PhaseTimer(id="timer", reserve=(0, 6), scales=(3, 2, 1), notes=False)

    def compose(self) -> ComposeResult:
        yield Static(self.meeting.title, id="title-bar")
        yield ResultsView(id="results", page_hint=False)
        with Horizontal(id="body"):
            with Vertical(id="qr-column"):
                yield Static(id="qr")
                yield Static(id="address")
            with Vertical(id="stage"):
                yield Static(id="phase")
                yield Static(id="unit")
                yield self.timer_widget
                with Center():
                    yield Static(id="asking")
                yield Static(id="turnout")
                yield Static(id="stage-note")

    def on_mount(self) -> None:
        self.show_state()
        self.set_interval(TICK_S, self.tick)

    def tick(self) -> None:
        timer = self.timer_widget
        if self.is_running and timer.is_mounted:
            timer.refresh_time(self.clock())

    def meeting_changed(self) -> None:
        self.show_state()

    def on_resize(self) -> None:
        if self.state.step.phase == Phase.SCORING:
            self.show_qr()

    def show_state(self) -> None:
        state, step = self.state, self.state.step
        self.screen.set_class(self.store.projector_blank(), "-blank")
        self.query_one("#phase", Static).update(phase_line(step.phase, step.subject))
        unit = ""
        if step.subject:
            subject = self.meeting.subject(step.subject)
            unit = subject.unit if subject.unit != subject.name else ""
        elif step.phase in (Phase.SCORING, Phase.RESULTS):
            unit = tn("stage.all_subjects", len(self.meeting.subjects))
        self.query_one("#unit", Static).update(unit)
        asking = self.show_asking(step.subject)
        timer = self.timer_widget
        # The question or the turnout needs its lines: the clock takes what is left.
        timer.reserve = (0, 12 if asking or step.phase == Phase.SCORING else 6)
        timer.show(step.timer, step.timing, self.clock())
        scoring = step.phase == Phase.SCORING
        self.screen.set_class(scoring, "-scoring")
        if scoring:
            self.show_qr()
        showing = state.results_visible(self.meeting)
        hidden = step.phase == Phase.RESULTS and not showing
        self.query_one("#stage-note", Static).update(t("results.hidden") if hidden else "")
        self.screen.set_class(showing, "-results")
        row = self.store.meta("results_row")
        if row is not None:
            self.query_one(ResultsView).select(int(row))  # follow the host's selection
        self.request_counts(with_tally=showing)
        if self.counts is not None:
            self.counts_changed(self.counts)

    def counts_changed(self, counts: Counts) -> None:
        scoring = self.state.step.phase == Phase.SCORING
        self.query_one("#turnout", Static).update(
            turnout_text(
                counts,
                self.state.poll,
                self.meeting.expected_voters,
                bar=12 if self.size.width >= 120 else 6,
            )
            if scoring
            else ""
        )
        if counts.tally is not None and self.state.results_visible(self.meeting):
            self.query_one(ResultsView).show(counts.tally)

    def show_qr(self) -> None:
        """As large as the screen allows beside the turnout, the address under it."""
        url = ballot_address(self.store)
        width, height = self.size
        # Up to half the width: the time and the turnout keep the other half.
        scale = fit_scale(url, min(width - TURNOUT_COLUMNS - 4, width // 2), height - 4)
        self.query_one("#qr", Static).update(qr_text(url, scale))
        self.query_one("#address", Static).update(url)

    def show_asking(self, subject: str | None) -> bool:
        asking = (
            [q for q in self.record.questions(subject) if q.state == QuestionState.ASKING]
            if subject
            else []
        )
        widget = self.query_one("#asking", Static)
        widget.display = bool(asking)
        if asking:
            question = asking[0]
            widget.update(
                Text.assemble((asking_title(question.asker) + "\n", "bold"), question.text)
            )
        return bool(asking)
