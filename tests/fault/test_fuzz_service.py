"""Bad input to the ballot service (#14 §7): hypothesis writes raw HTTP requests with
odd methods, paths, tokens, headers, charsets, transfer encodings and bodies. The
service never answers 5xx, never logs a traceback, stores nothing from a request it
refuses, and still answers afterwards."""

from __future__ import annotations

import contextlib
import random
import socket
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from tests.conftest import DEMO_TEXT, wait_for
from tests.fault.conftest import scale
from tests.fault.harness import ServeProcess, random_ballot

pytestmark = pytest.mark.fault


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    db = tmp / "m.db"
    store = MeetingStore.create(db, DEMO_TEXT, "demo.toml")
    store.set_poll("open")
    tokens = [s.token for s in issue_tokens(store, "党员代表", 400)]
    codes = [s.code for s in issue_tokens(store, "党组成员", 5)]
    body = random_ballot(store.meeting, random.Random(1))
    store.close()
    serve = ServeProcess(db, tmp / "serve.log")
    serve.start()
    yield serve, tokens, codes, body
    serve.stop()


def state(db: Path) -> tuple[int, ...]:
    with sqlite3.connect(db) as conn:
        return tuple(
            conn.execute(sql).fetchone()[0]
            for sql in (
                "SELECT count(*) FROM ballots",
                "SELECT count(*) FROM scores",
                "SELECT count(*) FROM comments",
                "SELECT count(*) FROM tokens WHERE used = 1",
                "SELECT count(*) FROM receipts",
            )
        )


def send(port: int, raw: bytes, timeout: float = 25) -> tuple[int | None, bytes]:
    """One raw request; the status (None if the server just closed) and the reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        # No half-close: the server would take it for a phone that went away. The
        # server may refuse a huge body before reading it all.
        with contextlib.suppress(OSError):
            sock.sendall(raw)
        reply = b""
        try:
            while chunk := sock.recv(65536):
                reply += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    if not reply.startswith(b"HTTP/"):
        return None, reply
    return int(reply.split(b" ", 2)[1]), reply


METHODS = st.sampled_from(["GET", "POST", "POST", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"])
TEXTS = st.text(max_size=40)
CHARSETS = st.sampled_from(["utf-8", "gbk", "gb18030", "latin-1", "utf-16", "x-bogus", ""])
CONTENT_TYPES = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=XyZ",
        "multipart/form-data",
        "text/plain",
        "application/json",
        "",
    ]
)


@st.composite
def requests(draw, tokens, codes, ballot):
    token = draw(
        st.one_of(
            st.sampled_from(tokens),
            st.sampled_from(codes),
            TEXTS.map(lambda s: quote(s, safe="")),
            st.just("A" * draw(st.integers(27, 6000))),
        )
    )
    path = draw(
        st.sampled_from(
            [
                f"/v/{token}",
                f"/v/{token}",
                f"/v/{token}/done",
                f"/v/{token}/done?r=" + quote(draw(TEXTS)),
                "/",
                "/health",
                "/static/../../etc/passwd",
                "/v/%ZZ",
                "/" + quote(draw(TEXTS)),
            ]
        )
    )
    method = draw(METHODS)
    fields = dict(ballot)
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["drop", "odd", "extra", "huge"]))
        name = draw(st.sampled_from(sorted(fields) or ["x"]))
        if action == "drop":
            fields.pop(name, None)
        elif action == "odd":
            fields[name] = draw(TEXTS)
        elif action == "extra":
            fields[draw(TEXTS)] = draw(TEXTS)
        else:
            fields[name] = "好" * draw(st.sampled_from([1000, 100_000]))
    charset = draw(CHARSETS)
    encoding = charset if charset in ("gbk", "gb18030", "latin-1", "utf-16") else "utf-8"
    body = urlencode(fields, encoding=encoding, errors="replace").encode("ascii")
    if draw(st.booleans()) and draw(st.booleans()):
        body = draw(st.binary(max_size=2000))
    content_type = draw(CONTENT_TYPES)
    headers = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    if content_type:
        headers.append(
            f"Content-Type: {content_type}" + (f"; charset={charset}" if charset else "")
        )
    framing = draw(st.sampled_from(["length", "length", "chunked", "bad-chunked", "lie", "none"]))
    if framing == "length":
        headers.append(f"Content-Length: {len(body)}")
    elif framing == "lie":
        headers.append(f"Content-Length: {draw(st.sampled_from([0, 5, 10**12, -1]))}")
    elif framing in ("chunked", "bad-chunked"):
        headers.append("Transfer-Encoding: chunked")
        size = f"{len(body):x}" if framing == "chunked" else draw(st.sampled_from(["zz", "-1", ""]))
        body = size.encode() + b"\r\n" + body + b"\r\n0\r\n\r\n"
    if draw(st.booleans()) and draw(st.booleans()):
        headers.append("Content-Encoding: gzip")  # which the body is not
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body


@pytest.mark.slow  # more than ~2 s on a 2-core machine
@pytest.mark.parametrize("round_", [0])
def test_fuzzed_requests_never_break_the_service(service, round_):
    serve, tokens, codes, ballot = service

    @settings(
        max_examples=scale(120, 3000),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(requests(tokens, codes, ballot))
    def one(raw: bytes) -> None:
        before = state(serve.db)
        status, reply = send(serve.port, raw)
        after = state(serve.db)
        assert status is None or status < 500, reply[:500]
        assert b"Traceback" not in reply
        if status != 303:  # only a stored ballot redirects to its thank-you page
            assert after == before, (status, reply[:300])

    one()
    assert serve.answers()
    log = serve.log.read_text(errors="replace")
    assert "Traceback" not in log and "ballot service error" not in log, log[-3000:]


def test_a_slow_body_does_not_hold_the_service(service):
    """A phone that sends half a ballot and stalls: others are still served."""
    serve, tokens, _codes, ballot = service
    body = urlencode(ballot).encode()
    with socket.create_connection(("127.0.0.1", serve.port), timeout=60) as slow:
        slow.sendall(
            (
                f"POST /v/{tokens[-1]} HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            + body[:100]
        )
        started = time.monotonic()
        assert serve.answers()  # meanwhile /health answers at once
        assert time.monotonic() - started < 2
        request = f"GET /v/{tokens[-2]} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        status, _ = send(serve.port, request.encode())
        assert status == 200


def test_a_body_that_is_not_its_claimed_gzip_is_a_client_error(service):
    serve, tokens, _codes, ballot = service
    body = urlencode(ballot).encode()
    raw = (
        f"POST /v/{tokens[-3]} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Encoding: gzip\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    before = state(serve.db)
    status, _reply = send(serve.port, raw)
    assert state(serve.db) == before
    assert status is not None and status < 500


def test_a_malformed_request_leaves_no_traceback_in_the_log(service):
    serve, *_ = service
    logged = serve.log.stat().st_size
    send(serve.port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n\x91junk")
    wait_for(lambda: serve.log.stat().st_size > logged, what="the refusal logged")
    assert "Traceback" not in serve.log.read_text(errors="replace")
