"""What the ballot service holds between a POST and the GET it redirects to.

Post/Redirect/Get: a post is answered with a redirect, so Back or reload never
re-posts. What the next page needs (a refused ballot to correct, a receipt to
show once) waits here, in this process's memory only — never on disk, never in
the log — keyed by the hash of the voter's credential, bounded in number and
age. A restart forgets it: the voter then sees an empty form (with script, the
phone's own copy restores the choices) or "already submitted".
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class Kept:
    def __init__(
        self, *, max_age: float, limit: int = 10_000, clock: Callable[[], float] = time.monotonic
    ):
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._max_age = max_age
        self._limit = limit
        self._clock = clock

    def keep(self, key: str, value: Any) -> None:
        self._items.pop(key, None)
        self._items[key] = (self._clock(), value)
        while len(self._items) > self._limit:
            self._items.popitem(last=False)  # the oldest goes first

    def get(self, key: str) -> Any | None:
        kept = self._items.get(key)
        if kept is None:
            return None
        if self._clock() - kept[0] > self._max_age:
            del self._items[key]
            return None
        return kept[1]

    def take(self, key: str) -> Any | None:
        """The value, once: it is gone afterwards."""
        value = self.get(key)
        self.drop(key)
        return value

    def drop(self, key: str) -> None:
        self._items.pop(key, None)
