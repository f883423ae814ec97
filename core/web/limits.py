"""A per-address limit on failed code attempts.

Only failures count: a whole office behind one NAT address, voting with valid
codes, never reaches the limit, while someone trying codes at random is stopped
after a few dozen misses a minute.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

FAILURES_PER_MINUTE = 30
MAX_ADDRESSES = 10_000  # memory stays bounded whatever the callers do


class FailureLimit:
    def __init__(
        self,
        limit: int = FAILURES_PER_MINUTE,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, address: str) -> deque[float]:
        times = self._failures.get(address)
        if times is None:
            return deque()
        cutoff = self.clock() - self.window_s
        while times and times[0] < cutoff:
            times.popleft()
        if not times:
            del self._failures[address]
        return times

    def blocked(self, address: str) -> bool:
        return len(self._recent(address)) >= self.limit

    def failed(self, address: str) -> None:
        times = self._recent(address)
        if not times:
            self._failures[address] = times
        times.append(self.clock())
        self._failures.move_to_end(address)
        while len(self._failures) > MAX_ADDRESSES:
            self._failures.popitem(last=False)


class ReceiptHandoff:
    """A receipt on its way to the voter's thank-you page, in memory only.

    The post stores the ballot and redirects (so Back or reload never posts again);
    the page after the redirect shows the receipt once and forgets it. A voter whose
    connection dropped, or who tapped twice, still sees it on their next request
    within a few minutes. Nothing of this is written anywhere.
    """

    def __init__(self, ttl_s: float = 600.0, clock: Callable[[], float] = time.monotonic):
        self.ttl_s = ttl_s
        self.clock = clock
        self._waiting: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def keep(self, key: str, receipt: str) -> None:
        self._waiting[key] = (receipt, self.clock() + self.ttl_s)
        while len(self._waiting) > MAX_ADDRESSES:
            self._waiting.popitem(last=False)

    def take(self, key: str) -> str | None:
        receipt, until = self._waiting.pop(key, (None, 0.0))
        return receipt if receipt is not None and self.clock() <= until else None
