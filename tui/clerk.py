"""The clerk's console (`sanshu clerk`): commentary, questions and paper ballots."""

from __future__ import annotations

import time
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import (
    Footer,
    Input,
    Label,
    ListItem,
    ListView,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from core.i18n import t
from core.record import Commentary, Question
from core.store import Clock
from tui.base import SanshuApp
from tui.host import step_title
from tui.messages import EntrySubmitted
from tui.paper import PaperPane
from tui.widgets.entry import EntryArea, EntryEditor

STATE_STYLE = {"queued": "", "asking": "bold reverse", "answered": "dim", "withdrawn": "dim strike"}


def question_text(number: int, question: Question) -> Text:
    text = Text()
    text.append(f"{number}. ", style="bold")
    text.append(f"[{t('question.' + question.state)}] ", style=STATE_STYLE[question.state])
    if question.asker:
        text.append(f"{question.asker}：", style="bold")
    text.append(question.text)
    if question.answer:
        text.append("\n   " + t("question.answer", answer=question.answer), style="italic")
    return text


def commentary_text(entry: Commentary) -> Text:
    stamp = time.strftime("%H:%M", time.localtime(entry.at))
    return Text.assemble((f"{stamp} ", "dim"), (f"{entry.commenter}：", "bold"), entry.text)


class ClerkApp(SanshuApp):
    CSS_PATH = "clerk.tcss"
    ACTOR = "clerk"
    BINDINGS = [
        Binding("f1", "tab('commentary')", t("key.tab_commentary")),
        Binding("f2", "tab('questions')", t("key.tab_questions")),
        Binding("f3", "tab('paper')", t("key.tab_paper")),
        Binding("ctrl+q", "quit", t("key.quit_clerk"), priority=True),
    ]

    def __init__(
        self, db_path: str | Path, *, clock: Clock = time.time, clerk: str = "记录员"
    ) -> None:
        super().__init__(db_path, clock=clock)
        self.clerk = clerk
        self.podium_subject = self.state.step.subject
        self.subject = self.podium_subject or self.meeting.onsite[0].name
        self.drafts: dict[tuple[str, str], str] = {}  # (entry box, subject) → unsaved text

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
            with TabPane(t("clerk.tab.commentary"), id="commentary"), Vertical():
                yield from self.entry_pane("commenter", self.meeting.commenters, "commentary")
            with TabPane(t("clerk.tab.questions"), id="questions"), Vertical():
                yield from self.entry_pane("asker", self.meeting.askers, "question")
            with TabPane(t("clerk.tab.paper"), id="paper"):
                yield PaperPane(self.store, self.clerk)
        yield Footer(compact=True)

    def entry_pane(self, who: str, names: tuple[str, ...], kind: str) -> ComposeResult:
        """Who (suggested from the meeting file, any name may be typed), what, and the list."""
        with Horizontal(classes="entry-row"):
            yield Input(
                placeholder=t(f"clerk.{who}"),
                id=who,
                suggester=SuggestFromList(names, case_sensitive=False),
            )
            yield EntryArea(id=f"{kind}-text", placeholder=t(f"clerk.{kind}_text"))
        yield Static(t(f"clerk.{'queue' if kind == 'question' else kind}_hint"), classes="hint")
        yield ListView(id=f"{kind}-list")

    def on_mount(self) -> None:
        self.title = f"{self.meeting.title} · {t('clerk.title')}"
        self.query_one("#title-bar", Static).update(self.title)
        self.show_record()
        self.show_following()
        self.query_one("#question-text", EntryArea).focus()

    # -- following the podium --------------------------------------------------

    def meeting_changed(self) -> None:
        podium = self.state.step.subject
        if podium and podium != self.podium_subject:
            self.podium_subject = podium
            self.query_one("#subject", Select).value = podium  # follow the host
        self.show_following()
        self.show_record()
        self.query_one(PaperPane).refresh_pending()

    def show_following(self) -> None:
        self.query_one("#following", Static).update(
            t("clerk.following", where=step_title(self.state.step))
        )

    @on(Select.Changed, "#subject")
    def switch_subject(self, event: Select.Changed) -> None:
        new = str(event.value)
        if new == self.subject:
            return
        kept = False
        for box in ("commentary-text", "question-text"):
            area = self.query_one(f"#{box}", EntryArea)
            if area.text.strip():
                self.drafts[(box, self.subject)] = area.text
                kept = True
            else:
                self.drafts.pop((box, self.subject), None)
            area.load_text(self.drafts.pop((box, new), ""))
        if kept:
            self.notify(t("clerk.draft_kept", subject=self.subject))
        self.subject = new
        self.show_record()

    # -- the record ------------------------------------------------------------

    def show_record(self) -> None:
        questions = self.query_one("#question-list", ListView)
        index = questions.index
        questions.clear()
        entries = self.record.questions(self.subject)
        for number, question in enumerate(entries, 1):
            item = ListItem(Static(question_text(number, question)))
            item.entry_id = question.id  # type: ignore[attr-defined]
            questions.append(item)
        if not entries:
            questions.append(ListItem(Static(t("clerk.no_questions")), disabled=True))
        elif index is not None:
            questions.index = min(index, len(entries) - 1)
        commentary = self.query_one("#commentary-list", ListView)
        commentary.clear()
        entries_c = self.record.commentary(self.subject)
        for entry in entries_c:
            item = ListItem(Static(commentary_text(entry)))
            item.entry_id = entry.id  # type: ignore[attr-defined]
            commentary.append(item)
        if not entries_c:
            commentary.append(ListItem(Static(t("clerk.no_commentary")), disabled=True))

    def on_entry_submitted(self, message: EntrySubmitted) -> None:
        if message.area_id == "commentary-text":
            commenter = self.query_one("#commenter", Input).value.strip()
            if not commenter:
                self.notify(t("clerk.need_name", what=t("clerk.commenter")), severity="warning")
                self.query_one("#commenter", Input).focus()
                return
            self.record.add_commentary(self.subject, commenter, message.text)
            self.notify(t("clerk.saved_commentary", commenter=commenter))
        elif message.area_id == "question-text":
            asker = self.query_one("#asker", Input).value.strip()
            self.record.add_question(self.subject, asker, message.text)
            self.notify(t("clerk.saved_question"))
        else:
            return
        self.query_one(f"#{message.area_id}", EntryArea).load_text("")
        self._seen_version = self.store.data_version()
        self.show_record()

    def selected(self, list_id: str) -> int | None:
        view = self.query_one(list_id, ListView)
        return getattr(view.highlighted_child, "entry_id", None)

    def on_key(self, event) -> None:
        focused = self.focused
        if isinstance(focused, ListView) and focused.id == "question-list":
            question_id = self.selected("#question-list")
            if question_id is None:
                return
            actions = {
                "a": lambda: self.record.mark_asking(question_id),
                "w": lambda: self.record.withdraw(question_id),
                "left_square_bracket": lambda: self.record.move(question_id, -1),
                "right_square_bracket": lambda: self.record.move(question_id, +1),
            }
            if event.key in actions:
                event.stop()
                actions[event.key]()
                if "square" in event.key:
                    delta = -1 if event.key.startswith("left") else 1
                    focused.index = max(0, (focused.index or 0) + delta)
                self.show_record()
            elif event.key == "e":
                event.stop()
                self.edit_question(question_id)
        elif isinstance(focused, ListView) and focused.id == "commentary-list":
            entry_id = self.selected("#commentary-list")
            if entry_id is None:
                return
            if event.key == "e":
                event.stop()
                self.edit_commentary(entry_id)
            elif event.key == "delete":
                event.stop()
                self.record.delete_commentary(entry_id)
                self.show_record()

    @on(ListView.Selected, "#question-list")
    def answer_question(self, event: ListView.Selected) -> None:
        question_id = getattr(event.item, "entry_id", None)
        if question_id is None:
            return
        question = next(q for q in self.record.questions(self.subject) if q.id == question_id)

        def save(result: tuple[str, str] | None) -> None:
            if result:
                self.record.answer(question_id, result[1])
                self.show_record()

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
                self.record.edit_question(question_id, result[0], result[1])
                self.show_record()

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
                self.record.edit_commentary(entry_id, result[0] or entry.commenter, result[1])
                self.show_record()

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
        self.query_one(target).focus()
