"""Every key of every console, in one table.

Each console's keys: the action, its keys (Textual key names, comma-separated), what
the footer and the help panel call it (looked up when shown, so the language is the
one in force then, never the one at import), whether the footer shows it, and how it
names the keys. The consoles build their bindings, their footers and their help
panels from here and nowhere else.

Presenter clickers differ by vendor: PageUp/PageDown, Left/Right, F5/Shift+F5/Esc,
`.`/`b`. The meeting's own clicker keys (next, previous, blank, scoring, results)
come from the meeting file's `[keys]` section (`core/meeting/file/keys.py`) and
replace the defaults below through Textual's keymap: the bindings' ids are the
actions. `sanshu keys` shows what each pressed key is read as.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual.binding import Binding

from core.i18n import t
from core.meeting.file.keys import CLICKER_DEFAULTS, PODIUM_FIXED


@dataclass(frozen=True)
class Key:
    action: str
    keys: str  # Textual key names, comma-separated; the first is the main one
    label: Callable[[], str]  # what it does, in the current language
    show: bool = True  # in the footer
    display: str | None = None  # how the footer names the keys (None: Textual's way)
    # What the footer says when one entry stands for more keys than this one ("+/-").
    footer_label: Callable[[], str] | None = None
    priority: bool = False  # before the focused widget's own use of the key


HELP = Key("help", ",".join(PODIUM_FIXED["help"]), lambda: t("key.help"), display="?")


# The meeting file's clicker actions (its [keys] fields) and the podium's actions.
CLICKER_ACTIONS = {
    "next": "next_phase",
    "previous": "previous_phase",
    "blank": "toggle_blank",
    "scoring": "toggle_poll",
    "results": "show_results",
}


def _podium(action: str) -> str:
    """The podium's keys are the meeting file's defaults (core.meeting.file.keys), so
    the file's checks know every key the podium uses."""
    names = {act: name for name, act in CLICKER_ACTIONS.items()}
    keys = CLICKER_DEFAULTS[names[action]] if action in names else PODIUM_FIXED[action]
    return ",".join(keys)


HOST = (
    Key("toggle_timer", _podium("toggle_timer"), lambda: t("key.toggle")),
    Key("next_phase", _podium("next_phase"), lambda: t("key.next"), display="PgDn"),
    Key("previous_phase", _podium("previous_phase"), lambda: t("key.prev"), display="PgUp"),
    Key("toggle_poll", _podium("toggle_poll"), lambda: t("key.poll")),
    Key("show_results", _podium("show_results"), lambda: t("key.results")),
    Key("request_quit", _podium("request_quit"), lambda: t("key.quit"), display="q"),
    # Blanking the room's screen before the clock's fine-tuning: 80 columns show it.
    Key("toggle_blank", _podium("toggle_blank"), lambda: t("key.blank"), display="b"),
    HELP,
    Key(
        "add_time",
        _podium("add_time"),
        lambda: t("key.plus"),
        display="+/-",
        footer_label=lambda: t("key.plus_minus"),
    ),
    Key("remove_time", _podium("remove_time"), lambda: t("key.minus"), show=False),
    Key("reset_timer", _podium("reset_timer"), lambda: t("key.reset")),
    Key(
        "connection_test", _podium("connection_test"), lambda: t("key.connection_test"), show=False
    ),
)

CLERK = (
    # A tab's key moves the focus before the keys typed behind it are handed on.
    Key("tab('commentary')", "f2", lambda: t("key.tab_commentary"), priority=True),
    Key("tab('questions')", "f3", lambda: t("key.tab_questions"), priority=True),
    Key("tab('paper')", "f4", lambda: t("key.tab_paper"), priority=True),
    Key("attendance", "f5", lambda: t("key.attendance")),  # 签到: 出席 / 请假 / 缺席
    Key("to_ledger", "l", lambda: t("key.to_ledger")),  # 列入整改台账, on a list only
    Key("request_quit", "ctrl+q", lambda: t("key.quit_clerk"), priority=True),
    # In a text box `?` is a character: there F1 opens the help.
    Key("help", "f1,question_mark", lambda: t("key.help"), display="F1"),
)

