"""Ballots that arrive without a slip: all-or-nothing, and they take no token."""

from __future__ import annotations

import pytest

from core.ballots.items import form_items
from core.ballots.paper import enter_paper_ballot
from core.ballots.storing import BallotEntry, add_ballots
from core.ballots.tokens import BallotRefused, issued_counts


def test_a_refused_paper_ballot_leaves_no_token_behind(store):
    entry = BallotEntry({item: "较好" for item in form_items(store.meeting)})
    with pytest.raises(BallotRefused):
        enter_paper_ballot(store, "党员代表", entry, "王记录")  # scoring not open
    assert issued_counts(store) == {}  # "issued" still counts only real slips
    store.set_poll("open")
    enter_paper_ballot(store, "党员代表", entry, "王记录")
    assert issued_counts(store) == {}  # a paper ballot takes no slip


def test_ballots_added_together_are_stored_together_or_not_at_all(store):
    entry = BallotEntry({item: "好" for item in form_items(store.meeting)})
    broken = BallotEntry({("不存在的处", "抓基层党建工作"): "好"})
    with pytest.raises(KeyError):
        add_ballots(store, [("党组成员", entry), ("党组成员", broken)], source="import")
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 0
    assert issued_counts(store) == {}
    stored = add_ballots(store, [("党组成员", entry)] * 3, source="import")
    assert len({s.ballot_id for s in stored}) == 3
