"""Databases written before the secret ballot migrate: links dropped, counts kept."""

from __future__ import annotations

import sqlite3

from core.ballots.items import form_items
from core.ballots.results import load_tally
from core.ballots.storing import receipts
from core.ballots.tokens import issue_tokens
from core.ballots.turnout import pending_paper
from core.meeting.store import MeetingStore
from core.store import migrations, schema
from tests.conftest import DEMO_TEXT


def _old_ballot(db, ballot_id, token_id, source, receipt, confirmed, items):
    db.execute(
        "INSERT INTO ballots (id, token_id, category, source, receipt, submitted_at, "
        "confirmed_at) VALUES (?, ?, '党组成员', ?, ?, 1706580000.123456, ?)",
        [ballot_id, token_id, source, receipt, 1706580000.5 if confirmed else None],
    )
    db.executemany(
        "INSERT INTO scores (ballot_id, subject_id, criterion_id, grade) VALUES (?, ?, ?, ?)",
        [(ballot_id, s, c, "好" if (s + c) % 2 else "较好") for s, c in items],
    )


def test_a_version_4_database_loses_its_links_and_keeps_its_ballots(tmp_path, clock, monkeypatch):
    path = tmp_path / "old.db"
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 4)
    with MeetingStore.create(path, DEMO_TEXT, "old.toml", clock=clock) as old:
        issue_tokens(old, "党组成员", 5)  # 3 printed slips; 2 made for paper and import
        subjects = old.ids("subjects")
        criteria = old.ids("criteria")
        items = [(subjects[s], criteria[c]) for s, c in form_items(old.meeting)]
    db = sqlite3.connect(path, isolation_level=None)
    _old_ballot(db, 1, 1, "web", "AAAAA-BBBBB", True, items)
    _old_ballot(db, 2, 4, "paper", "CCCCC-DDDDD", False, items)
    _old_ballot(db, 3, 5, "import", "EEEEE-FFFFF", True, items)
    db.close()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", max(schema.MIGRATIONS))  # all later

    with MeetingStore(path, clock=clock) as store:
        columns = {row[1] for row in store.db.execute("PRAGMA table_info(ballots)")}
        assert columns == {"id", "category", "source", "counted", "entered_by"}
        ids = {b for (b,) in store.db.execute("SELECT id FROM ballots")}
        assert len(ids) == 3 and not ids & {1, 2, 3}  # new random ids
        used = store.db.execute("SELECT id, used FROM tokens ORDER BY id").fetchall()
        assert used == [(1, 1), (2, 0), (3, 0)]  # paper and import tokens are gone
        assert receipts(store) == ["AAAAA-BBBBB"]
        assert pending_paper(store) == 1
        scores = store.db.execute("SELECT count(*) FROM scores").fetchone()[0]
        assert scores == 3 * len(items)
        tally = load_tally(store)
        assert (tally.ballots.issued, tally.ballots.returned, tally.ballots.imported) == (3, 2, 1)
