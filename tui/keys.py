"""Every key of the consoles, in one place.

Presenter clickers send PageUp/PageDown, so those move through the agenda too.
To rebind a key, change it here (Textual key names, comma-separated).
"""

from __future__ import annotations

from textual.binding import Binding

from core.i18n import t

# action: (keys, description key, shown in the footer)
HOST_KEYS: dict[str, tuple[str, str, bool]] = {
    "toggle_timer": ("space", "key.toggle", True),
    "next_phase": ("pagedown,right", "key.next", True),
    "previous_phase": ("pageup,left", "key.prev", True),
    "add_time": ("plus,equals_sign", "key.plus", True),
    "remove_time": ("minus,underscore", "key.minus", False),  # shown with "+" as "+/-"
    "reset_timer": ("r", "key.reset", True),
    "toggle_poll": ("v", "key.poll", True),
    "show_results": ("t", "key.results", True),
    "request_quit": ("q", "key.quit", True),
}

KEY_DISPLAY = {
    "pagedown,right": "PgDn/→",
    "pageup,left": "PgUp/←",
    "plus,equals_sign": "+/-",
    "minus,underscore": "-",
}


def bindings(keys: dict[str, tuple[str, str, bool]]) -> list[Binding]:
    return [
        Binding(
            key,
            action,
            t(label),
            show=show,
            key_display=t("key.space") if key == "space" else KEY_DISPLAY.get(key),
            id=action,
            priority=True,
        )
        for action, (key, label, show) in keys.items()
    ]
