"""The ballot service under faults: a database locked by another process, slow or
malformed requests, code guessing. Nothing freezes it and nobody sees a 500."""

from __future__ import annotations

import asyncio
import re
import sqlite3

import pytest

from core.ballots.items import form_items
from core.ballots.tokens import issue_tokens
from core.web import pages as web_app
from core.web.app import create_app
from core.web.form import comment_names, form_fields
from core.web.limits import FailureLimit
from core.web.rendering import SERVICE
from tests.served import served


@pytest.fixture
def slip(store):
    store.set_poll("open")
    return issue_tokens(store, "党员代表", 1)[0]


def full_ballot(store) -> dict[str, str]:
    grades = dict.fromkeys(form_items(store.meeting), "好")
    grades[("人事室", store.meeting.criteria[0])] = "较好"
    return form_fields(store.meeting, grades, {"法工委": "会议组织得很好"})


@pytest.fixture
async def client(demo_db, clock):
    # Scaled down for CI: a write waits 0.3 s for the lock, a queued job 1 s to start.
    app = create_app(demo_db, clock=clock, busy_wait_ms=300, deadline_s=1.0)
    async with served(app) as client:
        yield client


@pytest.fixture
def write_lock(demo_db):
    """Another process holding the meeting database's write lock."""
    holder = sqlite3.connect(demo_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


async def test_a_locked_database_gives_a_busy_page_with_choices_kept(
    client, store, slip, write_lock
):
    posts = [client.post(f"/v/{slip.token}", data=full_ballot(store)) for _ in range(5)]
    health = client.get("/health")
    form = client.get(f"/v/{slip.token}")
    *responses, health, form = await asyncio.gather(*posts, health, form)
    # While the lock is held: health and the form still answer...
    assert health.status == 200 and await health.text() == "ok"
    assert form.status == 200
    # ...and every voter gets the busy page with their choices kept, never a 500.
    for response in responses:
        html = await response.text()
        assert response.status == 503
        assert "请稍候再提交，您的选择已保留" in html
        assert 'value="较好" checked' in html and "会议组织得很好" in html
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 0
    assert store.db.execute("SELECT used FROM tokens").fetchone()[0] == 0

    write_lock.execute("ROLLBACK")  # the other process lets go: the retry goes through
    retry = await client.post(f"/v/{slip.token}", data=full_ballot(store))
    assert retry.status == 200 and "回执号：" in await retry.text()
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 1


async def test_health_tells_strangers_only_ok(client, store):
    response = await client.get("/health")
    assert await response.text() == "ok"
    uid = store.meta("meeting_uid")
    mine = await (await client.get(f"/health?meeting={uid}")).json()
    assert mine == {"app": "sanshu", "meeting_uid": uid}
    assert await (await client.get("/health?meeting=guess")).text() == "ok"


async def test_headers_forbid_framing_and_name_no_versions(client, slip):
    for path in ("/", f"/v/{slip.token}", "/health", "/nowhere"):
        response = await client.get(path)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        server = response.headers.get("Server", "")
        assert "aiohttp" not in server and "Python" not in server


async def test_unknown_codes_are_limited_per_address(client, store, slip):
    client.app[SERVICE].failures.penalty_s = 0  # the pause itself: see the next test
    for _ in range(30):
        response = await client.get("/v/AAAAABBBBB")
        assert response.status == 404
    blocked = await client.get("/v/CCCCCDDDDD")
    html = await blocked.text()
    # The page says when to try again, in seconds and as a time of day.
    assert blocked.status == 429 and "输错的次数太多" in html
    assert re.search(r"请于 \d\d:\d\d:\d\d（约 (60|59) 秒后）再试", html)
    assert blocked.headers["Retry-After"] in ("59", "60")
    # A valid slip from the same address is never refused, and its ballot is stored.
    form = await client.get(f"/v/{slip.token}")
    assert form.status == 200
    done = await client.post(f"/v/{slip.token}", data=full_ballot(store))
    assert done.status == 200 and "回执号：" in await done.text()
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 1


def test_only_failures_count_so_an_office_behind_one_address_keeps_voting():
    now = [0.0]
    limit = FailureLimit(limit=30, window_s=60, clock=lambda: now[0], overall=100)
    for second in range(29):
        now[0] = float(second)
        assert limit.failed("10.0.0.1") is None  # 29 typos in a minute from a whole office
    now[0] = 29.0
    assert limit.failed("10.0.0.1") is None  # the 30th: still within the limit
    # The 31st: over it until the first of the 30 is a minute old.
    assert limit.failed("10.0.0.1") == pytest.approx(31.0)
    assert limit.failed("10.0.0.2") is None  # another address is not held back
    now[0] = 95.0
    assert limit.failed("10.0.0.1") is None  # a minute later, free again
    # Guessing from many addresses at once: everyone together has a limit too.
    for n in range(100):
        limit.failed(f"10.1.0.{n}")
    assert limit.failed("10.2.0.1") is not None


async def _raw(client, request: bytes, wait: float = 5.0) -> bytes:
    reader, writer = await asyncio.open_connection(client.host, client.port)
    writer.write(request)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(65536), wait)
    finally:
        writer.close()


