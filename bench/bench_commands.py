"""Command start-up and the podium's first frame, as ratios to floors in the same run.

    .venv/bin/python bench/bench_commands.py [--runs 7]

- commands (`sanshu --help`, `status --json`, `poll status`): best wall time and CPU
  time of N runs; floor: the same interpreter running `-c pass`. Target ≤ 0.15 s.
- first frame: spawn → Textual's Ready event (first frame displayed) on a real pty
  at 120x40; `sanshu host` on the demo meeting against a trivial app with one Digits
  widget. Target ≤ 1.5x.
Runs alternate between floor and subject so a busy machine skews both alike.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sanshu_data import demo_meeting_path

from core.meeting.store import MeetingStore

PYTHON = sys.executable
SANSHU = str(Path(PYTHON).with_name("sanshu"))


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0, argv
    return wall, usage.ru_utime + usage.ru_stime


def first_frame(mode: str, db: Path) -> float:
    """Seconds from spawn to the first frame, on a pty of 120x40."""
    out = Path(tempfile.mktemp(suffix=".t"))
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of known size, then the app
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.environ["TERM"] = "xterm-256color"
        os.execv(PYTHON, [PYTHON, str(ROOT / "bench" / "first_frame.py"), mode, str(db), str(out)])
    start = time.time()
    seen = b""
    while True:  # drain the terminal so the app never blocks writing
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen = (seen + os.read(fd, 65536))[-4000:]
            except OSError:
                break
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
    os.close(fd)
    if not out.exists():
        raise SystemExit(
            f"{mode}: no first frame; the terminal showed:\n{seen.decode(errors='replace')}"
        )
    frame = float(out.read_text()) - start
    out.unlink()
    return frame


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        MeetingStore.create(db, demo_meeting_path().read_text("utf-8"), "demo.toml").close()
        subjects = {
            "python -c pass (floor)": [PYTHON, "-c", "pass"],
            "sanshu --help": [SANSHU, "--help"],
            "sanshu status --json": [SANSHU, "status", "--db", str(db), "--json"],
            "sanshu poll status": [SANSHU, "poll", "status", "--db", str(db)],
        }
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in subjects}
        for _ in range(args.runs):
            for name, argv in subjects.items():
                results[name].append(timed(argv))
        floor_wall = min(w for w, _ in results["python -c pass (floor)"])
        print(f"{'command':28} {'best wall':>10} {'best CPU':>9} {'− floor':>8}  target 0.15 s")
        for name, runs in results.items():
            wall = min(w for w, _ in runs)
            cpu = min(c for _, c in runs)
            print(f"{name:28} {wall:9.3f}s {cpu:8.3f}s {wall - floor_wall:7.3f}s")

        frames: dict[str, list[float]] = {"trivial": [], "host": []}
        for _ in range(max(3, args.runs // 2)):
            for mode in frames:
                frames[mode].append(first_frame(mode, db))
        trivial, host = min(frames["trivial"]), min(frames["host"])
        print(
            f"first frame: trivial Digits app {trivial:.3f}s, sanshu host {host:.3f}s, "
            f"ratio {host / trivial:.2f} (target ≤ 1.5)"
        )


if __name__ == "__main__":
    main()
