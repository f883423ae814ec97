"""The real `sanshu host` in a terminal: kill -9 mid-report, restart, carry on."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time

from core.meeting.podium import PodiumLock
from core.meeting.store import MeetingStore


def start_console(db, command: str = "host") -> tuple[subprocess.Popen, int]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", command, "--db", str(db)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    return process, master


def drain(master: int) -> None:
    os.set_blocking(master, False)
    try:
        while os.read(master, 65536):
            pass
    except (BlockingIOError, OSError):
        pass


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_kill_minus_nine_mid_report_then_restart(demo_db):
    process, master = start_console(demo_db)
    try:
        store = MeetingStore(demo_db)
        assert wait_for(lambda: _press_until_started(master, store)), "Space did not start"
        started_at = store.state().step.timer.started_at
        time.sleep(1.0)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    # Nothing was lost: the report timer still runs from the same instant.
    step = MeetingStore(demo_db).state().step
    assert step.phase == "report" and step.timer.running
    assert step.timer.started_at == started_at
    assert 400 < step.timer.remaining(time.time()) <= 479  # the second slept has passed
    # The killed console left no lock behind: a new podium may start at once.
    with PodiumLock(demo_db):
        pass
    second, master = start_console(demo_db)
    try:
        store = MeetingStore(demo_db)
        assert wait_for(lambda: _press_until(master, store, b"\x1b[C", "commentary"))
    finally:
        second.kill()
        second.wait(timeout=10)
        os.close(master)


def _press_until_started(master: int, store: MeetingStore) -> bool:
    drain(master)
    if store.state().step.timer.running:
        return True
    os.write(master, b" ")
    time.sleep(0.5)
    return store.state().step.timer.running


def _press_until(master: int, store: MeetingStore, keys: bytes, phase: str) -> bool:
    drain(master)
    if store.state().step.phase == phase:
        return True
    os.write(master, keys)
    time.sleep(0.5)
    return store.state().step.phase == phase
