"""The meeting database's schema: every table, as the history of migrations.

Each concept owns its queries (core/meeting, core/record, core/ballots,
core/ledger); the tables they query are created here, one numbered step at a
time, so a database written by any earlier version opens in this one. A step
never changes once released: a new need is a new step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from core.store.rows import random_keys

if TYPE_CHECKING:
    import sqlite_utils

# Ballot ids are random nine-digit keys: nothing in them follows the order of voting.
BALLOT_IDS = (100_000_000, 900_000_000)  # (lowest, how many)

# Set when ballots were stored before their counts existed: the ballots package
# counts them again before the counts are next read.
COUNTS_STALE = "tally_counts_stale"

COUNT_TABLES = (
    "CREATE TABLE IF NOT EXISTS tally_counts (subject_id INTEGER NOT NULL, "
    "criterion_id INTEGER NOT NULL, category TEXT NOT NULL, grade TEXT NOT NULL, "
    "n INTEGER NOT NULL, PRIMARY KEY (subject_id, criterion_id, category, grade)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS tally_graded (subject_id INTEGER NOT NULL, "
    "category TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (subject_id, category)) "
    "WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS tally_ballots (source TEXT NOT NULL, problems TEXT NOT NULL, "
    "n INTEGER NOT NULL, PRIMARY KEY (source, problems)) WITHOUT ROWID",
)


def _migrate_to_1(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("meeting").create(
        {"id": int, "title": str, "date": str, "venue": str, "source_name": str, "source": str},
        pk="id",
    )
    db.table("subjects").create(
        {
            "id": int,
            "name": str,
            "unit": str,
            "person": str,
            "mode": str,
            "position": int,
            "daily": str,
        },
        pk="id",
    )
    db.table("subjects").create_index(["name"], unique=True)
    db.table("categories").create(
        {"id": int, "name": str, "weight": str, "expected": int, "position": int}, pk="id"
    )
    db.table("categories").create_index(["name"], unique=True)
    db.table("criteria").create({"id": int, "name": str, "position": int}, pk="id")
    db.table("grades").create(
        {"id": int, "label": str, "points": str, "position": int, "abstain": int}, pk="id"
    )
    db.table("agenda").create(
        {
            "position": int,
            "subject_id": int,
            "phase": str,
            "duration": int,
            "warning": int,
            "danger": int,
            "auto_start": int,
            "started_at": float,
            "paused_at": float,
            "paused_total": float,
            "added": float,
        },
        pk="position",
        foreign_keys=[("subject_id", "subjects", "id")],
        not_null={"phase", "paused_total", "added"},
        defaults={"paused_total": 0.0, "added": 0.0},
    )
    db.table("state").create({"id": int, "position": int, "poll": str}, pk="id")
    db.table("events").create(
        {"id": int, "at": float, "actor": str, "kind": str, "payload": str},
        pk="id",
        not_null={"at", "actor", "kind", "payload"},
    )
    db.table("events").create_index(["kind"])
    # The events are the audit trail: nobody rewrites history.
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER events_no_{verb.lower()} BEFORE {verb} ON events "
            "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
        )


def _migrate_to_2(db: sqlite_utils.Database) -> None:
    """Ballots. No table links a token or a ballot to a person: slips are handed out
    at random within a voter category, and only a token's hash is kept."""
    db.table("tokens").create(
        {
            "id": int,
            "hash": str,
            "code_hash": str,
            "category": str,
            "issued_at": float,
            "revoked_at": float,
            "batch": int,
        },
        pk="id",
        not_null={"hash", "code_hash", "category", "issued_at"},
    )
    db.table("tokens").create_index(["hash"], unique=True)
    db.table("tokens").create_index(["code_hash"], unique=True)
    db.table("ballots").create(
        {
            "id": int,
            "token_id": int,
            "category": str,
            "source": str,
            "receipt": str,
            "submitted_at": float,
            "updated_at": float,
            "confirmed_at": float,
        },
        pk="id",
        foreign_keys=[("token_id", "tokens", "id")],
        not_null={"token_id", "category", "source", "receipt", "submitted_at"},
    )
    # One ballot per token, enforced by the database itself.
    db.table("ballots").create_index(["token_id"], unique=True)
    db.table("scores").create(
        {"ballot_id": int, "subject_id": int, "criterion_id": int, "grade": str},
        pk=("ballot_id", "subject_id", "criterion_id"),
        foreign_keys=[("ballot_id", "ballots", "id"), ("subject_id", "subjects", "id")],
    )
    db.table("comments").create(
        {"ballot_id": int, "subject_id": int, "text": str},
        pk=("ballot_id", "subject_id"),
        foreign_keys=[("ballot_id", "ballots", "id"), ("subject_id", "subjects", "id")],
    )
    db.execute("ALTER TABLE state ADD COLUMN poll_changed_at REAL")


