"""A console's writes, scripted: run by test_crash.py, killed with kill -9 at random
moments and started again. Each line it reads is a key press: it does the next step
(one transaction with one audit event) and says `ACK n`. On restart it sees (as the
clerk would, on the screen) what is already stored and goes on from there.

    python -m tests.fault.console_script DB SEED STEPS

It says `READY n` (n steps already stored) before it reads its first key.
"""

from __future__ import annotations

import random
import sys

from core.meeting.store import MeetingStore
from core.record.entries import Record

ACTOR = "fault-console"


def plan(seed: int, steps: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    kinds = ["toggle", "adjust", "commentary", "question"]
    return [(rng.choice(kinds), f"第{number}条") for number in range(steps)]


def main() -> None:
    db, seed, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = MeetingStore(db, actor=ACTOR)
    record = Record(store)
    subject = store.state().step.subject
    done = store.db.execute("SELECT count(*) FROM events WHERE actor = ?", [ACTOR]).fetchone()[0]
    print(f"READY {done}", flush=True)
    for number, (kind, text) in enumerate(plan(seed, steps)[done:], done):
        if not sys.stdin.readline():
            return  # nobody at the keyboard any more
        if kind == "toggle":
            store.toggle_timer()
        elif kind == "adjust":
            store.adjust_timer(30)
        elif kind == "commentary":
            record.add_commentary(subject, "李清", text)
        else:
            record.add_question(subject, "高天庚", text)
        print(f"ACK {number}", flush=True)


if __name__ == "__main__":
    main()
