"""Revoking and restoring slips, the count of slips, the void rule, published
receipts, and a busy database at the command line."""

from __future__ import annotations

import re
import sqlite3

import pytest

from core.ballots.items import form_items
from core.ballots.paper import confirm_paper_ballot, enter_paper_ballot
from core.ballots.results import load_tally
from core.ballots.storing import BallotEntry, add_ballots, receipts, store_ballot
from core.ballots.tokens import issue_tokens, restore_token, revoke_token
from core.errors import StoreError
from core.store import database as store_module
from tests.conftest import on_this_laptop
from tui.cli import run


def _entry(store, grade="好") -> BallotEntry:
    grades = dict.fromkeys(form_items(store.meeting), grade)
    grades[("人事室", store.meeting.criteria[0])] = "较好"
    return BallotEntry(grades)


def test_a_slip_that_voted_cannot_be_revoked(store):
    store.set_poll("open")
    voted, lost = issue_tokens(store, "党组成员", 2)
    store_ballot(store, voted.token, _entry(store))
    with pytest.raises(StoreError, match="已经提交过测评票，不能作废"):
        revoke_token(store, voted.code)
    assert revoke_token(store, lost.code)
    tally = load_tally(store)
    assert (tally.ballots.issued, tally.ballots.returned, tally.voided) == (1, 1, False)


def test_a_revocation_is_undone_by_restore_and_both_stop_at_close(store):
    store.set_poll("open")
    slip, other = issue_tokens(store, "党组成员", 2)
    revoke_token(store, slip.code)
    with pytest.raises(StoreError, match="已经作废过了"):
        revoke_token(store, slip.code)
    assert restore_token(store, slip.code)
    with pytest.raises(StoreError, match="没有作废"):
        restore_token(store, slip.code)
    store_ballot(store, slip.token, _entry(store))  # the restored slip votes
    store.set_poll("closed")
    for change in (revoke_token, restore_token):
        with pytest.raises(StoreError, match="测评已经结束"):
            change(store, other.code)
    kinds = [e.kind for e in store.events("tokens.")]
    assert kinds[-2:] == ["tokens.revoked", "tokens.restored"]


def test_paper_and_imported_ballots_are_counted_on_their_own_lines(store):
    store.set_poll("open")
    slips = issue_tokens(store, "党员代表", 3)
    for slip in slips[:2]:
        store_ballot(store, slip.token, _entry(store))
    for _ in range(3):
        stored = enter_paper_ballot(store, "党员代表", _entry(store), "王记录")
        confirm_paper_ballot(store, stored.ballot_id, "李核对")
    add_ballots(store, [("党组成员", _entry(store))] * 4, source="import")
    tally = load_tally(store)
    counts = tally.ballots
    assert (counts.issued, counts.paper, counts.imported, counts.returned) == (3, 3, 4, 9)
    # 9 returned for 3 printed slips is not an over-return: like is compared with like.
    assert counts.returned <= counts.issued + counts.paper + counts.imported
    assert not tally.voided


def test_more_phone_ballots_than_printed_slips_voids_the_round(store):
    from core.ballots.tally import Ballot, compute_tally

    ballots = [Ballot("党员代表", _entry(store).grades, "web")] * 3
    paper = [Ballot("党员代表", _entry(store).grades, "paper")] * 5
    assert compute_tally(store.meeting, ballots + paper, issued=2).voided
    assert not compute_tally(store.meeting, ballots[:2] + paper, issued=2).voided


def test_receipts_are_published_sorted_without_content(demo_db, store, tmp_path, capsys):
    store.set_poll("open")
    shown = [
        store_ballot(store, slip.token, _entry(store)).receipt
        for slip in issue_tokens(store, "党组成员", 5)
    ]
    enter_paper_ballot(store, "党员代表", _entry(store), "王记录")  # no receipt: no voter
    assert receipts(store) == sorted(shown)
    out = tmp_path / "receipts.html"
    assert run(["receipts", "--db", str(demo_db), "--out", str(out)]) == 0
    html = out.read_text("utf-8")
    assert re.findall(r"<li>([0-9A-Z]{5}-[0-9A-Z]{5})</li>", html) == sorted(shown)
    assert "好" not in html.replace("请核对", "")  # no grades, no names of grades
    assert "回执号清单已写入" in capsys.readouterr().err


def test_poll_open_on_a_locked_database_is_a_busy_message(demo_db, capsys, monkeypatch):
    on_this_laptop(demo_db)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(demo_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert run(["poll", "open", "--db", str(demo_db)]) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "会议数据库正被其他程序占用" in capsys.readouterr().err
    assert run(["poll", "open", "--db", str(demo_db)]) == 0


def test_restore_from_the_command_line(demo_db, tmp_path, capsys):
    out = tmp_path / "slips.html"
    assert run(["tokens", "--db", str(demo_db), "--out", str(out), "--count", "1",
                "--category", "党组成员"]) == 0  # fmt: skip
    code = re.search(r"</small>([0-9A-Z]{5}-[0-9A-Z]{5})</div>", out.read_text("utf-8"))[1]
    assert run(["tokens", "revoke", code, "--db", str(demo_db)]) == 0
    assert run(["tokens", "restore", code, "--db", str(demo_db)]) == 0
    assert "已恢复" in capsys.readouterr().err
