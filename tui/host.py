"""The podium console (`sanshu host`): the host runs the meeting from here."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from core.ballots import turnout
from core.i18n import t
from core.podium import ASK, REASON, REFUSE, Debounce, judge
from core.record import Question
from core.results import load_tally
from core.service import ensure_service
from core.slips import ballot_address
from core.store import AgendaStep, Clock, MeetingState, MeetingStore
from tui.base import SanshuApp
from tui.keys import HOST_KEYS, bindings
from tui.widgets.agenda import Agenda
from tui.widgets.confirm import Confirm
from tui.widgets.phase_timer import PhaseTimer
from tui.widgets.qr import qr_with_caption
from tui.widgets.reason import AskReason
from tui.widgets.results import ResultsView
from tui.widgets.turnout import turnout_text

TICK_S = 0.1  # timer redraw; the time itself comes from stored instants


def question_line(number: int, question: Question) -> Text:
    """One line of the podium's queue: the question being asked stands out."""
    style = {"asking": "bold reverse", "answered": "dim"}.get(question.state, "")
    mark = {"asking": "▶", "answered": "✓"}.get(question.state, " ")
    who = f"{question.asker}：" if question.asker else ""
    return Text(f"{mark}{number}. {who}{question.text}", style=style)


def step_title(step: AgendaStep) -> str:
    phase = t(f"phase.{step.phase}")
    return f"{phase} · {step.subject}" if step.subject else phase


