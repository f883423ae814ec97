"""The podium console (`sanshu host`): the host runs the meeting from here."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from core.ballots.slips import ballot_address
from core.ballots.turnout import Counts
from core.errors import StoreError
from core.i18n import t, tn
from core.ledger.carryover import carried_status, status_line
from core.meeting.agenda import AgendaStep, MeetingState
from core.meeting.labels import phase_label, poll_label
from core.meeting.model import Phase, Poll
from core.meeting.podium import ASK, REASON, REFUSE, Debounce, judge
from core.meeting.store import MeetingStore
from core.record.entries import Question, QuestionState
from core.store import Clock
from core.venue.readiness import Readiness
from core.web.serve import ensure_service
from tui.base import SanshuApp
from tui.keys import HOST, PAGE_ACTIONS, TIMER_ACTIONS, bindings, keymap
from tui.venue import VenueAtPodium
from tui.widgets.agenda import Agenda
from tui.widgets.confirm import Confirm
from tui.widgets.entry_list import EntryList
from tui.widgets.footer import OrderedFooter
from tui.widgets.phase_timer import PhaseTimer, scoring_clock_note
from tui.widgets.qr import qr_with_caption
from tui.widgets.reason import AskReason
from tui.widgets.results import ResultsView
from tui.widgets.turnout import turnout_text

TICK_S = 0.1  # timer redraw; the time itself comes from stored instants
FORGET_WAIT_MS = 1_000  # closing waits this long for another program's reader, then says so
FORGET_RETRY_S = 2.0  # and tries again this often until the history is erased
# A projector terminal wider than this has letters too small for the back row.
SMALL_PRINT_COLUMNS = 100


def question_entry(number: int, question: Question, digits: int) -> tuple[Text, Text]:
    """One question of the podium's queue: the one being asked stands out; numbers
    align (10+ included) and a long question wraps under its own text."""
    style = {"asking": "bold reverse", "answered": "dim"}.get(question.state, "")
    mark = {"asking": "▶", "answered": "✓"}.get(question.state, " ")
    body = Text(style=style)
    if question.asker:
        body.append(f"{question.asker}：", style="bold")
    body.append(question.text)
    return Text(f"{mark}{number:>{digits}}. ", style=style), body


def queue_focus(questions: list[Question]) -> int | None:
    """The entry the host must see: the one being asked, else the next to ask."""
    for wanted in (QuestionState.ASKING, QuestionState.QUEUED):
        for index, question in enumerate(questions):
            if question.state == wanted:
                return index
    return len(questions) - 1 if questions else None


HOST_ACTIONS = frozenset(key.action for key in HOST)


def results_note(counts: Counts) -> Text:
    """Under the ranking: what the host must know about this result (more returned than
    expected, recomputed after a reopening), then its fingerprint, as the papers print it."""
    note = Text()
    for line in counts.notes:
        note.append(f"⚠ {line}\n", style="bold yellow")
    note.append(t("fingerprint.line", code=counts.fingerprint))  # plain: "dim" blends late
    return note


def step_title(step: AgendaStep) -> str:
    phase = phase_label(step.phase)
    return f"{phase} · {step.subject}" if step.subject else phase


class HostApp(VenueAtPodium, SanshuApp):
    CSS_PATH = "host.tcss"
    ACTOR = "host"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    BINDINGS = bindings(HOST, priority=True)
    KEYS = HOST

    def __init__(
        self,
        db_path: str | Path,
        *,
        clock: Clock = time.time,
        manage_service: bool = True,
        venue_check: Callable[[MeetingStore], Readiness] | None = None,
    ) -> None:
        super().__init__(db_path, clock=clock)
        self.manage_service = manage_service
        self.venue_check = venue_check  # the venue's network, checked before scoring opens
        self._last_level = "idle"
        self._record_shown_for: object = ()  # the subject whose record is on screen
        self.clicker = Debounce(clock)
        self.timer_widget = PhaseTimer(id="timer")
        self._footer_shows: tuple[object, ...] | None = None  # what the footer says now
        self._shown_text: dict[str, object] = {}  # selector → what its Static shows
        self._font_hinted = False
        self.set_keymap(keymap(self.meeting.keys))  # the meeting's clicker ([keys])

    # -- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self.meeting.title, id="title-bar")
        with Horizontal(id="body"):
            agenda = Agenda(id="agenda")
            agenda.border_title = t("agenda.title")
            yield agenda
            with Horizontal(id="main"):
                yield ResultsView(id="results")
                yield Static(id="results-note")  # warnings, recomputations, the fingerprint
                with Vertical(id="stage"):
                    yield Static(id="phase")
                    yield Static(id="subject")
                    yield Static(id="unit")
                    yield self.timer_widget
                    yield Static(id="stage-note")
                    yield Static(id="next")
                with Vertical(id="panels"):
                    for name, title in (
                        ("questions", t("panel.questions")),
                        ("commentary", t("panel.commentary")),
                    ):
                        panel = EntryList(id=f"{name}-panel", classes="panel")
                        panel.border_title = title
                        yield panel
                    panel = Static(id="turnout-panel", classes="panel")
                    panel.border_title = t("panel.turnout")
                    yield panel
        yield OrderedFooter(HOST, compact=True)

    def on_mount(self) -> None:
        self.title = f"{self.meeting.title} · " + t("host.title")
        self.query_one(ResultsView).selected = int(self.store.meta("results_row") or 0)
        self.show_state()
        self._blank_wanted = self.store.projector_blank()
        self.show_blank(self._blank_wanted)
        self.set_interval(TICK_S, self.tick)
        self.start_phone_count()
        if self.state.poll == Poll.OPEN:
            self.keep_service_running()  # after a restart: find it again, or start it

    # -- data down ------------------------------------------------------------

    def show_state(self, *, record_changed: bool = False) -> None:
        """Show `self.state`; the question queue and commentary are rebuilt only when
        the subject changed or another console wrote (`record_changed`): a 500-entry
        queue must not slow the podium's own keys (#14 §5)."""
        state, step = self.state, self.state.step
        self.query_one(Agenda).show(self.meeting, state)
        self.show_text("#phase", phase_label(step.phase))
        if step.subject:
            subject = self.meeting.subject(step.subject)
            onsite = [s.name for s in self.meeting.onsite]
            self.show_text("#subject", subject.name)
            self.show_text("#unit", subject.unit if subject.unit != subject.name else "")
            note = t("stage.onsite_n", n=onsite.index(subject.name) + 1, total=len(onsite))
            if step.phase == Phase.REPORT:  # last year's rectification items carried in (#13)
                note = "\n".join(
                    filter(None, [note, status_line(carried_status(self.store, subject.name))])
                )
        else:
            self.show_text("#subject", tn("stage.all_subjects", len(self.meeting.subjects)))
            self.show_text("#unit", "")
            hidden = step.phase == Phase.RESULTS and not state.results_visible(self.meeting)
            note = t("results.hidden") if hidden else ""
        if step.phase != Phase.SCORING or self.counts is None:  # in scoring: the turnout
            self.show_text("#stage-note", note)
        following = state.next_step
        self.show_text(
            "#next", t("stage.next", what=step_title(following)) if following else t("stage.last")
        )
        self._last_level = self.query_one(PhaseTimer).show(
            step.timer,
            step.timing,
            self.clock(),
            scoring_clock_note(step.phase, state.poll, operator=True),
        )
        self.show_panels(record_changed=record_changed)
        showing = state.results_visible(self.meeting)
        self.screen.set_class(showing, "-results")
        if showing and not self.dialog_open:
            self.query_one("#ranking").focus()
        self.request_counts(with_tally=showing)
        if self.counts is not None:
            self.counts_changed(self.counts)
        self.refresh_footer()

    def refresh_footer(self) -> None:
        """The footer follows the phase (clock keys or not) and the ranking's page (what
        PgDn/PgUp do); rebuilt only when that changed, as rebuilding costs a relayout."""
        shows = (self.state.step.timing is not None, *map(self.key_description, PAGE_ACTIONS))
        if shows != self._footer_shows:
            self._footer_shows = shows
            self.refresh_bindings()

    def key_description(self, action: str) -> str | None:
        """What PgDn/PgUp do now, when not their usual step: on the results screen they
        turn the ranking's pages first (`turn_results_page`)."""
        if action not in PAGE_ACTIONS or not self.state.results_visible(self.meeting):
            return None
        views = self.query(ResultsView)
        if not views:  # the app is closing: a late message finds no screen to describe
            return None
        page = views.first().page
        if action == "next_phase" and page.number + 1 < page.count:
            return t("key.next_page")
        if action == "previous_phase" and page.number > 0:
            return t("key.prev_page")
        return None

    def show_text(self, selector: str, content: str | Text) -> None:
        """Update a Static only when its content changed: each update relayouts the
        whole screen (~10-40 ms with a long queue), which delayed the keys and the
        turnout arriving right after another process's write."""
        key = (
            (content.plain, tuple(content.spans), str(content.style), content.justify)
            if isinstance(content, Text)
            else content
        )
        if self._shown_text.get(selector) == key:
            return
        self._shown_text[selector] = key
        self.query_one(selector, Static).update(content)

    def counts_changed(self, counts: Counts) -> None:
        """Turnout and tally, counted in a worker: shown when they arrive."""
        state = self.state
        if state.step.phase == Phase.SCORING:
            self.show_text(
                "#stage-note", turnout_text(counts, state.poll, self.meeting.expected_voters)
            )
        else:
            self.show_text(
                "#turnout-panel",
                t("panel.turnout.status", poll=poll_label(state.poll))
                + "\n"
                + t(
                    "turnout.total",
                    submitted=counts.submitted,
                    expected=self.meeting.expected_voters,
                ),
            )
        if counts.tally is not None and state.results_visible(self.meeting):
            self.query_one(ResultsView).show(counts.tally)
            self.show_text("#results-note", results_note(counts))
            self.refresh_footer()  # the tally decides the pages: what PgDn/PgUp say

    def show_panels(self, *, record_changed: bool = False) -> None:
        phase = self.state.step.phase
        for name in ("scoring", "questions", "commentary"):  # the layout follows the phase
            self.screen.set_class(phase == name, f"-{name}")
        if record_changed or self._record_shown_for != self.state.step.subject:
            self.show_record()
        if phase == Phase.SCORING:  # the code only while phones can vote (#19 §6)
            if self.state.poll == Poll.OPEN:
                self.show_text("#turnout-panel", qr_with_caption(ballot_address(self.store)))
            elif self.state.poll == Poll.NOT_OPEN:
                self.show_text("#turnout-panel", t("host.scoring_not_open"))
            else:
                self.show_text("#turnout-panel", t("host.scoring_closed"))

    def on_results_view_selected(self, message: ResultsView.Selected) -> None:
        """The projector follows the row (and so the page) the host selects."""
        row = str(message.row)
        self.write(lambda: self.store.set_meta("results_row", row), wait=True, key="results_row")
        self.refresh_footer()

    def show_record(self) -> None:
        """The current subject's question queue and commentary, as the clerk logs them."""
        subject = self.state.step.subject
        self._record_shown_for = subject
        questions_panel = self.query_one("#questions-panel", EntryList)
        commentary_panel = self.query_one("#commentary-panel", EntryList)
        if subject is None:
            questions_panel.show([], None, "")
            commentary_panel.show([], None, "")
            questions_panel.border_subtitle = commentary_panel.border_subtitle = ""
            return
        questions = self.record.questions(subject, include_withdrawn=False)
        digits = len(str(len(questions)))
        questions_panel.show(
            [question_entry(n, q, digits) for n, q in enumerate(questions, 1)],
            queue_focus(questions),
            t("panel.questions.empty"),
        )
        answered = sum(q.state == QuestionState.ANSWERED for q in questions)
        questions_panel.border_subtitle = (
            t("host.questions_count", answered=answered, total=len(questions)) if questions else ""
        )
        commentary = self.record.commentary(subject)
        commentary_panel.show(
            [
                (Text(f"{entry.commenter}：", style="bold"), Text(entry.text))
                for entry in commentary
            ],
            len(commentary) - 1 if commentary else None,  # the latest stays in view
            t("panel.commentary.empty"),
        )
        commentary_panel.border_subtitle = (
            tn("host.commentary_count", len(commentary)) if commentary else ""
        )

    def keep_service_running(self) -> None:
        if self.manage_service:
            self.run_worker(
                self._ensure_service,
                thread=True,
                exclusive=True,
                group="service",
                exit_on_error=False,  # a busy database: the next open or restart tries again
            )

    def _ensure_service(self) -> None:
        """In a thread: a health check may wait up to half a second."""
        with MeetingStore(self.db_path, actor="host") as store:  # this thread's own connection
            try:
                ensure_service(store, self.db_path)
            except StoreError as exc:  # another program holds the port: say so, and how
                self.call_from_thread(self.say, str(exc), severity="error")

    def _forget_history(self) -> None:
        """In a thread: closing rewrites the whole file (seconds at 100k ballots), and
        the podium keeps answering its keys meanwhile. Closing is said done only once the
        voting history is erased; while another program's reader keeps it, the podium
        says so in one line and tries again until it is done (#20 §4)."""
        pending = False
        with MeetingStore(self.db_path, actor="host") as store:  # this thread's own connection
            while store.poll() == Poll.CLOSED and not store.finish_forgetting(FORGET_WAIT_MS):
                if not self.is_running:
                    return  # the next program to open the file finishes it
                if not pending:
                    pending = True
                    self.call_from_thread(self.say, t("host.history_pending"))
                time.sleep(FORGET_RETRY_S)
            erased = store.poll() == Poll.CLOSED
        if erased and self.is_running:
            done = t("host.history_erased_later") if pending else t("host.closed_erased")
            self.call_from_thread(self.notify, done)

    def tick(self) -> None:
        timer = self.timer_widget
        if not self.is_running or not timer.is_mounted:
            return  # shutting down
        level = timer.refresh_time(self.clock())
        if level == "overtime" and self._last_level != "overtime":
            self.bell()  # once, as the time runs out
        self._last_level = level

    def meeting_changed(self) -> None:
        self.show_state(record_changed=True)  # another console wrote: maybe the record
        self.hint_projector_font()

    def help_note(self) -> str:
        """What this moment of the meeting expects of the host."""
        step, poll = self.state.step, self.state.poll
        if step.phase == Phase.REPORT:
            note = t("help.host.report")
        elif step.phase == Phase.COMMENTARY:
            note = t("help.host.commentary")
        elif step.phase == Phase.QUESTIONS:
            note = t("help.host.questions")
        elif step.phase == Phase.SCORING and poll == Poll.NOT_OPEN:
            note = t("help.host.scoring_not_open")
        elif step.phase == Phase.SCORING and poll == Poll.OPEN:
            note = t("help.host.scoring_open")
        elif step.phase == Phase.SCORING:
            note = t("help.host.scoring_closed")
        else:
            note = t("help.host.results")
        if poll == Poll.NOT_OPEN:  # before scoring: the phones' connection test (#18)
            note += "\n" + t("help.host.connection_test")
        return note + "\n\n" + super().help_note()

    def hint_projector_font(self) -> None:
        """Once: a projector terminal of more than about 100 columns has letters too
        small for the back row. The podium says so, never the projector (#19 §5)."""
        size = self.store.meta("projector_size") or ""
        width, _, height = size.partition("x")
        if self._font_hinted or not width.isdigit() or int(width) <= SMALL_PRINT_COLUMNS:
            return
        self._font_hinted = True
        self.notify(t("host.projector_font", width=width, height=height), timeout=12)

    def apply(self, state: MeetingState) -> None:
        self.state = state
        self.show_state()

    # -- actions: every meeting key goes through the podium's guard -------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a dialog is open no meeting key acts: only the dialog's own keys do.
        A phase without a clock (the results) hides the clock's keys, so the footer
        keeps room for the keys that do something there."""
        if action in HOST_ACTIONS and self.dialog_open:
            return False
        return not (action in TIMER_ACTIONS and self.state.step.timing is None)

    def guarded(self, action: str, do: Callable[[], None]) -> None:
        """Act, ask first, ask for a reason, or say where the key works."""
        verdict = judge(action, self.state)
        if verdict.do == REFUSE:
            self.notify(verdict.message, severity="warning", timeout=3)
        elif verdict.do == ASK:
            self.push_screen(
                Confirm(verdict.message, verdict.yes), lambda yes: do() if yes else None
            )
        elif verdict.do == REASON:
            self.push_screen(
                AskReason(verdict.message, t("poll.reopen_yes")),
                lambda reason: self.reopen_poll(reason) if reason else None,
            )
        else:
            do()

    def action_toggle_timer(self) -> None:
        self.guarded("toggle_timer", lambda: self.write(self.store.toggle_timer, then=self.apply))

    def turn_results_page(self, delta: int) -> bool:
        """On the results screen PageDown/PageUp turn the ranking's pages first."""
        if not self.state.results_visible(self.meeting):
            return False
        return self.query_one(ResultsView).turn(delta)

    def action_next_phase(self) -> None:
        if not self.clicker.accept():
            return  # a held or bouncing clicker key moves one step
        if self.turn_results_page(+1):
            return
        step = self.state.step
        auto = step.timing is not None and step.timing.auto_start
        auto = auto and step.phase != Phase.SCORING  # 测评's clock starts with scoring (v)
        if auto and step.timer is not None and not step.timer.started:
            self.write(self.store.toggle_timer, then=self.apply)  # the first press starts it
            return
        self.guarded("next_phase", lambda: self.write(lambda: self.store.move(+1), then=self.apply))

    def action_previous_phase(self) -> None:
        if not self.clicker.accept():
            return
        if self.turn_results_page(-1):
            return
        self.guarded(
            "previous_phase", lambda: self.write(lambda: self.store.move(-1), then=self.apply)
        )

    def action_add_time(self) -> None:
        self.write(lambda: self.store.adjust_timer(+30), then=self.apply)

    def action_remove_time(self) -> None:
        self.write(lambda: self.store.adjust_timer(-30), then=self.apply)

    def action_reset_timer(self) -> None:
        self.guarded("reset_timer", lambda: self.write(self.store.reset_timer, then=self.apply))

    def action_show_results(self) -> None:
        def go() -> None:
            last = len(self.state.steps) - 1
            self.write(lambda: self.store.move(last - self.store.state().position), then=self.apply)

        self.guarded("show_results", go)

    def action_toggle_poll(self) -> None:
        def opened(state: MeetingState) -> None:
            self.apply(state)
            self.keep_service_running()
            self.notify(t("poll.opened"))

        def closed(state: MeetingState) -> None:
            self.apply(state)  # phones are refused from now; "已结束" once the history is gone
            self.run_worker(self._forget_history, thread=True, group="forget", exit_on_error=False)

        def toggle() -> None:
            if self.state.poll == Poll.NOT_OPEN:
                self.open_after_check(opened)  # the slips' address is this laptop's
            elif self.state.poll == Poll.OPEN:
                # The tally's code loads with the first close, not with the podium (#14 §2).
                from core.ballots.results import close_scoring

                self.write(lambda: close_scoring(self.store), then=closed)

        self.guarded("toggle_poll", toggle)

    def reopen_poll(self, reason: str) -> None:
        def reopened(state: MeetingState) -> None:
            self.apply(state)
            self.keep_service_running()
            self.notify(t("poll.reopened"))

        self.open_after_check(reopened, reason)

    def action_toggle_blank(self) -> None:
        """Can wait: kept and retried while the database is busy (the title bar says
        what the projector shows once it is stored)."""
        blank = self._blank_wanted = not self._blank_wanted
        self.write(
            lambda: self.store.set_projector_blank(blank),
            then=lambda _: self.show_blank(blank),
            wait=True,
            key="blank",
        )

    def show_blank(self, blank: bool) -> None:
        self.show_text(
            "#title-bar",
            f"{self.meeting.title}　" + t("host.projector_blank") if blank else self.meeting.title,
        )

    def action_request_quit(self) -> None:
        """Always asks: a stray `q` (or a clicker's key that lands here) never closes
        the podium in front of the room."""
        timer = self.state.step.timer
        question = t("quit.confirm") if timer is not None and timer.running else t("quit.ask")
        self.push_screen(Confirm(question), lambda yes: self.exit() if yes else None)
