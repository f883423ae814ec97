"""A meeting with crashes (#14 §6): the ballot service and a console are killed with
kill -9 at seeded random moments while voters post and the clerk and host write;
each is started again. At the end every acknowledged ballot, question and
commentary is stored exactly once, no token carries two ballots, the timer is what
its acknowledged changes made it, and a voter who retried after a crash was told
that the ballot counted."""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict

import pytest

from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from core.web.form import field_names
from tests.conftest import DEMO_TEXT
from tests.fault.conftest import scale
from tests.fault.console_script import ACTOR, plan
from tests.fault.harness import ServeProcess, Voter, vote_all

VOTERS = scale(150, 1000)
STEPS = scale(120, 600)
KILLS = scale(4, 12)


class ConsoleProcess:
    """The scripted console; restarted until it has done every step."""

    def __init__(self, db, seed: int):
        self.args = [sys.executable, "-m", "tests.fault.console_script", str(db), str(seed)]
        self.args.append(str(STEPS))
        self.acked: set[int] = set()
        self.finished = False
        self.proc: subprocess.Popen | None = None
        self.reader: threading.Thread | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, text=True)
        self.reader = threading.Thread(target=self._read, args=(self.proc,), daemon=True)
        self.reader.start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            if line.startswith("ACK "):
                self.acked.add(int(line.split()[1]))
            elif line.strip() == "DONE":
                self.finished = True

    def kill9(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join()

    def run_to_the_end(self) -> None:
        while not self.finished:
            if self.proc.poll() is not None:
                self.reader.join()
                if not self.finished:
                    assert self.proc.returncode in (0, -9), self.proc.returncode
                    self.start()
            time.sleep(0.05)


@pytest.mark.parametrize("seed", [14, 2024])
def test_kill_9_during_a_meeting_loses_and_doubles_nothing(tmp_path, seed):
    db = tmp_path / "m.db"
    store = MeetingStore.create(db, DEMO_TEXT, "demo.toml")
    store.set_poll("open")
    meeting = store.meeting
    rng = random.Random(seed)
    categories = [c.name for c in meeting.categories]
    slips = [s for i in range(VOTERS) for s in issue_tokens(store, categories[i % 6], 1)]
    voters = [Voter(s.token, _ballot(meeting, rng)) for s in slips]

    service = ServeProcess(db, tmp_path / "serve.log")
    service.start()
    console = ConsoleProcess(db, seed)
    console.start()

    async def chaos() -> None:
        """Kill the service or the console at random moments, then start it again."""
        for _ in range(KILLS):
            await asyncio.sleep(rng.uniform(0.2, 1.2))
            victim = rng.choice(["service", "service", "console"])
            if victim == "service":
                service.kill9()
                await asyncio.sleep(rng.uniform(0.0, 0.5))
                await asyncio.to_thread(service.start)
            elif not console.finished:
                console.kill9()
                console.start()

    async def meeting_day() -> None:
        await asyncio.gather(chaos(), vote_all(service.base, voters, 25, pause=0.1))

    try:
        asyncio.run(asyncio.wait_for(meeting_day(), timeout=scale(150, 900)))
        console.run_to_the_end()
        assert service.answers()
    finally:
        service.stop()
        if console.proc and console.proc.poll() is None:
            console.kill9()

    # Every voter was told the ballot is in; nobody saw an error page.
    assert all(v.told for v in voters)
    assert [page for v in voters for page in v.bad_pages] == []
    # Each ballot stored exactly once: one per voter, one per used token, and the stored
    # grades are exactly the sum of what the voters sent.
    store = MeetingStore(db)
    used = store.db.execute("SELECT count(*) FROM tokens WHERE used = 1").fetchone()[0]
    web = store.db.execute("SELECT count(*) FROM ballots WHERE source = 'web'").fetchone()[0]
    assert used == web == len(voters)
    names = {name: item for item, name in field_names(meeting).items()}
    sent = Counter((names[k][0], names[k][1], g) for v in voters for k, g in v.body.items())
    subjects, criteria = store.names("subjects"), store.names("criteria")
    stored = Counter(
        {
            (subjects[s], criteria[c], g): n
            for s, c, g, n in store.db.execute(
                "SELECT subject_id, criterion_id, grade, count(*) FROM scores GROUP BY 1, 2, 3"
            )
        }
    )
    assert stored == sent
    assert store.db.execute("SELECT count(*) FROM receipts").fetchone()[0] == len(voters)

    # The console's writes: each step exactly once, acknowledged or not.
    steps = plan(seed, STEPS)
    assert console.acked <= set(range(STEPS))
    events = store.events()
    mine = [e for e in events if e.actor == ACTOR]
    assert len(mine) == STEPS
    texts = [row[0] for row in store.db.execute("SELECT text FROM commentary")]
    asked = [row[0] for row in store.db.execute("SELECT text FROM questions")]
    assert sorted(texts) == sorted(text for kind, text in steps if kind == "commentary")
    assert sorted(asked) == sorted(text for kind, text in steps if kind == "question")
    # The timer is exactly what the last acknowledged change left.
    last_timer = [e for e in mine if e.kind.startswith("timer.")][-1]
    assert last_timer.payload["timer"] == asdict(store.state().steps[0].timer)
    toggles = sum(kind == "toggle" for kind, _ in steps)
    assert store.state().steps[0].timer.running == (toggles % 2 == 1)
    adjusts = sum(kind == "adjust" for kind, _ in steps)
    assert store.state().steps[0].timer.added == 30 * adjusts
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert "Traceback" not in log and "database is locked" not in log
    json.dumps(asdict(store.state().steps[0].timer))  # plain data, as the podium reads it
    store.close()


def _ballot(meeting, rng):
    from tests.fault.harness import random_ballot

    return random_ballot(meeting, rng)