class HostApp(SanshuApp):
    CSS_PATH = "host.tcss"
    ACTOR = "host"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    BINDINGS = bindings(HOST_KEYS)

    def __init__(
        self, db_path: str | Path, *, clock: Clock = time.time, manage_service: bool = True
    ) -> None:
        super().__init__(db_path, clock=clock)
        self.manage_service = manage_service
        self._last_level = "idle"
        self.clicker = Debounce(clock)

    # -- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self.meeting.title, id="title-bar")
        with Horizontal(id="body"):
            agenda = Agenda(id="agenda")
            agenda.border_title = t("agenda.title")
            yield agenda
            with Horizontal(id="main"):
                yield ResultsView(id="results")
                with Vertical(id="stage"):
                    yield Static(id="phase")
                    yield Static(id="subject")
                    yield Static(id="unit")
                    yield PhaseTimer(id="timer")
                    yield Static(id="stage-note")
                    yield Static(id="next")
                with Vertical(id="panels"):
                    for name in ("questions", "commentary", "turnout"):
                        panel = Static(id=f"{name}-panel", classes="panel")
                        panel.border_title = t(f"panel.{name}")
                        yield panel
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = f"{self.meeting.title} · {t('host.title')}"
        self.show_state()
        self.show_blank(self.store.projector_blank())
        self.set_interval(TICK_S, self.tick)
        if self.state.poll == "open":
            self.keep_service_running()  # after a restart: find it again, or start it

    # -- data down ------------------------------------------------------------

    def show_state(self) -> None:
        state, step = self.state, self.state.step
        self.query_one(Agenda).show(self.meeting, state)
        self.query_one("#phase", Static).update(t(f"phase.{step.phase}"))
        if step.subject:
            subject = self.meeting.subject(step.subject)
            onsite = [s.name for s in self.meeting.onsite]
            self.query_one("#subject", Static).update(subject.name)
            self.query_one("#unit", Static).update(
                subject.unit if subject.unit != subject.name else ""
            )
            note = t("stage.onsite_n", n=onsite.index(subject.name) + 1, total=len(onsite))
        else:
            self.query_one("#subject", Static).update(
                t("stage.all_subjects", count=len(self.meeting.subjects))
            )
            self.query_one("#unit", Static).update("")
            hidden = step.phase == "results" and not state.results_visible(self.meeting)
            note = t("results.hidden") if hidden else ""
        self.query_one("#stage-note", Static).update(note)
        following = state.next_step
        self.query_one("#next", Static).update(
            t("stage.next", what=step_title(following)) if following else t("stage.last")
        )
        self._last_level = self.query_one(PhaseTimer).show(step.timer, step.timing, self.clock())
        self.show_panels()
        if self.show_results():
            self.query_one("#ranking").focus()

    def show_results(self) -> bool:
        """In the results phase, once scoring is closed: the ranked tally fills the screen."""
        showing = self.state.results_visible(self.meeting)
        self.screen.set_class(showing, "-results")
        if showing:
            self.query_one(ResultsView).show(load_tally(self.store))
        return showing

    def show_panels(self) -> None:
        scoring = self.state.step.phase == "scoring"
        self.screen.set_class(scoring, "-scoring")
        self.show_record()
        panel = self.query_one("#turnout-panel", Static)
        if scoring:
            panel.update(qr_with_caption(ballot_address(self.store)))
            self.query_one("#stage-note", Static).update(turnout_text(self.store, self.state.poll))
        else:
            submitted = sum(n for n, _ in turnout(self.store).values())
            panel.update(
                t("panel.turnout.status", poll=t(f"poll.{self.state.poll}"))
                + "\n"
                + t("turnout.total", submitted=submitted, expected=self.meeting.expected_voters)
            )

    def show_record(self) -> None:
        """The current subject's question queue and commentary, as the clerk logs them."""
        subject = self.state.step.subject
        questions_panel = self.query_one("#questions-panel", Static)
        commentary_panel = self.query_one("#commentary-panel", Static)
        if subject is None:
            questions_panel.update("")
            commentary_panel.update("")
            return
        questions = self.record.questions(subject, include_withdrawn=False)
        if questions:
            answered = sum(q.state == "answered" for q in questions)
            body = Text(
                t("host.questions_count", answered=answered, total=len(questions)) + "\n",
                style="bold",
            )
            for number, question in enumerate(questions, 1):
                body.append_text(question_line(number, question))
                body.append("\n")
            questions_panel.update(body)
        else:
            questions_panel.update(t("panel.questions.empty"))
        commentary = self.record.commentary(subject)
        if commentary:
            body = Text(t("host.commentary_count", count=len(commentary)) + "\n", style="bold")
            for entry in commentary[-3:]:
                body.append(f"{entry.commenter}：", style="bold")
                body.append(entry.text + "\n")
            commentary_panel.update(body)
        else:
            commentary_panel.update(t("panel.commentary.empty"))

    def keep_service_running(self) -> None:
        if self.manage_service:
            self.run_worker(self._ensure_service, thread=True, exclusive=True, group="service")

    def _ensure_service(self) -> None:
        """In a thread: a health check may wait up to half a second."""
        with MeetingStore(self.db_path, actor="host") as store:  # this thread's own connection
            ensure_service(store, self.db_path)

    def tick(self) -> None:
        level = self.query_one(PhaseTimer).refresh_time(self.clock())
        if level == "overtime" and self._last_level != "overtime":
            self.bell()  # once, as the time runs out
        self._last_level = level

    def meeting_changed(self) -> None:
        self.show_state()

    def apply(self, state: MeetingState) -> None:
        self.state = state
        self.show_state()

    # -- actions: every meeting key goes through the podium's guard -------------

    @property
    def dialog_open(self) -> bool:
        return len(self.screen_stack) > 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a dialog is open no meeting key acts: only the dialog's own keys do."""
        return not (action in HOST_KEYS and self.dialog_open)

    def guarded(self, action: str, do: Callable[[], None]) -> None:
        """Act, ask first, ask for a reason, or say where the key works."""
        verdict = judge(action, self.state)
        if verdict.do == REFUSE:
            self.notify(t(verdict.message), severity="warning")
        elif verdict.do == ASK:
            self.push_screen(
                Confirm(t(verdict.message), t(verdict.yes)), lambda yes: do() if yes else None
            )
        elif verdict.do == REASON:
            self.push_screen(
                AskReason(t(verdict.message), t("poll.reopen_yes")),
                lambda reason: self.reopen_poll(reason) if reason else None,
            )
        else:
            do()

    def action_toggle_timer(self) -> None:
        self.apply(self.store.toggle_timer())

    def action_next_phase(self) -> None:
        if not self.clicker.accept():
            return  # a held or bouncing clicker key moves one step
        step = self.state.step
        auto = step.timing is not None and step.timing.auto_start
        if auto and step.timer is not None and not step.timer.started:
            self.apply(self.store.toggle_timer())  # the clicker's first press starts the clock
            return
        self.guarded("next_phase", lambda: self.apply(self.store.move(+1)))

    def action_previous_phase(self) -> None:
        if not self.clicker.accept():
            return
        self.guarded("previous_phase", lambda: self.apply(self.store.move(-1)))

    def action_add_time(self) -> None:
        self.apply(self.store.adjust_timer(+30))

    def action_remove_time(self) -> None:
        self.apply(self.store.adjust_timer(-30))

    def action_reset_timer(self) -> None:
        self.guarded("reset_timer", lambda: self.apply(self.store.reset_timer()))

    def action_show_results(self) -> None:
        def go() -> None:
            self.apply(self.store.move(len(self.state.steps) - 1 - self.state.position))

        self.guarded("show_results", go)

    def action_toggle_poll(self) -> None:
        def toggle() -> None:
            if self.state.poll == "not_open":
                self.apply(self.store.set_poll("open"))
                self.keep_service_running()
                self.notify(t("poll.opened"))
            elif self.state.poll == "open":
                self.apply(self.store.set_poll("closed"))
                self.notify(t("poll.closed_now"))

        self.guarded("toggle_poll", toggle)

    def reopen_poll(self, reason: str) -> None:
        self.apply(self.store.set_poll("open", reason))
        self.keep_service_running()
        self.notify(t("poll.reopened"))

    def action_toggle_blank(self) -> None:
        blank = not self.store.projector_blank()
        self.store.set_projector_blank(blank)
        self.show_blank(blank)

    def show_blank(self, blank: bool) -> None:
        self.query_one("#title-bar", Static).update(
            f"{self.meeting.title}　{t('host.projector_blank')}" if blank else self.meeting.title
        )

    def action_request_quit(self) -> None:
        timer = self.state.step.timer
        if timer is not None and timer.running:
            self.push_screen(Confirm(t("quit.confirm")), lambda yes: self.exit() if yes else None)
        else:
            self.exit()
