"""A footer whose keys keep one order, whatever has the focus.

Textual orders footer keys by the focused widget's binding chain, so the order
changed as the focus moved (and the last keys fell off a narrow screen). Here the
order is the console's key table (`tui/keys.py`), most needed first, and each key's
label is looked up when the footer is drawn (in the language in force then).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tui.keys import Key, key_name


class OrderedFooter(Footer):
    def __init__(self, keys: tuple[Key, ...], **kwargs) -> None:
        super().__init__(**kwargs)
        self.keys = {key.action: key for key in keys}
        self.order = {action: index for index, action in enumerate(self.keys)}

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        first: dict[str, tuple] = {}  # action → its first shown binding
        bound: dict[str, list[str]] = {}  # action → every key bound to it now
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action in self.keys:
                bound.setdefault(binding.action, []).append(binding.key)
                first.setdefault(binding.action, (binding, enabled, tooltip))
        actions = sorted(first, key=self.order.__getitem__)
        self.styles.grid_size_columns = len(actions)
        # An app may say what a key does now, when that is not its usual label.
        describe = getattr(self.app, "key_description", lambda _action: None)
        for action in actions:
            binding, enabled, tooltip = first[action]
            key = self.keys[action]
            # The meeting's keymap may have rebound it: then name a key it has now.
            defaults = key.keys.split(",")
            keys = bound[action]
            if set(keys) == set(defaults):
                display = key.display or key_name(defaults[0])
            else:
                display = key_name(next((k for k in keys if k not in defaults), keys[0]))
            yield FooterKey(
                binding.key,
                display,
                describe(action) or (key.footer_label or key.label)(),
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
