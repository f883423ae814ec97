"""Paper ballots at the clerk's desk: keyboard-only entry, confirmed by a second person."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, ListItem, ListView, Select, Static

from core.ballots.items import Item, choice_labels, form_columns
from core.ballots.paper import confirm_paper_ballot, enter_paper_ballot, pending_paper_ballots
from core.ballots.storing import BallotEntry, Stored, ballot_grades
from core.ballots.tokens import BallotRefused
from core.ballots.validity import ballot_problems
from core.i18n import t, tn
from core.meeting.store import MeetingStore
from core.store import StoreBusy, StoreError
from core.web.form import COMMENT_LIMIT  # as on the phone form
from tui.widgets.confirm import Confirm


def grade_keys(labels: list[str], abstain: str | None) -> dict[str, str]:
    """1 → 好, 2 → 较好, …; 0 → the abstain choice."""
    keys = {str(i): label for i, label in enumerate(labels, 1) if label != abstain}
    if abstain:
        keys["0"] = abstain
    return keys


COMMENT = "comment"  # the grid's last column: the voter's 意见建议 on that subject
COMMENT_PREVIEW = 10  # characters of a comment the grid shows


HEADING_WIDTH = 8  # cells of a criterion's column: four Chinese characters, 不了解 fits


def wrap_heading(text: str, width: int) -> list[str]:
    """A heading in lines of at most `width` cells (a Chinese character is two)."""
    lines, line = [], ""
    for char in text:
        if cell_len(line + char) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines or [""]


def comment_preview(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return "·"
    return text if len(text) <= COMMENT_PREVIEW else text[:COMMENT_PREVIEW] + "…"


class BallotGrid(DataTable):
    """Subjects down, criteria across, then the subject's comment (意见建议), in the
    paper form's order; a digit fills a cell and moves on (over the comment column),
    Enter writes the comment of the selected subject."""

    BINDINGS = [
        Binding("backspace", "clear_back", show=False),
        Binding("enter", "comment", show=False),
    ]

    class CommentWanted(Message):
        """Enter (or a click on a comment): write this subject's comment."""

        def __init__(self, subject: str) -> None:
            super().__init__()
            self.subject = subject

    def __init__(self, store: MeetingStore, *, wrap_headings: bool = False, **kwargs) -> None:
        """`wrap_headings`: long criteria over a few lines, so the whole grid is seen
        without scrolling (the check dialog); the entry screen keeps one heading line
        for more rows and scrolls sideways with the cursor."""
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.wrap_headings = wrap_headings
        self.meeting = store.meeting
        self.columns_ = form_columns(self.meeting)
        self.subjects = [s.name for s in (*self.meeting.onsite, *self.meeting.written)]
        self.keys = grade_keys(choice_labels(self.meeting), self.meeting.abstain)
        self.grades: dict[Item, str | None] = {}
        self.comments: dict[str, str] = {}

    def on_mount(self) -> None:
        if self.wrap_headings:
            # Criteria are long (履行管党治党政治责任): over a few lines, so the grid fits
            # 80 columns whole in the check dialog, which cannot scroll.
            width = max(HEADING_WIDTH, *map(cell_len, choice_labels(self.meeting)))
            labels = [wrap_heading(column, width) for column in self.columns_]
            self.header_height = max(len(label) for label in labels)
            for column, label in zip(self.columns_, labels, strict=True):
                self.add_column(Text("\n".join(label)), key=column, width=width)
        else:
            for column in self.columns_:
                self.add_column(column, key=column)
        self.add_column(t("paper.comment_column"), key=COMMENT, width=COMMENT_PREVIEW * 2 + 1)
        for subject in self.subjects:
            self.add_row(*["·"] * (len(self.columns_) + 1), key=subject, label=subject)

    def set_entry(self, grades: dict[Item, str | None], comments: dict[str, str]) -> None:
        self.grades = dict(grades)
        for (subject, column), grade in self.grades.items():
            self.update_cell(subject, column, grade or "·")
        for subject in set(self.comments) | set(comments):
            self.set_comment(subject, comments.get(subject, ""))

    def set_comment(self, subject: str, text: str) -> None:
        text = text.strip()
        if text:
            self.comments[subject] = text
        else:
            self.comments.pop(subject, None)
        self.update_cell(subject, COMMENT, comment_preview(text))

    def reset(self) -> None:
        self.set_entry(dict.fromkeys(self.grades, None), {})
        self.grades = {}
        self.move_cursor(row=0, column=0)

    def action_comment(self) -> None:
        if not self.disabled:
            self.post_message(self.CommentWanted(self.subjects[self.cursor_coordinate.row]))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        """A click on a comment cell writes that subject's comment."""
        event.stop()
        if event.cell_key.column_key == COMMENT:
            self.post_message(self.CommentWanted(self.subjects[event.coordinate.row]))

    def on_key(self, event) -> None:
        if event.character in self.keys:
            event.stop()
            row, column = self.cursor_coordinate
            if column >= len(self.columns_):  # on the comment: a digit grades nothing
                return
            item = (self.subjects[row], self.columns_[column])
            self.grades[item] = self.keys[event.character]
            self.update_cell(item[0], item[1], self.keys[event.character])
            self._step(+1)

    def action_clear_back(self) -> None:
        """Undo the last entry: the previous cell, or this one at the very end."""
        row, column = self.cursor_coordinate
        column = min(column, len(self.columns_) - 1)  # from the comment: its row's last grade
        self.move_cursor(row=row, column=column)
        at_end = (row, column) == (len(self.subjects) - 1, len(self.columns_) - 1)
        if not (at_end and self.grades.get((self.subjects[row], self.columns_[column]))):
            self._step(-1)
        row, column = self.cursor_coordinate
        item = (self.subjects[row], self.columns_[column])
        self.grades[item] = None
        self.update_cell(item[0], item[1], "·")

    def _step(self, delta: int) -> None:
        width = len(self.columns_)
        row, column = self.cursor_coordinate
        index = max(0, min(row * width + column + delta, len(self.subjects) * width - 1))
        self.move_cursor(row=index // width, column=index % width)


class PaperPane(Vertical):
    """Enter one paper ballot at a time; list those waiting for a second person."""

    DEFAULT_CSS = """
    PaperPane #paper-top { height: auto; }
    PaperPane #paper-top Select { width: 30; }
    PaperPane #paper-top Input { width: 24; }
    PaperPane BallotGrid { height: 1fr; }
    PaperPane #paper-pending { height: 8; border: round $primary-lighten-1; }
    PaperPane .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("ctrl+s", "save", show=False)]

    def __init__(self, store: MeetingStore, clerk: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.clerk = clerk
        self._warned_incomplete = False

    def compose(self) -> ComposeResult:
        categories = [(c.name, c.name) for c in self.store.meeting.categories]
        with Horizontal(id="paper-top"):
            yield Select(
                categories, prompt=t("paper.category"), id="paper-category", allow_blank=False
            )
            yield Input(self.clerk, placeholder=t("paper.entered_by"), id="paper-by")
        keys = " ".join(
            f"{k}={v}"
            for k, v in grade_keys(
                choice_labels(self.store.meeting), self.store.meeting.abstain
            ).items()
        )
        yield Static(t("paper.hint", keys=keys), classes="hint")
        yield BallotGrid(self.store, id="paper-grid")
        pending = ListView(id="paper-pending")
        pending.border_title = t("paper.pending")
        yield pending

    def on_mount(self) -> None:
        self.refresh_pending()

    def refresh_pending(self) -> None:
        view = self.query_one("#paper-pending", ListView)
        view.clear()
        ballots = pending_paper_ballots(self.store)
        for ballot in ballots:
            item = ListItem(
                Label(
                    f"#{ballot.id}  {ballot.category}  "
                    + t("paper.entered_by")
                    + f"：{ballot.entered_by}"
                )
            )
            item.ballot_id = ballot.id  # type: ignore[attr-defined]
            view.append(item)
        if not ballots:
            view.append(ListItem(Label(t("paper.none_pending")), disabled=True))

    @on(BallotGrid.CommentWanted)
    def write_comment(self, event: BallotGrid.CommentWanted) -> None:
        """The comment box for one subject; Enter keeps it in the grid, Esc leaves it."""
        grid = self.query_one(BallotGrid)
        subject = event.subject

        def done(text: str | None) -> None:
            if text is not None:
                grid.set_comment(subject, text)
            grid.focus()

        self.app.push_screen(CommentBox(subject, grid.comments.get(subject, "")), done)

    def action_save(self) -> None:
        grid = self.query_one(BallotGrid)
        grades = {(s, c): grid.grades.get((s, c)) for s in grid.subjects for c in grid.columns_}
        entry = BallotEntry(grades, dict(grid.comments))
        blanks = sum(1 for g in grades.values() if not g)
        if blanks == len(grades):  # a whole blank form: an explicit choice, never a double key
            self.app.push_screen(
                Confirm(t("paper.all_blank"), t("paper.all_blank_yes")),
                lambda yes: self.store_ballot(entry) if yes else None,
            )
            return
        if blanks and not self._warned_incomplete:
            self._warned_incomplete = True
            self.notify(tn("paper.incomplete", blanks), severity="warning")
            return
        self.store_ballot(entry)

    def store_ballot(self, entry: BallotEntry) -> None:
        problems = ballot_problems(self.store.meeting, entry.grades, on_screen=False)
        category = str(self.query_one("#paper-category", Select).value)
        entered_by = self.query_one("#paper-by", Input).value.strip() or self.clerk

        def enter() -> Stored | None:
            try:
                return enter_paper_ballot(self.store, category, entry, entered_by)
            except BallotRefused:
                return None

        # A busy database refuses it in one line and the grid keeps every grade: Ctrl+S
        # again stores the same ballot.
        self.app.write(enter, then=lambda stored: self.stored(stored, problems))

    def stored(self, stored: Stored | None, problems: list) -> None:
        if stored is None:
            self.notify(t("paper.not_open"), severity="error")
            return
        grid = self.query_one(BallotGrid)
        self._warned_incomplete = False
        if problems:
            reasons = "；".join(p.message for p in problems)
            self.notify(t("paper.invalid", reasons=reasons), severity="warning", timeout=8)
        self.notify(t("paper.saved", id=stored.ballot_id))
        grid.reset()
        grid.focus()
        self.refresh_pending()

    @on(ListView.Selected, "#paper-pending")
    def check_ballot(self, event: ListView.Selected) -> None:
        ballot_id = getattr(event.item, "ballot_id", None)
        if ballot_id is None:
            return
        category = next(b.category for b in pending_paper_ballots(self.store) if b.id == ballot_id)

        def done(confirmer: str | None) -> None:
            if confirmer:
                self.notify(t("paper.confirmed", id=ballot_id))
            self.refresh_pending()

        self.app.push_screen(ConfirmPaper(self.store, ballot_id, category), done)


class ConfirmPaper(ModalScreen[str | None]):
    """A second person checks the typed ballot against the paper form."""

    DEFAULT_CSS = """
    ConfirmPaper { align: center middle; }
    ConfirmPaper > Vertical {
        width: 96%; height: 90%; padding: 1 2; border: thick $warning; background: $surface;
    }
    ConfirmPaper BallotGrid { height: 1fr; }
    ConfirmPaper Horizontal { height: auto; margin-top: 1; }
    ConfirmPaper Input { width: 30; }
    ConfirmPaper Button { margin-left: 2; }
    ConfirmPaper #confirm-problem { color: $error; text-style: bold; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False), Binding("ctrl+s", "confirm", show=False)]

    def __init__(self, store: MeetingStore, ballot_id: int, category: str) -> None:
        super().__init__()
        self.store, self.ballot_id, self.category = store, ballot_id, category

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("[b]" + t("paper.confirm_title", id=self.ballot_id, category=self.category))
            yield BallotGrid(self.store, id="confirm-grid", wrap_headings=True)
            yield Static("", id="confirm-problem")
            with Horizontal():
                yield Input(placeholder=t("paper.confirmer"), id="confirmer")
                yield Button(t("quit.no"), id="cancel")
                yield Button(t("paper.confirm"), id="confirm", variant="warning")

    def on_mount(self) -> None:
        grid = self.query_one(BallotGrid)
        entry = ballot_grades(self.store, self.ballot_id)
        grid.set_entry(entry.grades, entry.comments)  # the comments are checked too
        grid.disabled = True  # look, don't touch
        self.query_one("#confirmer", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_confirm() if event.button.id == "confirm" else self.action_cancel()

    def on_input_submitted(self) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        """Confirm here, so a refusal (the person who typed it may not confirm it) keeps
        the dialog open for the right person to type their name."""
        box = self.query_one("#confirmer", Input)
        confirmer = box.value.strip()
        if not confirmer:
            return

        def confirm() -> str | None:
            try:
                confirm_paper_ballot(self.store, self.ballot_id, confirmer)
            except StoreBusy:
                raise  # the console says so; the name stays for another try
            except StoreError as exc:
                return str(exc)  # refused: e.g. the person who typed it
            return None

        def done(refusal: str | None) -> None:
            if refusal is None:
                self.dismiss(confirmer)
                return
            self.query_one("#confirm-problem", Static).update(refusal)
            box.value = ""
            box.focus()

        self.app.write(confirm, then=done)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CommentBox(ModalScreen[str | None]):
    """One subject's comment from the paper form, typed as it is written (up to the
    phone form's limit); Enter keeps it, Esc leaves the grid as it was."""

    DEFAULT_CSS = """
    CommentBox { align: center middle; }
    CommentBox > Vertical {
        width: 90%; height: auto; padding: 1 2; border: thick $primary; background: $surface;
    }
    CommentBox Input { width: 100%; }
    CommentBox .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, subject: str, text: str) -> None:
        super().__init__()
        self.subject, self.text = subject, text

    def compose(self) -> ComposeResult:
        with Vertical():
            title = Text(t("paper.comment_title", subject=self.subject), style="bold")
            yield Label(title)  # a subject's name is text, never markup
            yield Input(self.text, max_length=COMMENT_LIMIT, id="paper-comment")
            yield Static(t("paper.comment_hint", limit=COMMENT_LIMIT), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
