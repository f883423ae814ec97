"""Every key of the consoles, in one place.

Presenter clickers send PageUp/PageDown (next/previous slide) and usually `b`
or `.` (black screen), F5 and Esc (start/stop the slide show): PageUp/PageDown
move through the agenda, `b`/`.` blank the projector, F5 and Esc do nothing.
To rebind a key, change it here (Textual key names, comma-separated).
The footer shows the keys in this order; the ones a host needs most come first
so a narrow terminal never loses them.
"""

from __future__ import annotations

from textual.binding import Binding

from core.i18n import t

# action: (keys, description, shown in the footer)
HOST_KEYS: dict[str, tuple[str, str, bool]] = {
    "toggle_timer": ("space", t("key.toggle"), True),
    "next_phase": ("pagedown,right", t("key.next"), True),
    "previous_phase": ("pageup,left", t("key.prev"), True),
    "toggle_poll": ("v", t("key.poll"), True),
    "show_results": ("t", t("key.results"), True),
    "request_quit": ("q,ctrl+q,ctrl+c", t("key.quit"), True),
    "add_time": ("plus,equals_sign", t("key.plus"), True),
    "remove_time": ("minus,underscore", t("key.minus"), False),  # shown with "+" as "+/-"
    "reset_timer": ("r", t("key.reset"), True),
    "toggle_blank": ("b,full_stop", t("key.blank"), True),
}

# Keys of the phase clock: hidden (and inert) in a phase that has none.
TIMER_ACTIONS = frozenset({"toggle_timer", "add_time", "remove_time", "reset_timer"})
# Keys that turn the ranking's pages on the results screen before they move a step.
PAGE_ACTIONS = ("next_phase", "previous_phase")

KEY_DISPLAY = {
    "pagedown,right": "PgDn",
    "pageup,left": "PgUp",
    "plus,equals_sign": "+/-",
    "minus,underscore": "-",
    "q,ctrl+q,ctrl+c": "q",
    "b,full_stop": "b",
}


def bindings(keys: dict[str, tuple[str, str, bool]]) -> list[Binding]:
    return [
        Binding(
            key,
            action,
            label,
            show=show,
            key_display=t("key.space") if key == "space" else KEY_DISPLAY.get(key),
            id=action,
            priority=True,
        )
        for action, (key, label, show) in keys.items()
    ]
