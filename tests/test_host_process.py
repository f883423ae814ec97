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

import pytest

from core.meeting.podium import PodiumLock
from core.meeting.store import MeetingStore
from tests.conftest import wait_for, wait_for_event

pytestmark = pytest.mark.slow  # a real console in a terminal, started twice


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


class Screen:
    """What a console in a pseudo-terminal has written so far (read as it comes, so
    the console never blocks on a full terminal)."""

    def __init__(self, master: int):
        self.master = master
        self.output = b""
        os.set_blocking(master, False)

    def text(self) -> str:
        try:
            while chunk := os.read(self.master, 65536):
                self.output += chunk
        except (BlockingIOError, OSError):
            pass
        return self.output.decode("utf-8", errors="replace")

    def shows(self, text: str) -> bool:
        return text in self.text()

    def wait_for(self, text: str) -> None:
        wait_for(lambda: self.shows(text), what=f"the console to show {text!r}")


def test_kill_minus_nine_mid_report_then_restart(demo_db):
    process, master = start_console(demo_db)
    screen = Screen(master)
    try:
        screen.wait_for("按空格开始")  # the first frame is up: keys are read now
        os.write(master, b" ")
        wait_for_event(demo_db, "timer.started", actor="host")  # Space was handled
        started_at = MeetingStore(demo_db).state().step.timer.started_at
        # The report's clock runs on the real clock here (no clock to inject into
        # another process): let it run a second, so the restart must show it moved.
        wait_for(lambda: time.time() >= started_at + 1.0, what="a second of the report")
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
    assert 400 < step.timer.remaining(time.time()) <= 479  # the second waited has passed
    # The killed console left no lock behind: a new podium may start at once.
    with PodiumLock(demo_db):
        pass
    second, master = start_console(demo_db)
    screen = Screen(master)
    try:
        screen.wait_for("计时中")  # up, and showing the report's clock still running
        os.write(master, b"\x1b[C")  # →: the next phase
        store = MeetingStore(demo_db)
        wait_for(lambda: store.state().step.phase == "commentary", what="→ handled")
    finally:
        second.kill()
        second.wait(timeout=10)
        os.close(master)
