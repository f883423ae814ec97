"""Slips, tokens, revocation and poll control from the command line."""

from __future__ import annotations

import json
import re

from core.ballots.tokens import ALPHABET, digest, find_token, new_token, normalise
from core.meeting.store import MeetingStore
from tests.conftest import on_this_laptop
from tui.cli import run

CODE = re.compile(r"</small>([0-9A-Z]{5}-[0-9A-Z]{5})</div>")


def tokens(db, *args: str) -> int:
    return run(["tokens", "--db", str(db), *args])


def test_slips_for_every_expected_voter_and_only_hashes_stored(demo_db, tmp_path, capsys):
    out = tmp_path / "slips.html"
    assert (
        tokens(demo_db, "--out", str(out), "--urls", "--base-url", "http://192.168.1.20:8700") == 0
    )
    urls = capsys.readouterr().out.split()
    assert len(urls) == 72 and len(set(urls)) == 72
    assert all(u.startswith("http://192.168.1.20:8700/v/") for u in urls)
    html = out.read_text("utf-8")
    assert html.count('class="slip"') == 72
    assert html.count('class="page"') == 9  # 10 slips a page, each category on its own pages
    assert html.count("<svg") == 72  # a QR code per slip
    # One line per slip, plus the page header of each of the category's pages.
    assert html.count("党员代表") == 20 + 2 and html.count("支部书记和支委委员") == 24 + 3
    codes = CODE.findall(html)
    assert len(codes) == 72
    wal = demo_db.with_name(demo_db.name + "-wal")
    raw = demo_db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    token = urls[0].rsplit("/", 1)[1]
    assert token.encode() not in raw and codes[0].replace("-", "").encode() not in raw
    assert find_token(MeetingStore(demo_db), token) is not None  # found by its hash


def test_tokens_carry_128_random_bits():
    tokens = {new_token() for _ in range(2000)}
    assert len(tokens) == 2000
    assert all(len(t) == 26 and set(t) <= set(ALPHABET) for t in tokens)
    assert normalise("abcde-fghij") == "ABCDEFGH1J" and digest("abcde fghij") == digest(
        "ABCDEFGH1J"
    )


def test_issuing_twice_is_refused_but_more_can_be_added(demo_db, capsys):
    assert tokens(demo_db, "--urls") == 0
    capsys.readouterr()
    assert tokens(demo_db, "--urls") == 1
    assert "--category" in capsys.readouterr().err
    assert tokens(demo_db, "--urls", "--category", "党组成员", "--count", "2") == 0
    assert len(capsys.readouterr().out.split()) == 2
    assert tokens(demo_db, "--urls", "--category", "路人") == 1
    assert "未知的测评人类别" in capsys.readouterr().err


def test_revoke_by_the_printed_code(demo_db, tmp_path, capsys):
    out = tmp_path / "slips.html"
    tokens(demo_db, "--out", str(out), "--category", "党组成员", "--count", "1")
    code = CODE.search(out.read_text("utf-8"))[1]
    assert run(["tokens", "revoke", code.lower(), "--db", str(demo_db)]) == 0
    assert run(["tokens", "revoke", code, "--db", str(demo_db)]) == 1  # already revoked
    assert "已经作废过了" in capsys.readouterr().err


def test_poll_open_close_and_reopen_needs_a_reason(demo_db, capsys):
    on_this_laptop(demo_db)
    assert run(["poll", "open", "--db", str(demo_db)]) == 0
    assert "测评状态：进行中" in capsys.readouterr().out
    assert run(["poll", "close", "--db", str(demo_db)]) == 0
    assert run(["poll", "open", "--db", str(demo_db)]) == 1
    assert "理由" in capsys.readouterr().err
    assert run(["poll", "open", "--db", str(demo_db), "--reason", "网络故障后补测"]) == 0
    events = MeetingStore(demo_db).events("poll.")
    assert [e.kind for e in events] == ["poll.open", "poll.closed", "poll.open"]
    assert events[-1].payload["reason"] == "网络故障后补测"


def test_status_json_is_the_stable_contract(demo_db, capsys):
    MeetingStore(demo_db).toggle_timer()  # on the real clock, as the podium would
    assert run(["status", "--db", str(demo_db), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # Fields are only ever added: history_erased (#20) is null until scoring closes.
    assert set(data) == {
        "subject",
        "phase",
        "remaining_s",
        "running",
        "poll",
        "turnout",
        "history_erased",
    }
    assert data["history_erased"] is None
    assert (data["subject"], data["phase"], data["running"], data["poll"]) == (
        "法工委",
        "report",
        True,
        "not_open",
    )
    assert 0 < data["remaining_s"] <= 480
    assert data["turnout"] == {"submitted": 0, "expected": 72}