async def test_a_half_sent_body_is_dropped(client, slip, monkeypatch):
    monkeypatch.setattr(web_app, "BODY_TIMEOUT_S", 0.3)
    head = (
        f"POST /v/{slip.token} HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
    )
    answer = await _raw(client, head.encode() + b"g%3Aa=1")
    assert answer.startswith(b"HTTP/1.1 408")


@pytest.mark.parametrize(
    "headers",
    [
        "Content-Type: application/x-www-form-urlencoded; charset=no-such-charset\r\n"
        "Content-Length: 5\r\n",
        "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: bogus\r\n"
        "Content-Length: 5\r\n",
        "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n",
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Encoding: gzip\r\n"
        "Content-Length: 5\r\n",  # a body that is not the gzip it claims
    ],
)
async def test_malformed_encodings_are_the_clients_error(client, slip, headers):
    body = b"a=b&c" if "chunked" not in headers else b"zz\r\nnot hex\r\n"
    request = f"POST /v/{slip.token} HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode() + body
    answer = await _raw(client, request)
    status = int(answer.split(b" ", 2)[1])
    assert 400 <= status < 500
    assert (await client.get("/health")).status == 200  # still serving


async def test_a_huge_number_is_refused_by_its_spelling(tmp_path, clock):
    from core.meeting.store import MeetingStore
    from tests.conftest import DEMO_TEXT

    path = tmp_path / "numeric.db"
    text = DEMO_TEXT.replace('layout = "per_criterion"', 'layout = "numeric"')
    MeetingStore.create(path, text, "numeric.toml", clock=clock).close()
    with MeetingStore(path, clock=clock) as store:
        store.set_poll("open")
        slip = issue_tokens(store, "党员代表", 1)[0]
        fields = form_fields(store.meeting, dict.fromkeys(form_items(store.meeting), "88"))
    first = next(iter(fields))
    async with served(create_app(path, clock=clock)) as client:
        for bad in ("1e10000000", "9" * 5000, "nan", "-1", "１００", "100.5"):
            response = await client.post(f"/v/{slip.token}", data={**fields, first: bad})
            assert response.status in (413, 422)
        response = await client.post(f"/v/{slip.token}", data=fields)
        assert response.status == 200


def test_serve_listens_where_it_says_not_everywhere():
    from core.venue.addresses import listen_addresses

    assert listen_addresses("192.168.1.20") == ["192.168.1.20", "127.0.0.1"]
    assert listen_addresses("127.0.0.1") == ["127.0.0.1"]  # no LAN: this laptop only
    assert listen_addresses("0.0.0.0") == ["0.0.0.0"]  # asked for explicitly


async def test_control_characters_in_a_comment_are_stripped(client, store, slip):
    fields = full_ballot(store)
    fields[comment_names(store.meeting)["法工委"]] = "很好\x1b[31m\x00\r\n继续保持\u202e"
    assert (await client.post(f"/v/{slip.token}", data=fields)).status == 200
    assert store.db.execute("SELECT text FROM comments").fetchone()[0] == "很好[31m\n继续保持"


async def test_the_busy_and_retry_pages_speak_english_with_lang_en(client, store, slip, write_lock):
    from core.i18n import set_language

    set_language("en")
    busy = await client.post(f"/v/{slip.token}", data=full_ballot(store))
    assert busy.status == 503 and "your choices are kept" in await busy.text()
    write_lock.execute("ROLLBACK")
    await client.post(f"/v/{slip.token}", data=full_ballot(store))
    client.session.cookie_jar.clear()  # another browser: not shown the receipt again
    again = await client.post(f"/v/{slip.token}", data=full_ballot(store))
    assert "no need to submit it again" in await again.text()


async def test_a_database_that_cannot_be_written_gives_the_busy_page(client, store, slip):
    """The file turned read-only (or the disk full) while voting: the voter keeps every
    choice and gets the busy page with its retry button, never a 500."""
    from tests.fault.helpers import read_only

    store.forget_history()  # everything in the main file
    with read_only(store.path):
        response = await client.post(f"/v/{slip.token}", data=full_ballot(store))
        html = await response.text()
        assert response.status == 503 and "请稍候再提交" in html and "再次提交" in html
        assert 'value="较好" checked' in html and "会议组织得很好" in html
    retry = await client.post(f"/v/{slip.token}", data=full_ballot(store))
    assert retry.status == 200 and "回执号：" in await retry.text()
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 1
