"""What the fault tests share: running a command in-process with a time limit."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

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


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The file cannot be written by this process: read-only for a user, immutable for
    root (who may write any read-only file)."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", path]).returncode:
        pytest.skip("cannot make a file read-only for root here (no chattr)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", path], check=True)
