"""The projector view (`sanshu display`): read-only, follows the podium.

It shows what the room should see and nothing for the operator. Designed for a
zoomed terminal (about 64x18 cells) as well as a large one (200x60): phase,
subject and time fill the screen; in 测评 the QR code is as large as fits with the
address under it and turnout beside it; the results follow the host's selected
row; the host's `b` blanks it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Static

from core.ballots.slips import ballot_address
from core.ballots.turnout import Counts
from core.i18n import t, tn
from core.meeting.labels import phase_label
from core.meeting.model import Phase, Poll
from core.record.entries import QuestionState
from core.venue.addresses import service_port
from core.venue.readiness import testing
from tui.base import SanshuApp
from tui.host import TICK_S
from tui.keys import DISPLAY, bindings
from tui.venue import CODE_SECONDS, Code, PhoneCount, phones_line, venue_codes
from tui.widgets.phase_timer import PhaseTimer, scoring_clock_note
from tui.widgets.qr import fit_scale, qr_size, qr_text
from tui.widgets.results import ResultsView
from tui.widgets.turnout import turnout_text

# Block-letter sizes for the clock, largest first: as large as the screen allows.
CLOCK_SCALES = (8, 7, 6, 5, 4, 3, 2, 1)


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
    BINDINGS = bindings(DISPLAY)
    KEYS = DISPLAY

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timer_widget = PhaseTimer(
            id="timer", reserve=(0, 6), scales=CLOCK_SCALES, notes="paused"
        )
        self._laid_out_for: tuple[object, ...] | None = None
        self._testing = False  # the podium's 连通测试 is on (#18)
        self._code_shown = 0  # which of the codes shown in turn is on screen
        self._codes: tuple[Code, ...] = ()  # those codes, read with the meeting's state

    def compose(self) -> ComposeResult:
        yield Static(self.meeting.title, id="title-bar")
        yield ResultsView(id="results", spread=True)
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
        self.phones = PhoneCount(
            self,
            service_port(self.store),
            self.store.meta("meeting_uid") or "",
            wanted=lambda: self.testing_now,
            changed=lambda _: self.show_phones(),
        )
        self.show_state()
        self.set_interval(TICK_S, self.tick)

    def tick(self) -> None:
        timer = self.timer_widget
        if self.is_running and timer.is_mounted:
            timer.refresh_time(self.clock())
            if self._codes and self.code_index() != self._code_shown:
                self.show_qr()  # the Wi-Fi's code and the address's, in turn

    def meeting_changed(self) -> None:
        self.show_state()

    def on_resize(self) -> None:
        """Every view is laid out again for the new size (a zoomed font, a new projector):
        the QR code, the clock's digits and the ranking's rows. After the refresh: the
        new size is the screen's only once the resize is laid out."""
        self.call_after_refresh(self.show_state)

    @property
    def scoring_open(self) -> bool:
        return self.state.step.phase == Phase.SCORING and self.state.poll == Poll.OPEN

    @property
    def testing_now(self) -> bool:
        """The connection test (before scoring opens): its code, the phones that passed."""
        return self._testing and self.state.poll != Poll.OPEN

    @property
    def shows_codes(self) -> bool:
        return self.scoring_open or self.testing_now

    def codes(self) -> tuple[Code, ...]:
        """What the code column shows (in turn when there are two: ① the Wi-Fi), as
        read when the meeting's state last changed: the clock's tick, ten times a
        second, reads neither the database nor the interfaces."""
        return self._codes

    def read_codes(self) -> tuple[Code, ...]:
        url = ballot_address(self.store)
        if self.testing_now:
            return venue_codes(self.meeting.network, f"{url}/test")
        return venue_codes(self.meeting.network, url)

    def code_index(self) -> int:
        return int(self.clock() // CODE_SECONDS) % max(1, len(self._codes))

    def show_phones(self) -> None:
        if self.testing_now:
            self.query_one("#turnout", Static).update(phones_line(self.phones.count))

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
        scoring = step.phase == Phase.SCORING
        # The QR code only while phones can vote: before, 测评尚未开始; after, 测评已结束
        # with the turnout (#19 §6).
        self._testing = testing(self.store)
        self._codes = self.read_codes() if self.shows_codes else ()
        self.screen.set_class(self.shows_codes, "-scoring")
        if self.shows_codes:
            self.show_qr()
        note = ""
        if step.phase == Phase.RESULTS and not state.results_visible(self.meeting):
            note = t("results.hidden")
        elif scoring and state.poll == Poll.NOT_OPEN:
            note = t("display.scoring_not_open")
        if self.testing_now:
            self.query_one("#phase", Static).update(t("venue.test_title"))
            self.query_one("#unit", Static).update("")
            note = t("venue.test_projector")
            self.show_phones()
            self.phones.ask()
        self.query_one("#stage-note", Static).update(note)
        timer = self.timer_widget
        # The question or the turnout needs its lines: the clock takes what is left.
        timer.reserve = (0, self.rows_beside_clock(asking, scoring))
        # During the connection test the room sees the test, not a clock that waits.
        timer.show(
            None if self.testing_now else step.timer,
            step.timing,
            self.clock(),
            scoring_clock_note(step.phase, state.poll, operator=False),
        )
        timer.on_resize()  # the reserve or the screen changed: the digits follow
        showing = state.results_visible(self.meeting)
        self.screen.set_class(showing, "-results")
        row = self.store.meta("results_row")
        if row is not None:
            self.query_one(ResultsView).select(int(row))  # follow the host's selection
        self.request_counts(with_tally=showing)
        if self.counts is not None:
            self.counts_changed(self.counts)
        self.say_size()

    def help_note(self) -> str:
        return t("help.display") + "\n\n" + super().help_note()

    def rows_beside_clock(self, asking: bool, scoring: bool) -> int:
        """Lines the stage needs besides the clock: title, phase, unit, the note and,
        in 询问 the question, in 测评 the turnout (a line per voter category)."""
        rows = 5
        if asking:
            rows += 7
        if scoring:
            rows += len(self.meeting.categories) + 3
        elif self.testing_now:
            rows += 4
        return rows

    def say_size(self) -> None:
        """Tell the podium this screen's size (it suggests a larger font when the
        letters are too small for the back row). Best effort: never worth a retry."""
        size = f"{self.size.width}x{self.size.height}"
        if self.size.width and self.store.meta("projector_size") != size:
            self.write(lambda: self.store.set_meta("projector_size", size), quiet=True)

    def counts_changed(self, counts: Counts) -> None:
        scoring = self.state.step.phase == Phase.SCORING
        if self.testing_now:
            self.show_phones()  # the turnout's place shows the phones that passed
        else:
            self.query_one("#turnout", Static).update(
                turnout_text(counts, self.state.poll, self.meeting.expected_voters, bar=self.bar())
                if scoring and self.state.poll != Poll.NOT_OPEN
                else ""
            )
        if counts.tally is not None and self.state.results_visible(self.meeting):
            self.query_one(ResultsView).show(counts.tally)

    def bar(self) -> int:
        """Turnout bars as long as the stage allows (6 to 30 cells)."""
        stage = self.size.width - (self.qr_columns() if self.shows_codes else 0) - 4
        names = max((cell_len(c.name) for c in self.meeting.categories), default=4)
        return max(6, min(30, stage - names - 12))

    def qr_scale(self, data: str) -> int:
        """As large as fits: at most half the width (the clock and the turnout keep the
        other half), under the title and above the address."""
        width, height = self.size
        return fit_scale(data, width // 2 - 2, height - 3)

    def qr_columns(self) -> int:
        """The code column's width: the widest of the codes shown in turn."""
        widths = [
            qr_size(code.data, scale)[0] + 2
            for code in self.codes()
            if (scale := self.qr_scale(code.data))
        ]
        return max(widths, default=0)

    def show_qr(self) -> None:
        self._code_shown = self.code_index()
        code = self.codes()[self._code_shown]
        scale = self.qr_scale(code.data)
        qr = self.query_one("#qr", Static)
        qr.display = scale > 0  # too small a screen for a code that scans: spelled out
        qr.update(qr_text(code.data, scale) if scale else "")
        self.query_one("#address", Static).update(code.caption if scale else code.spelled)
        # The column is as wide as its code; without one, as its text (at most half).
        spelled = max(cell_len(line) for line in code.spelled.splitlines()) + 2
        column = self.query_one("#qr-column")
        column.styles.width = None if scale else min(spelled, self.size.width // 2)

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