def _migrate_to_3(db: sqlite_utils.Database) -> None:
    """The clerk's record: commentary and questions, per subject."""
    db.table("commentary").create(
        {
            "id": int,
            "subject_id": int,
            "commenter": str,
            "text": str,
            "at": float,
            "edited_at": float,
            "deleted_at": float,
        },
        pk="id",
        foreign_keys=[("subject_id", "subjects", "id")],
        not_null={"subject_id", "commenter", "text", "at"},
    )
    db.table("questions").create(
        {
            "id": int,
            "subject_id": int,
            "asker": str,
            "text": str,
            "state": str,
            "answer": str,
            "position": float,
            "created_at": float,
            "asked_at": float,
            "answered_at": float,
            "withdrawn_at": float,
            "edited_at": float,
        },
        pk="id",
        foreign_keys=[("subject_id", "subjects", "id")],
        not_null={"subject_id", "text", "state", "position", "created_at"},
    )
    db.table("questions").create_index(["subject_id", "position"])
    db.execute("ALTER TABLE ballots ADD COLUMN entered_by TEXT")  # staff, for paper ballots


def _migrate_to_4(db: sqlite_utils.Database) -> None:
    """Results: imported score components and the committee's overrides."""
    db.table("daily_scores").create(
        {"subject_id": int, "component": str, "score": str, "at": float},
        pk=("subject_id", "component"),
        foreign_keys=[("subject_id", "subjects", "id")],
    )
    db.table("overrides").create(
        {"subject_id": int, "grade": str, "reason": str, "at": float},
        pk="subject_id",
        foreign_keys=[("subject_id", "subjects", "id")],
    )


def _migrate_to_5(db: sqlite_utils.Database) -> None:
    """A secret ballot as a storage property (see README "Ballot secrecy").

    Ballots lose every reference to their token and every timestamp; their ids
    become random and the tables holding them have no rowid, so neither a column
    nor the row order follows the printed slips. "Used" becomes a flag on the
    token. Receipts move to a table of their own, unlinked to any ballot. Tokens
    that were only created to carry a paper or imported ballot are dropped:
    "issued" counts printed slips. Existing links are dropped, not kept.
    """
    db.execute("ALTER TABLE tokens ADD COLUMN used INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "UPDATE tokens SET used = 1 WHERE id IN (SELECT token_id FROM ballots WHERE source = 'web')"
    )
    slipless = [r[0] for r in db.execute("SELECT token_id FROM ballots WHERE source != 'web'")]
    db.execute(
        "CREATE TABLE ballots_v5 (id INTEGER PRIMARY KEY, category TEXT NOT NULL, "
        "source TEXT NOT NULL, counted INTEGER NOT NULL DEFAULT 0, entered_by TEXT) "
        "WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE scores_v5 (ballot_id INTEGER NOT NULL REFERENCES ballots_v5(id), "
        "subject_id INTEGER NOT NULL REFERENCES subjects(id), criterion_id INTEGER NOT NULL, "
        "grade TEXT, PRIMARY KEY (ballot_id, subject_id, criterion_id)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE comments_v5 (ballot_id INTEGER NOT NULL REFERENCES ballots_v5(id), "
        "subject_id INTEGER NOT NULL REFERENCES subjects(id), text TEXT NOT NULL, "
        "PRIMARY KEY (ballot_id, subject_id)) WITHOUT ROWID"
    )
    db.execute("CREATE TABLE receipts (receipt TEXT PRIMARY KEY) WITHOUT ROWID")
    # Only while revising is allowed and scoring is open; emptied when scoring closes.
    db.execute(
        "CREATE TABLE revision_links (token_id INTEGER PRIMARY KEY REFERENCES tokens(id), "
        "ballot_id INTEGER NOT NULL, receipt TEXT NOT NULL) WITHOUT ROWID"
    )
    old = db.execute(
        "SELECT id, category, source, receipt, confirmed_at IS NOT NULL, entered_by "
        "FROM ballots ORDER BY random()"
    ).fetchall()
    drawn = random_keys(db.conn, "ballots_v5", len(old), *BALLOT_IDS)
    new_ids: dict[int, int] = {}
    for (old_id, category, source, receipt, counted, entered_by), new_id in zip(
        old, drawn, strict=True
    ):
        new_ids[old_id] = new_id
        db.execute(
            "INSERT INTO ballots_v5 (id, category, source, counted, entered_by) "
            "VALUES (?, ?, ?, ?, ?)",
            [new_id, category, source, int(counted), entered_by],
        )
        if source == "web":
            db.execute("INSERT OR IGNORE INTO receipts (receipt) VALUES (?)", [receipt])
    copied = (("scores", "subject_id, criterion_id, grade"), ("comments", "subject_id, text"))
    for table, columns in copied:
        rows = db.execute(f"SELECT ballot_id, {columns} FROM {table}").fetchall()
        marks = ", ".join("?" * (columns.count(",") + 2))
        db.conn.executemany(
            f"INSERT INTO {table}_v5 (ballot_id, {columns}) VALUES ({marks})",
            [(new_ids[row[0]], *row[1:]) for row in rows if row[0] in new_ids],
        )
    # Children first, so no foreign key is ever broken; renaming ballots_v5 rewrites
    # the references to it in scores_v5 and comments_v5.
    for table in ("scores", "comments", "ballots"):
        db.execute(f"DROP TABLE {table}")
    for table in ("ballots", "scores", "comments"):
        db.execute(f"ALTER TABLE {table}_v5 RENAME TO {table}")
    db.execute("CREATE INDEX ballots_counted ON ballots (counted, category)")
    # Tokens that were only made to carry a paper or imported ballot: not printed slips.
    db.conn.executemany("DELETE FROM tokens WHERE id = ?", [(token,) for token in slipless])


