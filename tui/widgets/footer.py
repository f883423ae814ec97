"""A footer whose keys keep one order, whatever has the focus.

Textual orders footer keys by the focused widget's binding chain, so the order
changed as the focus moved (and the last keys fell off a narrow screen). Here the
order is the one given, most needed first.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class OrderedFooter(Footer):
    def __init__(self, order: Iterable[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.order = {action: index for index, action in enumerate(order)}

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        first: dict[str, tuple] = {}  # action → its first shown binding
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in first:
                first[binding.action] = (binding, enabled, tooltip)
        actions = sorted(first, key=lambda action: self.order.get(action, len(self.order)))
        self.styles.grid_size_columns = len(actions)
        # An app may say what a key does now, when that is not its usual label.
        describe = getattr(self.app, "key_description", lambda _action: None)
        for action in actions:
            binding, enabled, tooltip = first[action]
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                describe(action) or binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
