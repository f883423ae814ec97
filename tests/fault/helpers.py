"""What the fault tests share: running a command in-process with a time limit."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

from tui.cli import run

CRASH = 70  # the generic "this is a bug" exit code


class TookTooLong(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """A hang (say, a number with a billion digits) fails the test instead of CI."""

    def expire(_signum, _frame):
        raise TookTooLong(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_command(*args: str, seconds: int = 20) -> int:
    with time_limit(seconds):
        return run([str(a) for a in args])
