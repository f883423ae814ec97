"""`sanshu keys`: press a key (a clicker's, the keyboard's) and see what the podium
reads it as, before the meeting. The podium's keys and the meeting file's [keys] come
from the one key table (`tui/keys.py`); nothing is written anywhere."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import RichLog, Static

from core.i18n import t
from tui.base import THEME
from tui.keys import HOST, Key, key_name, keymap


def podium_keys(clicker: dict[str, tuple[str, ...]]) -> dict[str, Key]:
    """Textual key name → the podium key it triggers, with the meeting's clicker keys."""
    rebound = keymap(clicker)
    out: dict[str, Key] = {}
    for key in HOST:
        for name in rebound.get(key.action, key.keys).split(","):
            out[name] = key
    return out


def reading(pressed: events.Key, keys: dict[str, Key]) -> Text:
    """One line: the key as Textual names it, as a person names it, and what it does."""
    line = Text()
    line.append(key_name(pressed.key), style="bold")
    line.append(f"  ({pressed.key})  → ", style="dim")
    key = keys.get(pressed.key)
    if key is None:
        line.append(t("keys.nothing"), style="yellow")
    else:
        line.append(key.label(), style="bold green")
    return line


class KeysApp(App[None]):
    """Every key is read, none acts: Ctrl+Q (not a clicker's key) closes it."""

    ENABLE_COMMAND_PALETTE = False
    CSS = """
    Screen { background: $background; }
    #intro { padding: 1 2; color: $text-muted; }
    #last { padding: 0 2; height: 3; content-align: left middle; text-style: bold; }
    RichLog { padding: 0 2; }
    """
    BINDINGS = [Binding("ctrl+q", "quit", show=False, priority=True)]

    def __init__(self, clicker: dict[str, tuple[str, ...]], source: str) -> None:
        super().__init__()
        self.register_theme(THEME)
        self.theme = THEME.name
        self.keys = podium_keys(clicker)
        self.source = source

    def compose(self) -> ComposeResult:
        yield Static(t("keys.intro", source=self.source), id="intro")
        yield Static(id="last")
        yield RichLog(id="log", max_lines=200)

    def on_key(self, event: events.Key) -> None:
        if event.key == "ctrl+q":
            return
        event.stop()
        event.prevent_default()
        line = reading(event, self.keys)
        self.query_one("#last", Static).update(line)
        self.query_one(RichLog).write(line)
