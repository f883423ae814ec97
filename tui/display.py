"""The projector view (`sanshu display`): read-only, follows the podium."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Static

from core.i18n import t
from core.results import load_tally
from core.slips import ballot_address
from tui.base import SanshuApp
from tui.host import TICK_S
from tui.widgets.phase_timer import PhaseTimer
from tui.widgets.qr import qr_with_caption
from tui.widgets.results import ResultsView
from tui.widgets.turnout import turnout_text


class DisplayApp(SanshuApp):
    CSS_PATH = "display.tcss"
    ACTOR = "display"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [Binding("q,escape", "quit", show=False)]

    def compose(self) -> ComposeResult:
        yield Static(self.meeting.title, id="title-bar")
        yield ResultsView(id="results")
        with Horizontal(id="body"):
            with Vertical(id="stage"):
                yield Static(id="phase")
                yield Static(id="subject")
                yield Static(id="unit")
                yield PhaseTimer(id="timer", reserve=(10, 16))
                with Center():
                    yield Static(id="asking")
                yield Static(id="turnout")
            yield Static(id="qr")

    def on_mount(self) -> None:
        self.show_state()
        self.set_interval(TICK_S, lambda: self.query_one(PhaseTimer).refresh_time(self.clock()))

    def meeting_changed(self) -> None:
        self.show_state()

    def show_state(self) -> None:
        step = self.state.step
        self.query_one("#phase", Static).update(t(f"phase.{step.phase}"))
        if step.subject:
            subject = self.meeting.subject(step.subject)
            self.query_one("#subject", Static).update(subject.name)
            self.query_one("#unit", Static).update(
                subject.unit if subject.unit != subject.name else ""
            )
        else:
            self.query_one("#subject", Static).update(
                t("stage.all_subjects", count=len(self.meeting.subjects))
            )
            self.query_one("#unit", Static).update("")
        self.query_one(PhaseTimer).show(step.timer, step.timing, self.clock())
        self.show_asking(step.subject)
        scoring = step.phase == "scoring"
        self.screen.set_class(scoring, "-scoring")
        self.query_one("#turnout", Static).update(
            turnout_text(self.store, self.state.poll) if scoring else ""
        )
        if scoring:
            url = ballot_address(self.store)
            self.query_one("#qr", Static).update(qr_with_caption(url))
        showing = self.state.results_visible(self.meeting)
        if step.phase == "results" and not showing:
            self.query_one("#turnout", Static).update(t("results.hidden"))
        self.screen.set_class(showing, "-results")
        if showing:
            self.query_one(ResultsView).show(load_tally(self.store))
            self.query_one("#ranking").focus()  # ↑↓ walk the ranking

    def show_asking(self, subject: str | None) -> None:
        asking = (
            [q for q in self.record.questions(subject) if q.state == "asking"] if subject else []
        )
        widget = self.query_one("#asking", Static)
        if asking:
            question = asking[0]
            widget.update(
                Text.assemble(
                    (t("display.asking", asker=question.asker or "") + "\n", "bold"), question.text
                )
            )
            widget.display = True
        else:
            widget.display = False