LEDGER = (
    Key("add", "a", lambda: t("tui.ledger.add")),
    Key("edit", "e", lambda: t("tui.ledger.edit")),
    Key("close_item", "c", lambda: t("tui.ledger.close")),
    Key("overdue", "o", lambda: t("tui.ledger.overdue")),
    Key("answered", "m", lambda: t("tui.ledger.answered")),
    Key("quit", "q", lambda: t("tui.ledger.quit")),
    HELP,
)

# The projector: nothing for the operator on screen; not Esc (a clicker sends it).
DISPLAY = (
    Key("quit", "q,ctrl+q", lambda: t("key.quit"), show=False),
    Key("help", "f1,question_mark", lambda: t("key.help"), show=False),
)

# `sanshu new` / `sanshu edit`: the meeting form.
NEW_MEETING = (
    Key("save", "ctrl+s", lambda: t("key.new.save"), priority=True),
    Key("step(1)", "ctrl+n", lambda: t("key.new.next"), priority=True),
    Key("step(-1)", "ctrl+p", lambda: t("key.new.previous"), priority=True),
    Key("request_quit", "ctrl+q", lambda: t("key.quit"), priority=True),
    Key("help", "f1", lambda: t("key.help"), display="F1", priority=True),
)

# The meeting file's [keys] section: its names for the clicker's actions.
# Keys of the phase clock: hidden (and inert) in a phase that has none.
TIMER_ACTIONS = frozenset({"toggle_timer", "add_time", "remove_time", "reset_timer"})
# Keys that turn the ranking's pages on the results screen before they move a step.
PAGE_ACTIONS = ("next_phase", "previous_phase")


def bindings(keys: Iterable[Key], *, priority: bool = False) -> list[Binding]:
    """Textual bindings for a console's keys; each binding's id is its action, so the
    meeting's keymap can rebind it. The footer and the help panel look the label up
    when they are drawn (`Key.label`); the description here only tells Textual the
    key has one (it hides bindings without)."""
    return [
        Binding(
            key.keys,
            key.action,
            key.action,
            show=key.show,
            key_display=key.display,
            id=key.action,
            priority=priority or key.priority,
        )
        for key in keys
    ]


def keymap(clicker: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The meeting file's clicker keys as a Textual keymap (binding id → keys)."""
    return {CLICKER_ACTIONS[name]: ",".join(keys) for name, keys in clicker.items() if keys}


KEY_NAMES = {  # how a person names a key the help panel shows
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "right": "→",
    "left": "←",
    "up": "↑",
    "down": "↓",
    "full_stop": ".",
    "comma": ",",
    "plus": "+",
    "minus": "-",
    "equals_sign": "=",
    "underscore": "_",
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "backspace": "Backspace",
    "delete": "Delete",
}


def key_name(key: str) -> str:
    """`pagedown` → PgDn, `ctrl+q` → Ctrl+Q, `f5` → F5, `shift+f5` → Shift+F5."""
    *modifiers, base = key.split("+")
    if base == "space":
        return "+".join([*(m.title() for m in modifiers), t("key.space")])
    name = KEY_NAMES.get(base) or (base.upper() if len(base) <= 3 else base.title())
    if len(base) == 1:
        name = base.upper() if modifiers else base
    return "+".join([*(m.title() for m in modifiers), name])


def main_key(keys: Iterable[Key], action: str) -> str:
    """How a person names the first key of `action` (a tab's label shows it: 点评 F2)."""
    return next((key_name(key.keys.split(",")[0]) for key in keys if key.action == action), "")


def key_names(keys: str) -> str:
    return " / ".join(key_name(key) for key in keys.split(",") if key)
