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


def send(
    port: int, raw: bytes, timeout: float = 25, source: str = "127.0.0.1"
) -> tuple[int | None, bytes]:
    """One raw request, from a loopback address of the caller's choice; the status
    (None if the server just closed) and the reply."""
    with socket.create_connection(
        ("127.0.0.1", port), timeout=timeout, source_address=(source, 0)
    ) as sock:
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


# -- malformed multipart (#22 §1) ------------------------------------------------

PART_HEADERS = st.sampled_from(
    [
        "Content-Transfer-Encoding: bogus",
        "Content-Transfer-Encoding: base64",
        "Content-Transfer-Encoding: quoted-printable",
        "Content-Transfer-Encoding: ",
        "Content-Type: multipart/mixed; boundary=inner",
        "Content-Type: multipart/mixed",
        "Content-Type: text/plain; charset=x-bogus",
        "Content-Type: text/plain; charset=utf-16",
        "Content-Encoding: gzip",
        "Content-Disposition: form-data",
        "Content-Disposition: form-data; name=",
        'Content-Disposition: form-data; name="s1c1"; filename="票.csv"',
        "Content-Disposition: attachment; name*=UTF-8''%E5%A5%BD",
        "X-Huge: " + "a" * 100_000,
        "no colon here",
    ]
)


@st.composite
def multipart_bodies(draw, depth: int = 0) -> tuple[str, bytes]:
    """(the boundary, a multipart body), well or badly formed, parts nested in parts."""
    boundary = draw(st.sampled_from(["XyZ", "a" * 200, "--", "x y", "边界", ""]) | TEXTS)
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.sampled_from(["code", "s1c1", "s1note", "size", ""]) | TEXTS)
        headers = [f'Content-Disposition: form-data; name="{name}"']
        headers += draw(st.lists(PART_HEADERS, max_size=3))
        if depth < 2 and draw(st.booleans()) and draw(st.booleans()):
            inner, content = draw(multipart_bodies(depth + 1))
            headers.append(f"Content-Type: multipart/mixed; boundary={inner}")
        else:
            content = draw(
                st.sampled_from([b"\xe5\xa5\xbd", b"=E5=A5=BD", b"5aW9", b""])
                | st.binary(max_size=300)
            )
        head = "\r\n".join(headers).encode("utf-8", "replace")
        parts.append(
            b"--"
            + boundary.encode("utf-8", "replace")
            + b"\r\n"
            + head
            + b"\r\n\r\n"
            + content
            + b"\r\n"
        )
    end = draw(
        st.sampled_from([b"--" + boundary.encode("utf-8", "replace") + b"--\r\n", b"", b"--"])
    )
    return boundary, b"".join(parts) + end


@pytest.mark.slow  # more than ~2 s on a 2-core machine
def test_malformed_multipart_never_breaks_the_service(service):
    """No request of any shape gets a 5xx: a part whose transfer encoding is `bogus` once
    raised inside aiohttp's parser on / and on /v/…."""
    serve, tokens, codes, _ballot = service

    @settings(
        max_examples=scale(120, 3000),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        multipart_bodies(),
        st.sampled_from(["/", "/v/{token}", "/v/{code}", "/v/{token}/done"]),
        st.sampled_from(
            [
                "multipart/form-data; boundary={b}",
                'multipart/form-data; boundary="{b}"',
                "MULTIPART/FORM-DATA; BOUNDARY={b}",
                "multipart/form-data",
                "multipart/form-data; boundary={b}; charset=x-bogus",
                "multipart/mixed; boundary={b}",
                "application/x-www-form-urlencoded",
            ]
        ),
        st.sampled_from(["", "X-Huge: " + "h" * 9000, "X-Huger: " + "h" * 200_000]),
    )
    def one(part: tuple[str, bytes], where: str, kind: str, extra: str) -> None:
        boundary, body = part
        path = where.format(token=tokens[0], code=codes[0])
        headers = [
            f"POST {quote(path, safe='/')} HTTP/1.1",
            "Host: 127.0.0.1",
            "Connection: close",
            "Content-Type: " + kind.replace("{b}", boundary),
            f"Content-Length: {len(body)}",
        ]
        if extra:
            headers.append(extra)
        raw = "\r\n".join(headers).encode("utf-8", "replace") + b"\r\n\r\n" + body
        before = state(serve.db)
        status, reply = send(serve.port, raw)
        assert status is None or status < 500, reply[:500]
        assert b"Traceback" not in reply
        assert state(serve.db) == before

    one()
    assert serve.answers()
    log = serve.log.read_text(errors="replace")
    assert "Traceback" not in log and "ballot service error" not in log, log[-3000:]


def form_post(port: int, path: str, fields: dict, *headers: str) -> bytes:
    """A browser's form post as raw bytes, with any extra header lines."""
    body = urlencode(fields).encode()
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close", *headers]
    head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def test_a_guessing_address_still_votes_with_a_valid_slip(service):
    """31 unknown codes from one address, then a valid slip from the same address: the
    ballot is stored (the limiter only ever slows and refuses unknown codes)."""
    serve, tokens, _codes, ballot = service
    office = "127.0.0.2"  # an address of its own: the fuzzing above guessed from .1
    for n in range(31):
        request = f"GET /v/GUESS{n:05d}XYZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        status, reply = send(serve.port, request.encode(), source=office)
        assert status == (404 if n < 30 else 429)
    assert "请于" in reply.decode() and "Retry-After" in reply.decode()
    before = state(serve.db)
    status, _reply = send(
        serve.port, form_post(serve.port, f"/v/{tokens[-10]}", ballot), source=office
    )
    assert status == 303
    after = state(serve.db)
    assert after[0] == before[0] + 1 and after[3] == before[3] + 1  # one ballot, slip used


def test_a_cross_site_post_is_refused_and_stores_nothing(service):
    serve, tokens, _codes, ballot = service
    path = f"/v/{tokens[-11]}"
    for header in ("Sec-Fetch-Site: cross-site", "Origin: http://evil.example", "Origin: null"):
        before = state(serve.db)
        status, reply = send(serve.port, form_post(serve.port, path, ballot, header))
        assert status == 403 and "不是来自本测评页面" in reply.decode(), header
        assert state(serve.db) == before
    # The phone's own post names the service's own origin: stored.
    own = f"Origin: http://127.0.0.1:{serve.port}"
    assert send(serve.port, form_post(serve.port, path, ballot, own))[0] == 303
