"""The attacker's test: holding the database, the printed slips and the service log
after 200 phone ballots, try every join we can think of; none links a ballot to its
slip better than chance.

Voters vote in the printed order of the slips (the worst case: any order the
store keeps that follows insertion would follow the slips too).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections import defaultdict

import pytest

from core.ballots.items import form_items
from core.ballots.slips import slips_html
from core.ballots.tokens import digest, issue_tokens
from core.meeting.store import MeetingStore
from core.web.app import create_app
from core.web.form import form_fields
from core.web.logs import service_log_handler
from tests.conftest import DEMO_TEXT
from tests.served import served

PLAN = {"党组成员": 20, "机关党委委员": 25, "支部书记和支委委员": 60, "党员代表": 95}
BALLOTS = sum(PLAN.values())
# Among n ballots matched at random, about one per category lands right by chance
# (the fixed points of a random permutation); a leak would link most of the 200.
CHANCE_CEILING = 14
MARKED_SUBJECT = "法工委"


def _ballot(meeting, voter: int) -> dict[str, str]:
    grades = ["好", "较好", "一般"]
    # The comment is ground truth for scoring the attack only: which voter wrote this ballot.
    return form_fields(
        meeting,
        {item: grades[(voter + i) % 3] for i, item in enumerate(form_items(meeting))},
        {MARKED_SUBJECT: f"标记{voter:03d}"},
    )


@pytest.fixture
async def leaked(tmp_path, clock):
    """The three things an attacker holds once scoring has closed."""
    text = DEMO_TEXT
    for name in PLAN:
        assert f'name = "{name}"' in text
    db_path = tmp_path / "meeting.db"
    MeetingStore.create(db_path, text, "meeting.toml", clock=clock).close()
    store = MeetingStore(db_path, clock=clock)
    slips = [slip for name, count in PLAN.items() for slip in issue_tokens(store, name, count)]
    html, _ = slips_html(store.meeting.title, "http://192.168.1.20:8700", slips)
    store.set_poll("open")

    log_path = tmp_path / "serve.log"
    log_file = log_path.open("w", encoding="utf-8")
    handler = service_log_handler(log_file)  # as `sanshu serve` logs
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        app = create_app(db_path, clock=clock)
        async with served(app) as client:
            await client.post("/", data={"code": "ZZZZZ-ZZZZZ"})  # a mistyped code
            await _malformed(client, slips[0].token)  # aiohttp quotes these in its log
            for voter, slip in enumerate(slips):
                await client.get(f"/v/{slip.token}")
                response = await client.post(f"/v/{slip.token}", data=_ballot(store.meeting, voter))
                assert response.status == 200
                if voter % 50 == 0:  # a double tap
                    await client.post(f"/v/{slip.token}", data=_ballot(store.meeting, voter))
                clock.advance(7)
        store.set_poll("closed")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
        log_file.close()
        store.close()
    return db_path, html, log_path.read_text(encoding="utf-8")


async def _malformed(client, token: str) -> None:
    import asyncio

    for request in (
        f"GET /v/{token}\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
        f"POST /v/{token} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: bogus\r\n\r\nabc",
    ):
        reader, writer = await asyncio.open_connection(client.host, client.port)
        writer.write(request.encode())
        await writer.drain()
        assert (await reader.read(100)).startswith(b"HTTP/1.")
        writer.close()


def _truth(db: sqlite3.Connection) -> dict[int, int]:
    subject = db.execute("SELECT id FROM subjects WHERE name = ?", [MARKED_SUBJECT]).fetchone()[0]
    rows = db.execute("SELECT ballot_id, text FROM comments WHERE subject_id = ?", [subject])
    return {ballot: int(text.removeprefix("标记")) for ballot, text in rows}


def _slips_in_print_order(html: str, db: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """(token, category, voter) for every slip, in the order the sheet prints them."""
    tokens = re.findall(r"/v/([0-9A-Z]{26})", html)
    tokens = list(dict.fromkeys(tokens))  # each slip shows its URL once or more
    out = []
    for voter, token in enumerate(tokens):
        category = db.execute("SELECT category FROM tokens WHERE hash = ?", [digest(token)])
        out.append((token, category.fetchone()[0], voter))
    return out


def _linked(order: list[int], db, slips) -> int:
    """How many ballots an attacker links right by pairing `order` (ballot ids) with
    the slips in print order, category by category."""
    truth = _truth(db)
    category_of = dict(db.execute("SELECT id, category FROM ballots"))
    by_category: dict[str, list[int]] = defaultdict(list)
    for ballot in order:
        by_category[category_of[ballot]].append(ballot)
    right = 0
    for category in PLAN:
        voters = [voter for _, c, voter in slips if c == category]
        right += sum(truth[b] == v for b, v in zip(by_category[category], voters, strict=False))
    return right


@pytest.mark.slow  # more than ~2 s on a 2-core machine
async def test_no_join_links_a_ballot_to_its_slip(leaked):
    db_path, html, log = leaked
    raw = db_path.read_bytes()
    db = sqlite3.connect(db_path)
    slips = _slips_in_print_order(html, db)
    assert len(slips) == BALLOTS
    assert db.execute("SELECT count(*) FROM ballots").fetchone()[0] == BALLOTS
    ballot_ids = [b for (b,) in db.execute("SELECT id FROM ballots")]

    # 1. No column of a ballot, its grades or its comments refers to a token or a time.
    for table in ("ballots", "scores", "comments", "receipts"):
        columns = {row[1]: row[2] for row in db.execute(f"PRAGMA table_info({table})")}
        assert not any("token" in c or c.endswith("_at") for c in columns), (table, columns)
        assert "REAL" not in columns.values()
        # No rowid either: SQLite's own row order would follow insertion.
        with pytest.raises(sqlite3.OperationalError):
            db.execute(f"SELECT rowid FROM {table}")
    token_columns = {row[1] for row in db.execute("PRAGMA table_info(tokens)")}
    assert token_columns == {
        "id",
        "hash",
        "code_hash",
        "category",
        "issued_at",
        "revoked_at",
        "batch",
        "used",
    }  # "used" is a flag, never a time
    assert db.execute("SELECT count(*) FROM revision_links").fetchone()[0] == 0

    # 2. Orders: by id, as stored, as the grades and comments are stored, and the
    #    byte order of the ids in the file itself (both directions).
    orders = {
        "by id": sorted(ballot_ids),
        "as stored": ballot_ids,
        "scores as stored": list(
            dict.fromkeys(b for (b,) in db.execute("SELECT ballot_id FROM scores"))
        ),
        "comments as stored": list(
            dict.fromkeys(b for (b,) in db.execute("SELECT ballot_id FROM comments"))
        ),
    }
    offsets = {b: raw.find(b.to_bytes(4, "big")) for b in ballot_ids}
    assert all(offset >= 0 for offset in offsets.values())
    orders["file bytes"] = sorted(ballot_ids, key=offsets.get)
    orders["file bytes, backwards"] = orders["file bytes"][::-1]
    for name, order in orders.items():
        assert _linked(order, db, slips) < CHANCE_CEILING, name
        assert _linked(order[::-1], db, slips) < CHANCE_CEILING, name

    # 3. Receipts: kept once, in their own table; nothing else in the file holds one.
    receipts = [r for (r,) in db.execute("SELECT receipt FROM receipts")]
    assert len(receipts) == BALLOTS
    for receipt in receipts[:20]:
        assert raw.count(receipt.encode()) == 1

    # 4. Events: a ballot's audit event names neither its token nor itself.
    events = db.execute("SELECT kind, payload FROM events WHERE kind LIKE 'ballot.%'").fetchall()
    assert len(events) == BALLOTS
    for kind, payload in events:
        assert kind == "ballot.submitted"
        assert set(eval_json(payload)) == {"category", "source"}

    # 5. The log: no token, code, hash or ballot id (nor a traceback for a bad request).
    assert "refused a malformed request" in log and "Traceback" not in log
    assert "ZZZZZ" not in log
    for token, _, _ in slips[:50]:
        code_hash = db.execute("SELECT code_hash FROM tokens WHERE hash = ?", [digest(token)])
        for secret in (token, digest(token)[:8], code_hash.fetchone()[0][:8]):
            assert secret not in log
    for ballot in ballot_ids:
        assert str(ballot) not in log
    db.close()


def eval_json(text: str) -> dict:
    import json

    return json.loads(text)


async def test_a_revision_link_lives_only_while_scoring_is_open(tmp_path, clock):
    text = DEMO_TEXT.replace("allow_revision = false", "allow_revision = true")
    db_path = tmp_path / "revise.db"
    MeetingStore.create(db_path, text, "revise.toml", clock=clock).close()
    store = MeetingStore(db_path, clock=clock)
    slips = issue_tokens(store, "党组成员", 3)
    store.set_poll("open")
    async with served(create_app(db_path, clock=clock)) as c:
        for voter, slip in enumerate(slips):
            await c.post(f"/v/{slip.token}", data=_ballot(store.meeting, voter))
        assert store.db.execute("SELECT count(*) FROM revision_links").fetchone()[0] == 3
        store.set_poll("closed")
        assert store.db.execute("SELECT count(*) FROM revision_links").fetchone()[0] == 0
        # Gone from the file too, not only from the table.
        raw = db_path.read_bytes()
        for receipt in [r for (r,) in store.db.execute("SELECT receipt FROM receipts")]:
            assert raw.count(receipt.encode()) == 1
        # Reopened (with a reason), a voter can no longer reach their old ballot.
        store.set_poll("open", reason="补录")
        again = await c.post(f"/v/{slips[0].token}", data=_ballot(store.meeting, 9))
        assert again.status == 200 and "无需再次提交" in await again.text()
    store.close()
