"""The [keys] section: the presenter clicker's keys at the podium.

[keys]
next = ["pagedown", "right"]     # 下一步 (a clicker's "next slide")
previous = ["pageup", "left"]    # 上一步
blank = ["b", "."]               # 投影黑屏
scoring = "v"                    # 开始 / 结束测评
results = "t"                    # 显示结果

Each value is a key name or a list of them, written as a person names the key
("PageDown", "PgDn", "→", ".", "F5", "Shift+F5", "Esc") or as Textual names it
("pagedown", "full_stop"); it is stored in Textual's spelling. A key used for two
things, or one the podium keeps for itself (Space, q, +, -, r, c, F1, ?), is refused
with the clash named.
"""

from __future__ import annotations

import re
from typing import Any

from core.i18n import t
from core.meeting.file.fields import FieldReader, _join
from core.meeting.file.values import _shown

# The clicker's actions, their defaults (Textual key names, first is the main one).
CLICKER_DEFAULTS: dict[str, tuple[str, ...]] = {
    "next": ("pagedown", "right"),
    "previous": ("pageup", "left"),
    "blank": ("b", "full_stop"),
    "scoring": ("v",),
    "results": ("t",),
}
# The podium's other keys: never a clicker action's.
PODIUM_FIXED: dict[str, tuple[str, ...]] = {
    "toggle_timer": ("space",),
    "request_quit": ("q", "ctrl+q", "ctrl+c"),
    "help": ("f1", "question_mark"),
    "add_time": ("plus", "equals_sign"),
    "remove_time": ("minus", "underscore"),
    "reset_timer": ("r",),
    "connection_test": ("c",),  # 连通测试, before scoring opens (#18)
}

NAMED = {
    "pagedown",
    "pageup",
    "home",
    "end",
    "up",
    "down",
    "left",
    "right",
    "space",
    "enter",
    "escape",
    "tab",
    "backspace",
    "delete",
    "insert",
}
PUNCTUATION = {
    ".": "full_stop",
    ",": "comma",
    "-": "minus",
    "+": "plus",
    "=": "equals_sign",
    "_": "underscore",
    "/": "slash",
    ";": "semicolon",
    "'": "apostrophe",
    "[": "left_square_bracket",
    "]": "right_square_bracket",
    "\\": "backslash",
    "`": "grave_accent",
    "?": "question_mark",
}
ALIASES = {
    "pgdn": "pagedown",
    "pgdown": "pagedown",
    "page_down": "pagedown",
    "pgup": "pageup",
    "page_up": "pageup",
    "→": "right",
    "←": "left",
    "↑": "up",
    "↓": "down",
    "esc": "escape",
    "return": "enter",
    "空格": "space",
    "del": "delete",
    "ins": "insert",
    "period": "full_stop",
    "dot": "full_stop",
    "句号": "full_stop",
}
MODIFIERS = ("ctrl", "shift", "alt")
MAX_KEYS = 6  # per action: a clicker sends one or two


def normalise_key(text: str) -> str | None:
    """A key as a person writes it → Textual's name; None when it is no key."""
    spelled = text.strip()
    if not spelled or len(spelled) > 30:
        return None
    if spelled in PUNCTUATION:
        return PUNCTUATION[spelled]
    parts = spelled.replace(" ", "").split("+")
    if spelled.endswith("++"):  # "ctrl++"
        parts = [*parts[:-2], "+"]
    *modifiers, base = parts
    modifiers = [m.lower() for m in modifiers]
    if any(m not in MODIFIERS for m in modifiers) or len(set(modifiers)) != len(modifiers):
        return None
    lowered = base.lower()
    if base in PUNCTUATION:
        name = PUNCTUATION[base]
    elif lowered in ALIASES or base in ALIASES:
        name = ALIASES.get(lowered, ALIASES.get(base, ""))
    elif (
        lowered in NAMED
        or lowered in PUNCTUATION.values()
        or re.fullmatch(r"f([1-9]|1[0-9]|2[0-4])", lowered)
        or re.fullmatch(r"[a-z0-9]", lowered)
    ):
        name = lowered
    else:
        return None
    return "+".join([*sorted(modifiers, key=MODIFIERS.index), name])


class KeysReader(FieldReader):
    def clicker_keys(self, value: Any) -> dict[str, tuple[str, ...]]:
        """The clicker's keys the file sets (actions it leaves out keep the defaults)."""
        path = "keys"
        table = self.table(value, path, tuple(CLICKER_DEFAULTS))
        out: dict[str, tuple[str, ...]] = {}
        for action in CLICKER_DEFAULTS:
            if action not in table:
                continue
            where = _join(path, action)
            raw = table[action]
            items = raw if isinstance(raw, list) else [raw]
            if not items or len(items) > MAX_KEYS or not all(isinstance(i, str) for i in items):
                self.fail(where, t("err.keys_type", got=_shown(raw), most=MAX_KEYS))
                continue
            keys: list[str] = []
            for item in items:
                name = normalise_key(item)
                if name is None:
                    self.fail(where, t("err.key_unknown", got=_shown(item)))
                elif name not in keys:
                    keys.append(name)
            if keys:
                out[action] = tuple(keys)
        self._clashes(path, out)
        return out

    def _clashes(self, path: str, chosen: dict[str, tuple[str, ...]]) -> None:
        """A key that would mean two things at the podium."""
        owner: dict[str, str] = {}
        for action, keys in PODIUM_FIXED.items():
            for key in keys:
                owner[key] = action
        for action, defaults in CLICKER_DEFAULTS.items():
            for key in chosen.get(action, defaults):
                if key in owner:
                    other = owner[key]
                    self.fail(
                        _join(path, action),
                        t("err.key_clash", name=key, other=_title(other)),
                    )
                else:
                    owner[key] = f"keys.{action}"


def _title(owner: str) -> str:
    """How a clash names the key's other use: the podium's own keys by what they do,
    the file's clicker actions by their field."""
    titles = {
        "toggle_timer": t("key.toggle"),
        "request_quit": t("key.quit"),
        "help": t("key.help"),
        "add_time": t("key.plus"),
        "remove_time": t("key.minus"),
        "reset_timer": t("key.reset"),
        "connection_test": t("key.connection_test"),
    }
    return titles.get(owner, owner)
