"""The fault tests' tools: the ballot service as a process that can be killed, and
phones that vote the way people do (open the form, submit, retry when it fails)."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from core.i18n import t
from core.meeting.model import Meeting
from core.web.form import field_names
from tests.conftest import NotYet, free_port, wait_for

# What a voter may be told. Anything else (a 500, a traceback, "database is locked")
# is a failure of the service.
THANKS = "提交成功"
COUNTED = "您的测评票已成功提交"


class ServeProcess:
    """`sanshu serve` on a free loopback port; its output goes to a log file."""

    def __init__(self, db: Path, log: Path):
        self.db = db
        self.log = log
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tui",
                    "serve",
                    "--db",
                    str(self.db),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "SANSHU_LANG": "zh"},
            )
        try:
            wait_for(self.answers, what="the ballot service to answer /health")
        except NotYet as late:
            raise AssertionError(f"{late}\n{self.log.read_text()}") from None

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill9()

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base}/health", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False


def random_ballot(meeting: Meeting, rng: random.Random) -> dict[str, str]:
    """A valid form post: one grade per item, not all the same."""
    names = field_names(meeting)
    labels = [g.label for g in meeting.grades]
    body = {name: rng.choice(labels[1:3]) for name in names.values()}
    first = next(iter(names.values()))
    body[first] = labels[3] if body[first] != labels[3] else labels[2]
    return body


@dataclass
class Voter:
    token: str
    body: dict[str, str]
    told: str = ""  # "thanks" | "counted" once the voter knows the ballot is in
    statuses: list[int] = field(default_factory=list)
    bad_pages: list[str] = field(default_factory=list)
    dropped: int = 0  # attempts that found no service (a dropped or refused connection)


async def vote(session: aiohttp.ClientSession, base: str, voter: Voter, pause: float) -> None:
    """Open the form, submit, read the answer; on a dropped connection or a busy page
    wait and start again, as a person with a phone would."""
    url = f"{base}/v/{voter.token}"
    while not voter.told:
        try:
            async with session.get(url) as page:
                text = await page.text()
                _note(voter, page.status, text)
                if COUNTED in text:
                    voter.told = "counted"  # a retry after a crash is told it counted
                    return
                if page.status != 200:
                    await asyncio.sleep(pause)
                    continue
            async with session.post(url, data=voter.body, allow_redirects=False) as posted:
                text = await posted.text()
                _note(voter, posted.status, text)
                if posted.status != 303:
                    await asyncio.sleep(pause)
                    continue
                done = posted.headers["Location"]
            async with session.get(base + done if done.startswith("/") else done) as page:
                text = await page.text()
                _note(voter, page.status, text)
                if THANKS in text or COUNTED in text:
                    voter.told = "thanks" if THANKS in text else "counted"
        except (TimeoutError, aiohttp.ClientError, ConnectionError):
            voter.dropped += 1
            await asyncio.sleep(pause)  # the service is down: try again in a moment


def _note(voter: Voter, status: int, text: str) -> None:
    voter.statuses.append(status)
    busy = status == 503 and t("web.busy") in text
    if (status >= 500 and not busy) or "Traceback" in text or "locked" in text:
        voter.bad_pages.append(f"{status}: {text[:300]}")


async def vote_all(base: str, voters: list[Voter], concurrency: int, pause: float) -> None:
    queue = list(voters)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def phone() -> None:
            while queue:
                await vote(session, base, queue.pop(), pause)

        await asyncio.gather(*(phone() for _ in range(concurrency)))
