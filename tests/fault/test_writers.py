"""Writers at once (#14 §8): host, clerk, paper entry, the CLI and phones write for a
bounded time while another process holds the database's write lock for 15 seconds.
Nobody is shown `database is locked` (or any error page), nothing is lost: every
acknowledged write is stored, every voter is told the ballot is in."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest

from core.ballots.paper import confirm_paper_ballot, enter_paper_ballot
from core.ballots.storing import BallotEntry
from core.ballots.tokens import issue_tokens
from core.errors import StoreBusy
from core.i18n import t
from core.meeting.store import MeetingStore
from core.record.entries import Record
from tests.conftest import DEMO_TEXT, wait_for
from tests.fault.conftest import scale
from tests.fault.harness import ServeProcess, Voter, random_ballot, vote_all

pytestmark = [pytest.mark.fault, pytest.mark.slow]  # a lock held for 15 s

VOTERS = scale(200, 1000)
LOCK_SECONDS = 15

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE meta SET value = value WHERE key = 'app'")
print("LOCKED", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


class Writer(threading.Thread):
    """Calls `action` again and again until told to stop; keeps what it was told.
    `every` is the person's pace (a clerk logs an entry every 0.3 s), not a wait."""

    def __init__(self, name: str, action: Callable[[int], None], every: float):
        super().__init__(name=name, daemon=True)
        self.action = action
        self.every = every
        self.acked = 0
        self.busy = 0  # told, in plain words, to try again in a moment
        self.errors: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        number = 0
        while not self.stop.is_set():
            try:
                self.action(number)
                self.acked += 1
            except StoreBusy as busy:
                assert "locked" not in str(busy)
                self.busy += 1
            except Exception as exc:  # what a console would have to show someone
                self.errors.append(f"{self.name}: {type(exc).__name__}: {exc}")
            number += 1
            self.stop.wait(self.every)


def test_writers_at_once_and_a_lock_held_for_15_seconds(tmp_path):
    db = tmp_path / "m.db"
    store = MeetingStore.create(db, DEMO_TEXT, "demo.toml")
    store.set_poll("open")
    meeting = store.meeting
    import random

    rng = random.Random(8)
    categories = [c.name for c in meeting.categories]
    voters = [
        Voter(s.token, random_ballot(meeting, rng))
        for i in range(VOTERS)
        for s in issue_tokens(store, categories[i % 6], 1)
    ]
    store.close()
    service = ServeProcess(db, tmp_path / "serve.log")
    service.start()

    host = MeetingStore(db, actor="host")
    clerk_store = MeetingStore(db, actor="clerk")
    clerk = Record(clerk_store)
    paper_store = MeetingStore(db, actor="clerk")
    subject = host.state().step.subject
    paper_entry = BallotEntry(
        {item: ("较好" if i else "好") for i, item in enumerate(_items(meeting))}
    )
    cli_outputs: list[str] = []

    def paper(number: int) -> None:
        stored = enter_paper_ballot(paper_store, categories[number % 6], paper_entry, "王记录")
        confirm_paper_ballot(paper_store, stored.ballot_id, "李核对")

    def cli(number: int) -> None:
        args = ["status", "--json"] if number % 2 else ["tally", "override", subject, "较好"]
        if number % 2 == 0:
            args += ["--reason", f"党组研究{number}"]
        done = subprocess.run(
            [sys.executable, "-m", "tui", *args, "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        cli_outputs.append(done.stderr + done.stdout)
        if done.returncode == 1 and t("db.busy") in done.stderr:
            raise StoreBusy(done.stderr.strip())
        if done.returncode != 0:
            raise RuntimeError(f"exit {done.returncode}: {done.stderr.strip()}")

    writers = [
        Writer("host", lambda n: host.toggle_timer(), 0.3),
        Writer("clerk", lambda n: clerk.add_commentary(subject, "李清", f"点评{n}"), 0.3),
        Writer("paper", paper, 1.0),
        Writer("cli", cli, 1.0),
    ]
    for writer in writers:
        writer.start()
    wait_for(lambda: all(w.acked for w in writers), what="every writer stored once")
    locker = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db), str(LOCK_SECONDS)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert locker.stdout.readline().strip() == "LOCKED"
    try:
        asyncio.run(vote_all(service.base, voters, 50, pause=0.5))
        locker.wait(LOCK_SECONDS + 30)
        after = {w.name: w.acked for w in writers}
        wait_for(
            lambda: all(w.acked > after[w.name] for w in writers),
            what="every writer stored again once the lock was gone",
        )
    finally:
        for writer in writers:
            writer.stop.set()
        for writer in writers:
            writer.join(60)
        assert service.answers()  # still answering after it all
        service.stop()

    problems = [e for w in writers for e in w.errors]
    problems += [o for o in cli_outputs if "locked" in o or "Traceback" in o]
    problems += [page for v in voters for page in v.bad_pages]
    log = (tmp_path / "serve.log").read_text(errors="replace")
    problems += [line for line in log.splitlines() if "locked" in line or "Traceback" in line]
    assert problems == []
    assert all(v.told for v in voters)
    # The lock really was in the way (so the test shows something): someone was told to
    # wait, the service (a busy page keeping the choices) or a console (a plain message).
    waited = sum(w.busy for w in writers) + sum(v.statuses.count(503) for v in voters)
    assert waited > 0

    # Nothing lost: every acknowledged write is stored once.
    check = MeetingStore(db)
    count = lambda sql: check.db.execute(sql).fetchone()[0]  # noqa: E731
    assert count("SELECT count(*) FROM ballots WHERE source = 'web'") == len(voters)
    assert count("SELECT count(*) FROM tokens WHERE used = 1") == len(voters)
    by = {w.name: w for w in writers}
    assert count("SELECT count(*) FROM commentary") == by["clerk"].acked
    assert count("SELECT count(*) FROM ballots WHERE source = 'paper' AND counted = 1") == (
        by["paper"].acked
    )
    timer_events = count(  # the host's toggles (opening scoring starts its own clock)
        "SELECT count(*) FROM events WHERE kind LIKE 'timer.%' "
        "AND json_extract(payload, '$.phase') != 'scoring'"
    )
    assert timer_events == by["host"].acked
    for one in (host, clerk_store, paper_store, check):
        one.close()


def _items(meeting):
    from core.ballots.items import form_items

    return form_items(meeting)
