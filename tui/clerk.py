"""The clerk's console (`sanshu clerk`): commentary, questions and paper ballots."""

from __future__ import annotations

import time
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import (
    Input,
    Label,
    ListItem,
    ListView,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from core.i18n import t, tn
from core.record.drafts import draft_subjects, load_draft, save_draft
from core.record.entries import Commentary, Question, QuestionState
from core.record.labels import question_state_label
from core.store import Clock
from tui.base import SanshuApp, write_problem
from tui.host import step_title
from tui.keys import CLERK, bindings, main_key
from tui.messages import EntrySubmitted
from tui.paper import PaperPane
from tui.widgets.confirm import Confirm
from tui.widgets.entry import EntryArea, EntryEditor, KeyedInput
from tui.widgets.footer import OrderedFooter

DRAFT_BOXES = ("commentary-text", "question-text")
NAME_BOXES = {"commenter": "#commentary-text", "asker": "#question-text"}  # Enter moves on
ENTRY_BOXES = {*DRAFT_BOXES, *NAME_BOXES}
DRAFT_SAVE_S = 0.3  # typed text reaches the database this often (a kill -9 loses less)

STATE_STYLE = {"queued": "", "asking": "bold reverse", "answered": "dim", "withdrawn": "dim strike"}


def question_text(number: int, question: Question) -> Text:
    text = Text()
    text.append(f"{number}. ", style="bold")
    text.append(f"[{question_state_label(question.state)}] ", style=STATE_STYLE[question.state])
    if question.asker:
        text.append(f"{question.asker}：", style="bold")
    text.append(question.text)
    if question.answer:
        text.append("\n   " + t("question.answer", answer=question.answer), style="italic")
    return text


def commentary_text(entry: Commentary) -> Text:
    stamp = time.strftime("%H:%M", time.localtime(entry.at))
    return Text.assemble((f"{stamp} ", "dim"), (f"{entry.commenter}：", "bold"), entry.text)


LEDGER_LISTS = {"question-list": "question", "commentary-list": "commentary"}  # `l` works here


class DraftArea(EntryArea):
    """One of the record's boxes. Its text belongs to `subject`, and everything that
    decides where typed text goes happens in this box's own message queue, in the
    order the keys came: the characters, Enter (refused or taken, then the box is
    cleared) and a change of subject (`ClerkApp.rebind`). Keys already on their way
    to the box when the podium moves on stay with the subject they were typed for."""

    def __init__(self, *, name_box: str, needs_name: bool, **kwargs) -> None:
        super().__init__(**kwargs)
        self.subject = ""
        self.name_box = name_box  # the 点评人 / 提问人 box beside it
        self.needs_name = needs_name
        self.held = False  # taken by Enter, not yet handed to the database writer

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            self.submit()
            return
        await super()._on_key(event)

    def show_draft(self, text: str) -> None:
        """Show a kept draft with the cursor at its end, where typing goes on."""
        self.load_text(text)
        self.move_cursor(self.document.end)

    def submit(self) -> None:
        text = self.text.strip()
        if not text:
            return
        name_box = self.app.query_one(self.name_box, Input)
        who = name_box.value.strip()
        if self.needs_name and not who:
            # Refused in one line; the cursor stays here, so what is typed next lands
            # where it was typed (the focus is not taken away mid-typing).
            self.app.notify(t("clerk.need_name", what=name_box.placeholder), severity="warning")
            return
        self.held = True
        self.post_message(EntrySubmitted(self.id or "", text, self.subject, who))
        self.load_text("")  # free for the next entry at once


def _tab(name: str, title: str) -> str:
    """A tab's title with the key that opens it, from the one key table (点评 F2)."""
    action = f"tab('{name}')"
    return f"{title} {main_key(CLERK, action)}"


class ClerkApp(SanshuApp):
    CSS_PATH = "clerk.tcss"
    ACTOR = "clerk"
    BINDINGS = [
        *bindings(CLERK),
        # Keys that move the focus between the record's boxes act when the app reads
        # them, before the keys behind them are handed on: a fast burst (tmux, a
        # paste, a quick typist) never sends the next characters to the box just left.
        Binding("tab", "move_focus(1)", show=False, priority=True),
        Binding("shift+tab", "move_focus(-1)", show=False, priority=True),
        Binding("enter", "name_entered", show=False, priority=True),
    ]
    KEYS = CLERK

    def __init__(
        self, db_path: str | Path, *, clock: Clock = time.time, clerk: str = "记录员"
    ) -> None:
        super().__init__(db_path, clock=clock)
        self.clerk = clerk
        self.podium_subject = self.state.step.subject
        self.subject = self.podium_subject or self.meeting.onsite[0].name
        self._saved_drafts: dict[tuple[str, str], str] = {}  # (box, subject) → text stored
        self._unsaved: dict[tuple[str, str], str] = {}  # (box, subject) → text not stored yet
        self._undo: tuple[str, int, str] | None = None  # (kind, id, state before)
        self._shown: dict[str, tuple] = {}  # list id → what it shows (rebuild only on change)

    def compose(self) -> ComposeResult:
        yield Static(id="title-bar")
        with Horizontal(id="subject-bar"):
            yield Label(t("clerk.subject"))
            yield Select(
                [(s.name, s.name) for s in self.meeting.onsite],
                value=self.subject,
                allow_blank=False,
                id="subject",
            )
            yield Static(id="following")
        with TabbedContent(initial="questions"):
            with (
                TabPane(_tab("commentary", t("clerk.tab.commentary")), id="commentary"),
                Vertical(),
            ):
                yield from self.entry_pane("commenter", self.meeting.commenters, "commentary")
            with TabPane(_tab("questions", t("clerk.tab.questions")), id="questions"), Vertical():
                yield from self.entry_pane("asker", self.meeting.askers, "question")
            with TabPane(_tab("paper", t("clerk.tab.paper")), id="paper"):
                yield PaperPane(self.store, self.clerk)
        yield OrderedFooter(CLERK, compact=True)

    def entry_pane(self, who: str, names: tuple[str, ...], kind: str) -> ComposeResult:
        """Who (suggested from the meeting file, any name may be typed), what, and the list."""
        if kind == "question":
            who_text, what_text, hint = (
                t("clerk.asker"),
                t("clerk.question_text"),
                t("clerk.queue_hint"),
            )
        else:
            who_text, what_text, hint = (
                t("clerk.commenter"),
                t("clerk.commentary_text"),
                t("clerk.commentary_hint"),
            )
        with Horizontal(classes="entry-row"):
            yield KeyedInput(
                placeholder=who_text,
                id=who,
                suggester=SuggestFromList(names, case_sensitive=False),
            )
            yield DraftArea(
                id=f"{kind}-text",
                placeholder=what_text,
                name_box=f"#{who}",
                needs_name=kind == "commentary",
            )
        yield Static(hint, classes="hint")
        yield ListView(id=f"{kind}-list")

    def on_mount(self) -> None:
        self.title = f"{self.meeting.title} · " + t("clerk.title")
        self.query_one("#title-bar", Static).update(self.title)
        self.load_drafts()
        self.show_record()
        self.show_following()
        self.query_one("#question-text", EntryArea).focus()
        self.set_interval(DRAFT_SAVE_S, self.save_drafts)

    # -- following the podium --------------------------------------------------

    def meeting_changed(self) -> None:
        podium = self.state.step.subject
        if podium and podium != self.podium_subject:
            self.podium_subject = podium
            # Follow the host in the order of the app's queue: keys it received before
            # this moment were typed for the subject on screen then.
            self.call_later(self.follow, podium)
        self.show_following()
        self.show_record()
        self.query_one(PaperPane).refresh_pending()

    def show_following(self) -> None:
        self.query_one("#following", Static).update(
            t("clerk.following", where=step_title(self.state.step))
        )

    def follow(self, subject: str) -> None:
        self.switch_to(subject)
        self.query_one("#subject", Select).value = subject

    @on(Select.Changed, "#subject")
    def switch_subject(self, event: Select.Changed) -> None:
        self.switch_to(str(event.value))

    def switch_to(self, new: str) -> None:
        """The record shows the new subject at once; each box changes over in its own
        queue, behind the keys already on their way to it (typed for the old one)."""
        if new == self.subject:
            return
        self.subject = new
        self.show_record()
        for area in self.query(DraftArea):
            area.call_later(self.rebind, area, new)

    def rebind(self, area: DraftArea, subject: str) -> None:
        """`area`'s text stays with its subject as a kept draft; the box takes `subject`'s."""
        old, text = area.subject, area.text
        if old == subject:
            return
        self._unsaved[(area.id or "", old)] = text
        area.subject = subject
        area.show_draft(self.draft(area.id or "", subject))
        self.save_drafts()
        if text.strip():
            self.notify(t("clerk.draft_kept", subject=old, now=subject))

    # -- drafts: in the database as they are typed ------------------------------

    def draft(self, box: str, subject: str) -> str:
        """The text kept for `box` under `subject`: not yet stored, or from the database."""
        if (box, subject) in self._unsaved:
            return self._unsaved[(box, subject)]
        text = load_draft(self.store, self.clerk, box, subject)
        self._saved_drafts[(box, subject)] = text
        return text

    def load_drafts(self) -> None:
        for area in self.query(DraftArea):
            area.subject = self.subject
            area.show_draft(self.draft(area.id or "", self.subject))

    def save_drafts(self) -> None:
        """What is typed reaches the database as it is typed, under the subject each box
        holds it for. While a saved entry waits for a busy database, its draft stays as
        it was (a crash then loses nothing); a kept draft waits in memory until stored."""
        if not self.is_running or self.writes_waiting:
            return  # shutting down (what the boxes held is stored), or the database is busy
        for area in self.query(DraftArea):
            if not area.held:
                self._unsaved[(area.id or "", area.subject)] = area.text
        for (box, subject), text in list(self._unsaved.items()):
            if text != self._saved_drafts.get((box, subject), ""):
                try:
                    save_draft(self.store, self.clerk, box, subject, text)
                except Exception as exc:
                    if write_problem(exc) is None:
                        raise
                    self._end_transaction()
                    return  # tried again at the next interval; the text stays kept
                self._saved_drafts[(box, subject)] = text
            del self._unsaved[(box, subject)]

    def action_request_quit(self) -> None:
        if self.dialog_open:
            return
        if self.writes_waiting:  # the database was busy: entries not stored yet
            self.push_screen(
                Confirm(tn("write.quit_waiting", self.writes_waiting)),
                lambda yes: self.exit() if yes else None,
            )
            return
        self.save_drafts()
        waiting = draft_subjects(self.store, self.clerk)
        if waiting:
            self.push_screen(
                Confirm(t("clerk.quit_draft", where="、".join(waiting))),
                lambda yes: self.exit() if yes else None,
            )
        else:
            self.exit()

    def help_note(self) -> str:
        tab = self.query_one(TabbedContent).active
        if tab == "commentary":
            note = t("help.clerk.commentary")
        elif tab == "paper":
            note = t("help.clerk.paper")
        else:
            note = t("help.clerk.questions")
        return note + "\n\n" + super().help_note()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`l` drafts a ledger item from the selected entry: the footer offers it only
        while a question or commentary list has the focus (in a box `l` is a letter)."""
        focused = self.focused
        if action == "to_ledger":
            return focused is not None and focused.id in LEDGER_LISTS and not self.dialog_open
        if action == "tab":
            return not self.dialog_open  # F2–F4 wait while a dialog is open
        if action == "move_focus":
            return focused is not None and focused.id in ENTRY_BOXES and not self.dialog_open
        if action == "name_entered":
            return focused is not None and focused.id in NAME_BOXES and not self.dialog_open
        return True

    def action_move_focus(self, step: int) -> None:
        if step > 0:
            self.action_focus_next()
        else:
            self.action_focus_previous()

    def action_name_entered(self) -> None:
        """Enter in 点评人 / 提问人 moves on to the text beside it."""
        focused = self.focused
        if focused is not None and focused.id in NAME_BOXES:
            # At once (Widget.focus() would wait for the queue: the keys behind Enter
            # would still go to the name box).
            self.screen.set_focus(self.query_one(NAME_BOXES[focused.id], DraftArea))

    # -- the record ------------------------------------------------------------

    def show_record(self) -> None:
        questions = self.record.questions(self.subject)
        self.fill_list(
            "#question-list",
            [(q.id, question_text(n, q)) for n, q in enumerate(questions, 1)],
            t("clerk.no_questions"),
        )
        self.fill_list(
            "#commentary-list",
            [(c.id, commentary_text(c)) for c in self.record.commentary(self.subject)],
            t("clerk.no_commentary"),
        )

    def fill_list(self, list_id: str, entries: list[tuple[int, Text]], empty: str) -> None:
        """Rebuild a list only when what it shows changed; the selection stays on the
        same entry (it follows a moved question), so the highlight never vanishes."""
        shown = (self.subject, tuple((i, text.plain) for i, text in entries))
        if self._shown.get(list_id) == shown:
            return
        self._shown[list_id] = shown
        view = self.query_one(list_id, ListView)
        selected = getattr(view.highlighted_child, "entry_id", None)
        old_index = view.index
        view.clear()
        for entry_id, text in entries:
            item = ListItem(Static(text))
            item.entry_id = entry_id  # type: ignore[attr-defined]
            view.append(item)
        if not entries:
            view.append(ListItem(Static(empty), disabled=True))
            return
        ids = [entry_id for entry_id, _ in entries]
        index = ids.index(selected) if selected in ids else min(old_index or 0, len(ids) - 1)
        self.call_after_refresh(self._select, view, index)

    @staticmethod
    def _select(view: ListView, index: int) -> None:
        if index < len(view.children):
            view.index = index

    def on_entry_submitted(self, message: EntrySubmitted) -> None:
        """A box took its text on Enter (the name beside it checked there, and the box
        already cleared): store it under the subject it was typed for."""
        subject, text = message.subject or self.subject, message.text
        if message.area_id == "commentary-text":
            commenter = message.who
            note = t("clerk.saved_commentary", commenter=commenter)
            change = lambda: self.record.add_commentary(subject, commenter, text)  # noqa: E731
        elif message.area_id == "question-text":
            asker = message.who
            note = t("clerk.saved_question")
            change = lambda: self.record.add_question(subject, asker, text)  # noqa: E731
        else:
            return

        def stored(_result: object) -> None:
            self.notify(note)
            self.save_drafts()  # the saved text is no longer a draft
            self.show_record()

        # The box is free for the next entry at once; a busy database keeps this one
        # (and its draft) until it is stored.
        self.query_one(f"#{message.area_id}", DraftArea).held = False
        self.write(change, then=stored, wait=True)

    def selected(self, list_id: str) -> int | None:
        view = self.query_one(list_id, ListView)
        return getattr(view.highlighted_child, "entry_id", None)

    def on_key(self, event) -> None:
        focused = self.focused
        if not isinstance(focused, ListView) or self.dialog_open:
            return
        if event.key == "u" and focused.id in ("question-list", "commentary-list"):
            event.stop()
            self.undo()
        elif focused.id == "question-list":
            question_id = self.selected("#question-list")
            if question_id is None:
                return
            actions = {
                "a": lambda: self.record.mark_asking(question_id),
                "w": lambda: self.withdraw(question_id),
                "left_square_bracket": lambda: self.record.move(question_id, -1),
                "right_square_bracket": lambda: self.record.move(question_id, +1),
            }
            if event.key in actions:
                event.stop()
                self.write(actions[event.key], then=lambda _: self.show_record())
            elif event.key == "e":
                event.stop()
                self.edit_question(question_id)
        elif focused.id == "commentary-list":
            entry_id = self.selected("#commentary-list")
            if entry_id is None:
                return
            if event.key == "e":
                event.stop()
                self.edit_commentary(entry_id)
            elif event.key == "delete":
                event.stop()

                def deleted(_result: object) -> None:
                    self._undo = ("commentary", entry_id, "")
                    self.notify(t("clerk.deleted"))
                    self.show_record()

                self.write(lambda: self.record.delete_commentary(entry_id), then=deleted)

    def withdraw(self, question_id: int) -> None:
        before = next(q.state for q in self.record.questions(self.subject) if q.id == question_id)
        if before == QuestionState.WITHDRAWN:
            return

        def withdrawn(_result: object) -> None:
            self._undo = ("question", question_id, before)
            self.notify(t("clerk.withdrawn"))

        self.write(lambda: self.record.withdraw(question_id), then=withdrawn)

    def undo(self) -> None:
        """Bring back the last deleted commentary or withdrawn question."""
        if self._undo is None:
            self.notify(t("clerk.nothing_to_undo"), severity="warning")
            return
        kind, entry_id, before = self._undo

        def undone(_result: object) -> None:
            self._undo = None
            self.notify(t("clerk.undone"))
            self.show_record()

        if kind == "commentary":
            self.write(lambda: self.record.restore_commentary(entry_id), then=undone)
        else:
            self.write(lambda: self.record.restore_question(entry_id, before), then=undone)

    @on(ListView.Selected, "#question-list")
    def answer_question(self, event: ListView.Selected) -> None:
        question_id = getattr(event.item, "entry_id", None)
        if question_id is None:
            return
        question = next(q for q in self.record.questions(self.subject) if q.id == question_id)

        def save(result: tuple[str, str] | None) -> None:
            if result:
                answer = result[1]
                self.write(
                    lambda: self.record.answer(question_id, answer),
                    then=lambda _: self.show_record(),
                    wait=True,
                )

        self.push_screen(
            EntryEditor(
                t("clerk.answer_title", asker=question.asker or question.text[:10]),
                t("clerk.answer_text"),
                question.answer,
            ),
            save,
        )

    def edit_question(self, question_id: int) -> None:
        question = next(q for q in self.record.questions(self.subject) if q.id == question_id)

        def save(result: tuple[str, str] | None) -> None:
            if result:
                asker, text = result
                self.write(
                    lambda: self.record.edit_question(question_id, asker, text),
                    then=lambda _: self.show_record(),
                    wait=True,
                )

        self.push_screen(
            EntryEditor(
                t("clerk.edit_question"),
                t("clerk.question_text"),
                question.text,
                t("clerk.asker"),
                question.asker,
                self.meeting.askers,
            ),
            save,
        )

    def edit_commentary(self, entry_id: int) -> None:
        entry = next(c for c in self.record.commentary(self.subject) if c.id == entry_id)

        def save(result: tuple[str, str] | None) -> None:
            if result:
                commenter, text = result[0] or entry.commenter, result[1]
                self.write(
                    lambda: self.record.edit_commentary(entry_id, commenter, text),
                    then=lambda _: self.show_record(),
                    wait=True,
                )

        self.push_screen(
            EntryEditor(
                t("clerk.edit_commentary"),
                t("clerk.commentary_text"),
                entry.text,
                t("clerk.commenter"),
                entry.commenter,
                self.meeting.commenters,
            ),
            save,
        )

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        target = {
            "commentary": "#commentary-text",
            "questions": "#question-text",
            "paper": "#paper-grid",
        }[tab]
        self.screen.set_focus(self.query_one(target))  # at once: the next keys go there

    def action_attendance(self) -> None:
        """The sign-in list: the clerk marks 出席 / 请假 / 缺席 as people arrive; Esc
        returns to the record."""
        from tui.attendance import AttendanceScreen

        if not self.dialog_open:
            self.push_screen(AttendanceScreen(self.db_path, clock=self.clock))

    def action_to_ledger(self) -> None:
        """The selected commentary or question becomes a draft rectification item (#13)."""
        from core.ledger.ledger import draft_entry, drafted_message

        focused = self.focused
        entry_id = (
            self.selected(f"#{focused.id}") if focused and focused.id in LEDGER_LISTS else None
        )
        if entry_id is not None and not self.dialog_open:
            kind = LEDGER_LISTS[focused.id]
            self.write(
                lambda: draft_entry(self.store, kind, entry_id),
                then=lambda drafted: self.notify(drafted_message(*drafted)),
            )
