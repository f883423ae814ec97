"""Closing scoring erases the voting history (#20 §4), or says it could not yet.

Another program holding a read transaction keeps the write-ahead log from being
emptied: its frames are one commit per phone ballot, in the order they came, each
linking a slip to its ballot. The tests read the log and the file's free pages as
an attacker holding a copy of them would, not through Sanshu."""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import pytest

from core.ballots.items import form_items
from core.ballots.storing import BallotEntry, store_ballot
from core.ballots.tokens import issue_tokens
from core.meeting.model import Poll
from core.meeting.store import MeetingStore
from tests.conftest import DEMO_TEXT, wait_for
from tui.cli import run

BALLOTS = 12


def wal_commits(db: Path) -> int:
    """The commits the write-ahead log still holds: frames of the current salt whose
    header carries the database size (the last frame of a transaction)."""
    wal = db.with_name(db.name + "-wal")
    data = wal.read_bytes() if wal.exists() else b""
    if len(data) < 32:
        return 0
    page_size = struct.unpack(">I", data[8:12])[0]
    salt = data[16:24]
    commits, offset = 0, 32
    while offset + 24 + page_size <= len(data):
        frame = data[offset : offset + 24]
        if frame[8:16] != salt:
            break  # frames left over from before the last reset
        if struct.unpack(">I", frame[4:8])[0]:
            commits += 1
        offset += 24 + page_size
    return commits


def free_pages(db: Path) -> int:
    """The free-list count of the database header (offset 36, big-endian)."""
    return struct.unpack(">I", db.read_bytes()[36:40])[0]


def pending_mark(db: Path) -> bool:
    """Read as another program would: is the erasure still promised and not done?"""
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'history_pending'").fetchone()
        return row is not None
    finally:
        conn.close()


def hold_a_reader(db: Path) -> sqlite3.Connection:
    """Another program (a copy tool, a viewer) with a read transaction left open."""
    reader = sqlite3.connect(db)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM meta").fetchone()  # a snapshot, kept
    return reader


def vote(db: Path, clock, *, reader: bool) -> sqlite3.Connection | None:
    """A meeting whose phones vote one commit each, slips linked while scoring is open;
    with `reader`, another program opened the file before the voting and keeps it."""
    text = DEMO_TEXT.replace("allow_revision = false", "allow_revision = true")
    MeetingStore.create(db, text, "m.toml", clock=clock).close()
    held = hold_a_reader(db) if reader else None
    with MeetingStore(db, clock=clock) as store:
        slips = issue_tokens(store, "党员代表", BALLOTS)
        store.set_poll(Poll.OPEN)
        items = form_items(store.meeting)
        for index, slip in enumerate(slips):
            grades = {item: ["好", "较好", "一般"][(index + i) % 3] for i, item in enumerate(items)}
            store_ballot(store, slip.token, BallotEntry(grades))
            clock.advance(7)
        linked = store.conn.execute("SELECT count(*) FROM revision_links").fetchone()[0]
        assert linked == BALLOTS
    return held


@pytest.fixture
def voted(tmp_path) -> Path:
    return tmp_path / "m.db"


def test_a_reader_during_close_is_said_and_the_next_command_erases_the_history(
    voted, clock, capsys, monkeypatch
):
    db = str(voted)
    spawned: list[Path] = []
    monkeypatch.setattr(
        "core.store.forgetting.keep_trying_in_background", lambda path: spawned.append(path)
    )
    reader = vote(voted, clock, reader=True)
    assert reader is not None
    assert run(["poll", "close", "--db", db]) == 0
    out, err = capsys.readouterr()
    assert "已结束" in out
    assert "投票记录尚未清除" in err and "后台继续清除" in err and len(err.splitlines()) == 1
    assert "投票记录已清除" not in err
    assert spawned == [voted]
    # What an attacker holding the file now finds: the log still has a commit per ballot.
    assert wal_commits(voted) >= BALLOTS
    assert pending_mark(voted)
    assert run(["status", "--db", db]) == 0
    assert "投票记录尚未清除" in capsys.readouterr().out

    reader.rollback()
    reader.close()
    assert run(["status", "--db", db]) == 0  # any command that opens the file finishes it
    assert "投票记录已清除" in capsys.readouterr().out
    wal = voted.with_name(voted.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert wal_commits(voted) == 0 and free_pages(voted) == 0
    assert not pending_mark(voted)
    with MeetingStore(voted) as store:
        assert store.conn.execute("SELECT count(*) FROM revision_links").fetchone()[0] == 0
        assert [e.kind for e in store.events("history.")] == ["history.erased"]


def test_closing_without_a_reader_erases_before_it_says_done(voted, clock, capsys):
    vote(voted, clock, reader=False)
    assert run(["poll", "close", "--db", str(voted)]) == 0
    err = capsys.readouterr().err
    assert "投票记录已清除" in err and "尚未" not in err
    assert wal_commits(voted) == 0 and free_pages(voted) == 0 and not pending_mark(voted)


@pytest.mark.slow
def test_the_background_job_finishes_once_the_reader_lets_go(voted, clock, capsys):
    """No command opens the file after the close: the job `poll close` left behind
    erases the history by itself as soon as the reader is gone."""
    reader = vote(voted, clock, reader=True)
    assert reader is not None
    assert run(["poll", "close", "--db", str(voted)]) == 0
    assert "后台继续清除" in capsys.readouterr().err
    assert pending_mark(voted) and wal_commits(voted) >= BALLOTS
    reader.rollback()
    reader.close()
    wait_for(lambda: not pending_mark(voted), what="the background job erased the history")
    wait_for(lambda: wal_commits(voted) == 0, what="the log emptied")
    assert free_pages(voted) == 0


@pytest.mark.slow
async def test_the_podium_says_in_one_line_that_a_reader_keeps_the_history(voted, clock):
    from tests.conftest import wait_until
    from tui.host import HostApp

    reader = vote(voted, clock, reader=True)
    assert reader is not None
    with MeetingStore(voted, clock=clock) as store:
        store.move(12)
    app = HostApp(voted, clock=clock, manage_service=False)

    def said() -> list[str]:
        return [n.message for n in app._notifications]

    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("v", "y")
        await wait_until(pilot, lambda: any("投票记录尚未清除" in m for m in said()))
        assert app.state.poll == "closed"  # phones are refused already
        assert not any("投票记录已清除" in m for m in said())
        assert pending_mark(voted)
        reader.rollback()
        reader.close()
        await wait_until(pilot, lambda: any("投票记录已清除" in m for m in said()))
    assert not pending_mark(voted) and wal_commits(voted) == 0 and free_pages(voted) == 0
