"""The venue's network at the podium and on the projector (#18).

- `VenueProblem`: the dialog when scoring cannot open because phones could not reach
  this laptop (the slips' address is not this laptop's, several addresses and none
  chosen, the port taken): both addresses and the ways out; scoring stays closed.
- `ConnectionTest`: the podium's 连通测试 view (key `c`, before scoring opens): the QR
  code of `/test`, the Wi-Fi, and "已连通 N 台手机" as the service counts it.
- `PhoneCount`: asks the service how many phones passed, in a worker thread.
- `venue_codes`: what the projector's code column shows in turn (① the Wi-Fi,
  ② the ballot or test address).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from core.errors import StoreError
from core.i18n import t
from core.meeting.agenda import MeetingState
from core.meeting.model import Poll, VenueNetwork
from core.meeting.store import MeetingStore
from core.venue.addresses import Source, Where, keep, service_port
from core.venue.readiness import (
    Readiness,
    check_venue,
    open_scoring,
    phones_tested_at,
    set_testing,
)
from core.venue.wifi import wifi_qr_text
from tui.widgets.qr import qr_size, qr_text

CODE_SECONDS = 8  # the projector shows the Wi-Fi's code and the address's in turn
COUNT_EVERY_S = 1.0  # how often the phones tested are asked for while it matters


@dataclass(frozen=True)
class Code:
    data: str  # what the QR code carries
    caption: str  # what it is for, one line under it
    spelled: str = ""  # what to read instead on a screen too small for the code


def venue_codes(network: VenueNetwork, url: str) -> tuple[Code, ...]:
    """The address's code captioned with the address; with the venue's Wi-Fi ([venue]),
    first ① the Wi-Fi's (its name and password spelled out where it does not fit),
    then ② the address's."""
    wifi = wifi_qr_text(network)
    if wifi is None:
        return (Code(url, url, url),)
    joined = t("venue.step_wifi", name=network.wifi_name)
    spelled = joined
    if network.wifi_password:
        spelled += "\n" + t("venue.wifi_password", password=network.wifi_password)
    second = t("venue.step_two", url=url)
    return (Code(wifi, joined, spelled), Code(url, second, second))


def phones_line(count: int | None) -> str:
    """已连通 N 台手机 (or that the service is not answering yet)."""
    return t("venue.phones", count=count) if count is not None else t("venue.no_service")


class PhoneCount:
    """How many phones passed `/test`, asked in a worker (the HTTP call may wait half a
    second) about once a second while `wanted()`; `changed(n)` on the screen thread."""

    def __init__(
        self, app: App[None], port: int, uid: str, wanted: Callable[[], bool], changed
    ) -> None:
        self.app, self.port, self.uid = app, port, uid
        self.wanted, self.changed = wanted, changed
        self.count: int | None = None
        app.set_interval(COUNT_EVERY_S, self.ask)

    def ask(self) -> None:
        if self.wanted() and self.app.is_running:
            self.app.run_worker(
                self._ask, thread=True, exclusive=True, group="phones", exit_on_error=False
            )

    def _ask(self) -> None:
        count = phones_tested_at(self.port, self.uid)
        if self.app.is_running:
            self.app.call_from_thread(self._arrived, count)

    def _arrived(self, count: int | None) -> None:
        if count != self.count:
            self.count = count
            self.changed(count)


