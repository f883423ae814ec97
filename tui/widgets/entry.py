"""Text entry for the clerk: wraps long Chinese text, Enter saves."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, TextArea

from core.i18n import t
from tui.messages import EntrySubmitted


async def own_binding(widget: Input | TextArea, event: events.Key) -> bool:
    """Run the widget's own binding for `event` (Backspace, Ctrl+U, the arrows) in the
    widget's queue. Textual looks such bindings up when the key comes back to the app,
    from whatever has the focus *then*: in a burst that moves on (Ctrl+U, a name, Tab,
    the comment), Ctrl+U would clear the box the focus moved to."""
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if binding.priority:
            continue  # the app ran those when it read the key
        if await widget.app.run_action(binding.action, widget):
            event.prevent_default()
            event.stop()
            return True
    return False


class KeyedInput(Input):
    """An Input whose editing keys act on it, whatever has the focus by then (the
    clerk's name boxes, the attendance search)."""

    async def _on_key(self, event: events.Key) -> None:
        if not await own_binding(self, event):
            await super()._on_key(event)


class EntryArea(TextArea):
    """A wrapping text box where Enter submits instead of starting a new line; its
    editing keys act on it, whatever has the focus by then."""

    DEFAULT_CSS = """
    EntryArea { height: auto; min-height: 3; max-height: 7; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            if self.text.strip():
                self.post_message(EntrySubmitted(self.id or "", self.text.strip()))
            return
        if not await own_binding(self, event):
            await super()._on_key(event)


class EntryEditor(ModalScreen[tuple[str, str] | None]):
    """Edit a name and a text (commentary, a question, an answer)."""

    DEFAULT_CSS = """
    EntryEditor { align: center middle; }
    EntryEditor > Vertical {
        width: 80; max-width: 95%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    EntryEditor Label { margin-top: 1; }
    EntryEditor Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    EntryEditor Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False), Binding("ctrl+s", "save", show=False)]

    def __init__(
        self,
        title: str,
        text_label: str,
        text: str,
        name_label: str | None = None,
        name: str = "",
        names: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.title_text = title
        self.text_label, self.text_value = text_label, text
        self.name_label, self.name_value, self.names = name_label, name, names

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]{self.title_text}[/b]")
            if self.name_label:
                yield Label(self.name_label)
                yield Input(
                    self.name_value,
                    id="editor-name",
                    suggester=SuggestFromList(self.names, case_sensitive=False),
                )
            yield Label(self.text_label)
            yield EntryArea(text=self.text_value, id="editor-text")
            with Horizontal():
                yield Button(t("quit.no"), id="cancel")
                yield Button(t("editor.save"), id="save", variant="primary")

    def on_mount(self) -> None:
        area = self.query_one("#editor-text", EntryArea)
        area.focus()
        area.move_cursor(area.document.end)

    def on_entry_submitted(self, _message: EntrySubmitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        text = self.query_one("#editor-text", EntryArea).text.strip()
        name = self.query_one("#editor-name", Input).value.strip() if self.name_label else ""
        if text:
            self.dismiss((name, text))

    def action_cancel(self) -> None:
        self.dismiss(None)
