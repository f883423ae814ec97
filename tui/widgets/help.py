"""The `?` / F1 help panel of every console: its keys (from the one key table, as the
meeting's keymap binds them now) and what the current phase expects of the operator.
Esc (or `?` / F1 again) closes it."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from core.i18n import t
from tui.keys import Key, key_names


def key_rows(app, keys: tuple[Key, ...]) -> list[tuple[str, str]]:
    """(keys, what they do) for every key of the console, the keys as bound now."""
    bound: dict[str, list[str]] = {}
    for _, binding, _enabled, _tooltip in app.screen.active_bindings.values():
        bound.setdefault(binding.action, [])
        if binding.key not in bound[binding.action]:
            bound[binding.action].append(binding.key)
    rows = []
    for key in keys:
        defaults = key.keys.split(",")
        now = bound.get(key.action) or defaults
        # The table's order for its own keys, the meeting's keys first when rebound.
        now = sorted(now, key=lambda k: defaults.index(k) if k in defaults else -1)
        rows.append((key_names(",".join(now)), key.label()))
    return rows


class HelpPanel(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpPanel { align: center middle; }
    HelpPanel > VerticalScroll {
        width: 76; max-width: 95%; height: auto; max-height: 90%; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    HelpPanel Static { width: 100%; }
    HelpPanel #help-note { margin-top: 1; color: $text; }
    HelpPanel #help-foot { margin-top: 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape,f1,question_mark", "close", show=False, priority=True)]

    def __init__(self, title: str, rows: list[tuple[str, str]], note: str) -> None:
        super().__init__()
        self.title_text, self.rows, self.note = title, rows, note

    def compose(self) -> ComposeResult:
        width = max((cell_len(keys) for keys, _ in self.rows), default=0)
        table = Text()
        for keys, label in self.rows:
            table.append(keys + " " * (width - cell_len(keys) + 2), style="bold")
            table.append(label + "\n")
        table.rstrip()
        with VerticalScroll():
            yield Static(Text(self.title_text, style="bold"), id="help-title")
            yield Static(table, id="help-keys")
            yield Static(self.note, id="help-note")
            yield Static(t("help.close"), id="help-foot")

    def action_close(self) -> None:
        self.dismiss(None)
