"""Limits on guessing codes, and receipts on their way to the voter.

Only failures count, and only a failure is ever slowed or refused: a valid code is
always answered at once, so a whole office behind one NAT address keeps voting
while someone at the same address (or anywhere) types codes at random. Past 30
unknown codes a minute from one address, or 300 from everyone together, each
further unknown code is answered only after a pause, and the page says when the
address may try again. A guesser learns nothing faster than one code per pause per
connection; the codes themselves (50 random bits among a few hundred slips) are
what keep a guess from ever hitting.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Callable

FAILURES_PER_MINUTE = 30  # from one address
ALL_FAILURES_PER_MINUTE = 300  # from every address together
PENALTY_S = 2.0  # how long an unknown code waits for its answer once over the limit
MAX_PAUSED = 256  # answers held back at once, at most (each holds a connection)
MAX_ADDRESSES = 10_000  # memory stays bounded whatever the callers do


class FailureLimit:
    def __init__(
        self,
        limit: int = FAILURES_PER_MINUTE,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        overall: int = ALL_FAILURES_PER_MINUTE,
    ):
        self.limit = limit
        self.overall = overall
        self.window_s = window_s
        self.clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._all: deque[float] = deque()
        self.penalty_s = PENALTY_S
        self._paused = 0

    async def pause(self) -> None:
        """Hold back the answer to an unknown code past the limit."""
        if self._paused >= MAX_PAUSED:
            return
        self._paused += 1
        try:
            await asyncio.sleep(self.penalty_s)
        finally:
            self._paused -= 1

    def _recent(self, address: str) -> deque[float]:
        times = self._failures.get(address)
        if times is None:
            return deque()
        self._expire(times)
        if not times:
            del self._failures[address]
        return times

    def _expire(self, times: deque[float]) -> None:
        cutoff = self.clock() - self.window_s
        while times and times[0] < cutoff:
            times.popleft()

    def failed(self, address: str) -> float | None:
        """Count an unknown code from `address`. Returns None while the address (and
        everyone together) is within the limit; else the seconds until it is again."""
        times = self._recent(address)
        if not times:
            self._failures[address] = times
        now = self.clock()
        times.append(now)
        self._failures.move_to_end(address)
        while len(self._failures) > MAX_ADDRESSES:
            self._failures.popitem(last=False)
        self._all.append(now)
        self._expire(self._all)
        waits = []
        if len(times) > self.limit:
            waits.append(times[-self.limit - 1] + self.window_s - now)
        if len(self._all) > self.overall:
            waits.append(self._all[-self.overall - 1] + self.window_s - now)
        return max(waits) if waits else None


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