class VenueProblem(ModalScreen[str | None]):
    """Scoring did not open: why, both addresses, and the ways out. Dismissed with
    "retry" (check again and open if it passes now), "test" (the connection test),
    an address chosen ("choose:<address>") or None (back; scoring stays closed)."""

    DEFAULT_CSS = """
    VenueProblem { align: center middle; }
    VenueProblem > Vertical {
        width: 96; max-width: 96%; height: auto; max-height: 96%; padding: 0 1;
        border: thick $error; background: $surface;
    }
    VenueProblem #venue-title { text-style: bold; color: $error; width: 100%; }
    VenueProblem VerticalScroll { height: auto; max-height: 1fr; }
    VenueProblem #venue-why { width: 100%; }
    VenueProblem Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    VenueProblem Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "answer(None)", show=False),
        Binding("enter,r", "answer('retry')", show=False),
    ]

    def __init__(self, readiness: Readiness) -> None:
        super().__init__()
        self.readiness = readiness
        undecided = readiness.where.source == Source.UNDECIDED
        self.choices = readiness.candidates[:9] if undecided else ()

    def compose(self) -> ComposeResult:
        text = Text("\n\n".join(self.readiness.blockers))
        for number, one in enumerate(self.choices, 1):
            line = t("venue.choose_key", number=number, address=one.address, name=one.name)
            text.append("\n" + line, style="bold")
        with Vertical():
            yield Static(t("venue.problem_title"), id="venue-title")
            with VerticalScroll():
                yield Static(text, id="venue-why")
            with Horizontal():
                yield Button(t("venue.back"), id="back")
                yield Button(t("venue.retry"), id="retry", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#retry", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss("retry" if event.button.id == "retry" else None)

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)

    def on_key(self, event) -> None:
        """1-9: the address of that number, when several are offered."""
        if event.character and event.character.isdigit():
            number = int(event.character)
            if 1 <= number <= len(self.choices):
                event.stop()
                self.dismiss("choose:" + self.choices[number - 1].address)


class ConnectionTest(ModalScreen[None]):
    """The podium's 连通测试: how many phones passed, what to do, and the codes (the
    Wi-Fi's and the test page's) when the terminal has room for them beside the rest,
    else their text; `c` or Esc ends it. The projector shows the codes large."""

    DEFAULT_CSS = """
    ConnectionTest { align: center middle; }
    ConnectionTest > Vertical {
        width: auto; min-width: 60; max-width: 98%; height: auto; max-height: 98%;
        padding: 0 1; border: thick $success; background: $surface;
    }
    ConnectionTest #test-title { text-style: bold; width: 100%; }
    ConnectionTest #test-phones { text-style: bold; color: $success; width: 100%; }
    ConnectionTest #test-codes { height: auto; width: auto; }
    ConnectionTest .code { width: auto; height: auto; margin-right: 2; }
    ConnectionTest #test-spelled { width: 100%; }
    ConnectionTest #test-note { width: 100%; max-width: 100; color: $text-muted; }
    """
    BINDINGS = [Binding("escape,c", "close", show=False, priority=True)]
    ROOM = 9  # rows besides the codes: borders, title, count, caption, the note

    def __init__(self, codes: tuple[Code, ...], count: int | None) -> None:
        super().__init__()
        self.codes, self.count = codes, count

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("venue.test_title"), id="test-title")
            yield Static(phones_line(self.count), id="test-phones")
            with Horizontal(id="test-codes"):
                for code in self.codes:
                    shown = qr_text(code.data)
                    shown.append("\n" + code.caption)
                    yield Static(shown, classes="code")
            yield Static("\n".join(code.spelled for code in self.codes), id="test-spelled")
            yield Static(t("venue.test_note"), id="test-note")

    def on_mount(self) -> None:
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """The codes when they fit whole (a cut code does not scan), else their text."""
        width, height = self.app.size
        sizes = [qr_size(code.data) for code in self.codes]
        fits = (
            sum(columns + 2 for columns, _ in sizes) + 4 <= width
            and max(rows for _, rows in sizes) + self.ROOM <= height
        )
        self.query_one("#test-codes").display = fits
        self.query_one("#test-spelled").display = not fits
        # Without the codes here, "scan the codes above" would send people looking.
        note = t("venue.test_note") if fits else t("venue.test_note_projector")
        self.query_one("#test-note", Static).update(note)

    def show_count(self, count: int | None) -> None:
        """The count as it arrives; one that comes before the panel is composed is what
        it composes with."""
        self.count = count
        for line in self.query("#test-phones").results(Static):
            line.update(phones_line(count))

    def action_close(self) -> None:
        self.dismiss(None)


class VenueAtPodium:
    """The podium's part (mixed into HostApp): scoring opens only once the venue passed
    (`v`), and `c` runs the connection test. The check is the one `sanshu serve`,
    `sanshu poll open` and `sanshu network` make (`core.venue.readiness`). It runs in a
    worker: besides this laptop's interfaces it asks the port (whether another
    meeting's service holds it), which may wait up to a second on a screen that must
    keep answering keys."""

    # The seam: tests pass their own interface lists through this.
    venue_check: Callable[[MeetingStore], Readiness] | None = None

    def with_readiness(self, then: Callable[[Readiness], None]) -> None:
        """The venue checked in a worker (its own connection), `then` on the screen's
        thread; a key pressed again while one check runs starts no second one."""
        if getattr(self, "_venue_checking", False):
            return
        self._venue_checking = True
        # The port too when this podium runs the service: another meeting's service left
        # on it (a rehearsal's) would answer every slip with 测评码无效.
        asks = bool(getattr(self, "manage_service", False))
        check = self.venue_check or (lambda store: check_venue(store, ask_service=asks))

        def work() -> None:
            try:
                with MeetingStore(self.db_path, actor="host") as store:
                    readiness = check(store)
            except StoreError as exc:  # a database another program holds: said, no more
                self.call_from_thread(self.say, str(exc), severity="error")
                return
            finally:
                self._venue_checking = False
            self.call_from_thread(then, readiness)

        self.run_worker(work, thread=True, group="venue", exit_on_error=False)

    def open_after_check(self, then: Callable[[MeetingState], None], reason: str = "") -> None:
        """Open scoring if phones can reach this laptop; else the dialog, scoring closed."""
        self.with_readiness(lambda readiness: self._open_if_ready(readiness, then, reason))

    def _open_if_ready(
        self, readiness: Readiness, then: Callable[[MeetingState], None], reason: str
    ) -> None:
        if readiness.blockers:
            self.push_screen(
                VenueProblem(readiness),
                lambda answer: self._venue_answer(
                    answer, lambda: self.open_after_check(then, reason)
                ),
            )
            return
        self.write(lambda: open_scoring(self.store, readiness, reason), then=then)

    def _venue_answer(self, answer: str | None, again: Callable[[], None]) -> None:
        """The dialog's answer: check again, or keep the address chosen and check again;
        None: back, and scoring stays closed."""
        if answer == "retry":
            again()
        elif answer and answer.startswith("choose:"):
            place = Where(answer.split(":", 1)[1], service_port(self.store), Source.SLIPS)
            self.write(lambda: keep(self.store, place, "podium"), then=lambda _: again())

    def action_connection_test(self) -> None:
        """`c`: the connection test, before scoring opens (the projector shows its code)."""
        if self.state.poll == Poll.OPEN:
            self.say(t("venue.test_while_open"))
            return
        self.with_readiness(self._start_test)

    def _start_test(self, readiness: Readiness) -> None:
        if readiness.blockers:
            self.push_screen(
                VenueProblem(readiness),
                lambda answer: self._venue_answer(answer, self.action_connection_test),
            )
            return
        place = readiness.where
        test = venue_codes(self.meeting.network, f"{place.url}/test")
        self.write(lambda: set_testing(self.store, True), then=lambda _: self._testing(test))

    def _testing(self, codes: tuple[Code, ...]) -> None:
        self.keep_service_running()
        panel = ConnectionTest(codes, self.phones.count)
        self.test_panel = panel
        self.push_screen(panel, lambda _: self._end_test())
        self.phones.ask()

    def _end_test(self) -> None:
        self.test_panel = None
        self.write(lambda: set_testing(self.store, False), wait=True, key="testing")

    def start_phone_count(self) -> None:
        self.test_panel: ConnectionTest | None = None
        self.phones = PhoneCount(
            self,
            service_port(self.store),
            self.store.meta("meeting_uid") or "",
            wanted=lambda: self.test_panel is not None,
            changed=lambda n: self.test_panel.show_count(n) if self.test_panel else None,
        )