def _migrate_to_6(db: sqlite_utils.Database) -> None:
    """The tally's counts, kept up to date with every ballot (core/ballots/counts.py).
    Ballots already stored are counted by the ballots package the first time the
    counts are read (`COUNTS_STALE`): counting needs the meeting's rules."""
    for statement in COUNT_TABLES:
        db.execute(statement)
    if db.execute("SELECT 1 FROM ballots LIMIT 1").fetchone() is not None:
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, '1') "
            "ON CONFLICT (key) DO UPDATE SET value = '1'",
            [COUNTS_STALE],
        )


def _migrate_to_7(db: sqlite_utils.Database) -> None:
    """After the meeting: the rectification ledger (整改台账) and what a meeting carried
    over from last year's (see core/ledger/)."""
    db.table("ledger").create(
        {
            "id": int,
            "subject_id": int,
            "seq": int,
            "source": str,
            "problem": str,
            "measure": str,
            "owner": str,
            "deadline": str,
            "progress": str,
            "completion": str,
            "evidence": str,
            "closed_on": str,
            "origin": str,
            "carried_from": str,
            "answered_at": float,
            "created_at": float,
            "updated_at": float,
        },
        pk="id",
        foreign_keys=[("subject_id", "subjects", "id")],
        not_null={"subject_id", "seq", "source", "problem", "created_at", "updated_at"},
        if_not_exists=True,  # a database whose version was set back keeps its ledger
    )
    db.table("ledger").create_index(["subject_id", "seq"], unique=True, if_not_exists=True)
    db.table("carried_results").create(
        {
            "subject_id": int,
            "meeting": str,
            "final_score": str,
            "final_grade": str,
            "rank": int,
            "override_reason": str,
        },
        pk="subject_id",
        foreign_keys=[("subject_id", "subjects", "id")],
        if_not_exists=True,
    )


def _migrate_to_8(db: sqlite_utils.Database) -> None:
    """Closing scoring erases every link from a slip to a ballot, whichever program
    closes it: the database does it in the closing transaction itself."""
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS closing_forgets_links AFTER UPDATE OF poll ON state "
        "WHEN NEW.poll = 'closed' BEGIN DELETE FROM revision_links; END"
    )


def _migrate_to_9(db: sqlite_utils.Database) -> None:
    """Attendance (出席 / 请假 / 缺席) of the people the meeting file expects; no row:
    not marked yet (see core/record/attendance.py)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS attendance (name TEXT PRIMARY KEY, "
        "mark TEXT NOT NULL CHECK (mark IN ('present', 'leave', 'absent')), "
        "note TEXT NOT NULL DEFAULT '', at REAL NOT NULL) WITHOUT ROWID"
    )


def _migrate_to_10(db: sqlite_utils.Database) -> None:
    """Imported ballots recognised by content (core/ballots/importing.py): per digest of
    a row's content, how many times it was imported. No ballot id, no file, no order
    but the digest's."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS import_rows (digest TEXT PRIMARY KEY, "
        "n INTEGER NOT NULL) WITHOUT ROWID"
    )


# The tables each step brings, that every later version still has: a database whose
# `schema_version` says N but lacks one of these (a `meta` table copied alone, a file
# cut short) is refused on open instead of failing in the middle of a command.
# tests/test_store.py checks this list against the steps themselves.
TABLES_SINCE: dict[int, tuple[str, ...]] = {
    1: ("meta", "meeting", "subjects", "categories", "criteria", "grades", "agenda", "state"),
    2: ("tokens", "ballots", "scores", "comments"),
    3: ("commentary", "questions"),
    4: ("daily_scores", "overrides"),
    5: ("receipts", "revision_links"),
    6: ("tally_counts", "tally_graded", "tally_ballots"),
    7: ("ledger", "carried_results"),
    9: ("attendance",),
    10: ("import_rows",),
}


def required_tables(version: int) -> set[str]:
    """The tables a database at `version` must hold."""
    return {"events"} | {
        table for step, tables in TABLES_SINCE.items() if step <= version for table in tables
    }


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    1: _migrate_to_1,
    2: _migrate_to_2,
    3: _migrate_to_3,
    4: _migrate_to_4,
    5: _migrate_to_5,
    6: _migrate_to_6,
    7: _migrate_to_7,
    8: _migrate_to_8,
    9: _migrate_to_9,
    10: _migrate_to_10,
}
