"""A meeting with crashes (#14 §6): the ballot service and a console are killed with
kill -9 at seeded random moments while voters post and the clerk and host write;
each is started again. At the end every acknowledged ballot, question and
commentary is stored exactly once, no token carries two ballots, the timer is what
its acknowledged changes made it, and a voter who retried after a crash was told
that the ballot counted."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import sys
from collections import Counter
from dataclasses import asdict

import pytest

from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from core.web.form import field_names
from tests.conftest import DEMO_TEXT, until
from tests.fault.conftest import scale
from tests.fault.console_script import ACTOR, plan
from tests.fault.harness import ServeProcess, Voter, vote_all

pytestmark = [pytest.mark.fault, pytest.mark.slow]

VOTERS = scale(150, 1000)
STEPS = scale(120, 600)
KILLS = scale(4, 12)


class ConsoleProcess:
    """The scripted console (console_script.py): each line sent is a key press, each
    `ACK n` line the step it did, committed. Restarted after each kill until it has
    done every step."""

    def __init__(self, db, seed: int):
        self.args = [sys.executable, "-m", "tests.fault.console_script", str(db), str(seed)]
        self.args.append(str(STEPS))
        self.acked: set[int] = set()
        self.finished = False
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            *self.args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        ready = (await self.proc.stdout.readline()).decode().split()
        assert ready[0] == "READY", ready
        self.finished = int(ready[1]) == STEPS

    async def press(self) -> None:
        """A key: the console does its next step."""
        self.proc.stdin.write(b"\n")
        await self.proc.stdin.drain()

    async def handled(self) -> None:
        """Wait until the console says the key's step is stored (`ACK n`)."""
        words = (await self.proc.stdout.readline()).decode().split()
        assert words[0] == "ACK", words
        self.acked.add(int(words[1]))
        self.finished = int(words[1]) == STEPS - 1

    async def kill9(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
        assert await self.proc.wait() in (0, -9)


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
    # Who is killed, and when: at seeded points of the meeting's progress (so on a
    # slow or a fast machine every kill lands while voters post and the console writes).
    victims = [rng.choice(["service", "service", "console"]) for _ in range(KILLS)]
    # (Up to four fifths of the voters: 25 phones vote at once, and a kill meant for
    # "while voting" must not find everyone done.)
    service_kills = sorted(rng.sample(range(1, VOTERS * 4 // 5), victims.count("service")))
    console_kills = {press: rng.random() < 0.5 for press in rng.sample(range(STEPS), KILLS)}
    console_kills = dict(list(console_kills.items())[: victims.count("console")])
    told = lambda: sum(bool(v.told) for v in voters)  # noqa: E731
    dropped = lambda: sum(v.dropped for v in voters)  # noqa: E731
    limit = scale(150, 900)  # the whole day
    wait = scale(60, 600)  # one step of it: a hang says which step (NotYet), not just "late"

    async def chaos() -> None:
        """Kill the service when that many voters were told, then start it again
        once a few phones found it down (or, should it come to that, all are done)."""
        for point in service_kills:
            await until(lambda point=point: told() >= point, wait, f"{point} voters told")
            before = dropped()
            service.kill9()
            refused = before + rng.randint(1, 5)
            await until(
                lambda refused=refused: dropped() >= refused or told() == len(voters),
                wait,
                "phones finding the service down",
            )
            await asyncio.to_thread(service.start)

    async def host_and_clerk() -> None:
        """Press the console's keys as the voting goes on, each once the previous one
        is stored; at the seeded presses kill it, while the key is being handled or
        just after, and start it again."""
        await console.start()
        press = 0
        while not console.finished:
            # Keys keep pace with the ballots (a key lost to a kill is pressed again).
            due = min(press, STEPS - 1) * VOTERS // STEPS
            await until(lambda due=due: told() >= due, wait, f"{due} voters told")
            await console.press()
            if press in console_kills:
                if console_kills[press]:
                    await console.handled()  # between two keys
                await console.kill9()  # else while the key is handled: stored or not
                await console.start()
            else:
                await console.handled()
            press += 1
        assert await console.proc.wait() == 0  # every step done: it ends by itself

    async def meeting_day() -> None:
        await asyncio.gather(chaos(), host_and_clerk(), vote_all(service.base, voters, 25, 0.1))

    try:
        asyncio.run(asyncio.wait_for(meeting_day(), timeout=limit))
        assert service.answers()
    finally:
        service.stop()
        if console.proc is not None and console.proc.returncode is None:  # cut short
            with contextlib.suppress(ProcessLookupError):
                os.kill(console.proc.pid, signal.SIGKILL)

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
