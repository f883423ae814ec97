"""Ask for a written reason before an exceptional change (reopening scoring)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from core.i18n import t


class AskReason(ModalScreen[str | None]):
    """Dismisses with the reason typed, or None when cancelled."""

    DEFAULT_CSS = """
    AskReason { align: center middle; }
    AskReason > Vertical {
        width: 64; max-width: 95%; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    AskReason Static { width: 100%; margin-bottom: 1; }
    AskReason Input { width: 100%; }
    AskReason Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    AskReason Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, question: str, yes: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.value = value  # the answer suggested (a file name)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question)
            placeholder = "" if self.value else t("reason.placeholder")
            yield Input(self.value, placeholder=placeholder, id="reason")
            yield Static("", id="reason-problem")
            with Horizontal():
                yield Button(t("quit.no"), id="cancel")
                yield Button(self.yes, id="ok", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_ok()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_ok() if event.button.id == "ok" else self.action_cancel()

    def action_ok(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if reason:
            self.dismiss(reason)
        else:
            self.query_one("#reason-problem", Static).update(t("reason.needed"))
            self.query_one("#reason", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
