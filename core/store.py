"""One meeting = one SQLite file (WAL), shared by every sanshu process.

Every state change and its audit event are written in one short
`BEGIN IMMEDIATE` transaction; other processes notice the change by polling
`PRAGMA data_version`.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import timer as timers
from core.agenda import build_agenda
from core.errors import StoreBusy, StoreError
from core.i18n import t
from core.meetingfile import parse_meeting
from core.model import Meeting, PhaseTiming
from core.timer import Timer

if TYPE_CHECKING:
    import sqlite_utils

    from core.tally_counts import CountDelta

SCHEMA_VERSION = 7
APP_ID = "sanshu"
BUSY_TIMEOUT_MS = 10_000

Clock = Callable[[], float]


@dataclass(frozen=True)
class AgendaStep:
    position: int
    subject: str | None
    phase: str
    timing: PhaseTiming | None
    timer: Timer | None


@dataclass(frozen=True)
class MeetingState:
    position: int
    steps: tuple[AgendaStep, ...]
    poll: str  # not_open | open | closed

    @property
    def step(self) -> AgendaStep:
        return self.steps[self.position]

    def results_visible(self, meeting: Meeting) -> bool:
        """Results show in the results phase, and only after scoring closes unless the
        meeting file says they need not wait."""
        if self.step.phase != "results":
            return False
        return self.poll == "closed" or not meeting.poll.hide_results_until_close

    @property
    def next_step(self) -> AgendaStep | None:
        return self.steps[self.position + 1] if self.position + 1 < len(self.steps) else None


@dataclass(frozen=True)
class Event:
    id: int
    at: float
    actor: str
    kind: str
    payload: dict[str, Any]


# ---------------------------------------------------------------------------
# Schema and migrations


def _migrate_to_1(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["meeting"].create(
        {"id": int, "title": str, "date": str, "venue": str, "source_name": str, "source": str},
        pk="id",
    )
    db["subjects"].create(
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
    db["subjects"].create_index(["name"], unique=True)
    db["categories"].create(
        {"id": int, "name": str, "weight": str, "expected": int, "position": int}, pk="id"
    )
    db["categories"].create_index(["name"], unique=True)
    db["criteria"].create({"id": int, "name": str, "position": int}, pk="id")
    db["grades"].create(
        {"id": int, "label": str, "points": str, "position": int, "abstain": int}, pk="id"
    )
    db["agenda"].create(
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
    db["state"].create({"id": int, "position": int, "poll": str}, pk="id")
    db["events"].create(
        {"id": int, "at": float, "actor": str, "kind": str, "payload": str},
        pk="id",
        not_null={"at", "actor", "kind", "payload"},
    )
    db["events"].create_index(["kind"])
    # The events are the audit trail: nobody rewrites history.
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER events_no_{verb.lower()} BEFORE {verb} ON events "
            "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
        )


def _migrate_to_2(db: sqlite_utils.Database) -> None:
    """Ballots. No table links a token or a ballot to a person: slips are handed out
    at random within a voter category, and only a token's hash is kept."""
    db["tokens"].create(
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
    db["tokens"].create_index(["hash"], unique=True)
    db["tokens"].create_index(["code_hash"], unique=True)
    db["ballots"].create(
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
    db["ballots"].create_index(["token_id"], unique=True)
    db["scores"].create(
        {"ballot_id": int, "subject_id": int, "criterion_id": int, "grade": str},
        pk=("ballot_id", "subject_id", "criterion_id"),
        foreign_keys=[("ballot_id", "ballots", "id"), ("subject_id", "subjects", "id")],
    )
    db["comments"].create(
        {"ballot_id": int, "subject_id": int, "text": str},
        pk=("ballot_id", "subject_id"),
        foreign_keys=[("ballot_id", "ballots", "id"), ("subject_id", "subjects", "id")],
    )
    db.execute("ALTER TABLE state ADD COLUMN poll_changed_at REAL")


def _migrate_to_3(db: sqlite_utils.Database) -> None:
    """The clerk's record: commentary and questions, per subject."""
    db["commentary"].create(
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
    db["questions"].create(
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
    db["questions"].create_index(["subject_id", "position"])
    db.execute("ALTER TABLE ballots ADD COLUMN entered_by TEXT")  # staff, for paper ballots


def _migrate_to_4(db: sqlite_utils.Database) -> None:
    """Results: imported score components and the committee's overrides."""
    db["daily_scores"].create(
        {"subject_id": int, "component": str, "score": str, "at": float},
        pk=("subject_id", "component"),
        foreign_keys=[("subject_id", "subjects", "id")],
    )
    db["overrides"].create(
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
    from core.ballots import new_ballot_id  # the one place ballot ids are drawn

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
    new_ids: dict[int, int] = {}
    for old_id, category, source, receipt, counted, entered_by in old:
        new_ids[old_id] = new_id = new_ballot_id(db, "ballots_v5")
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
    """The tally's counts, kept up to date with every ballot (core/tally_counts.py);
    ballots already stored are counted now."""
    from core.tally_counts import create_and_recount

    create_and_recount(db)


def _migrate_to_7(db: sqlite_utils.Database) -> None:
    """After the meeting: the rectification ledger (整改台账) and what a meeting carried
    over from last year's (see core/ledger.py and core/carryover.py)."""
    db["ledger"].create(
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
    db["ledger"].create_index(["subject_id", "seq"], unique=True, if_not_exists=True)
    db["carried_results"].create(
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


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    1: _migrate_to_1,
    2: _migrate_to_2,
    3: _migrate_to_3,
    4: _migrate_to_4,
    5: _migrate_to_5,
    6: _migrate_to_6,
    7: _migrate_to_7,
}


class _LazyDatabase:
    """sqlite-utils' Database, imported the first time one of its own features is used.

    `execute` and `conn` are plain sqlite3 (the connection runs in autocommit mode, so
    sqlite-utils' execute would do the same): `sanshu status` and `poll` read the
    meeting without paying for sqlite-utils' imports (dateutil, pluggy, ...).
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._utils: sqlite_utils.Database | None = None

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def _database(self) -> sqlite_utils.Database:
        if self._utils is None:
            import sqlite_utils

            self._utils = sqlite_utils.Database(self.conn)
        return self._utils

    def __getattr__(self, name: str) -> Any:
        return getattr(self._database(), name)

    def __getitem__(self, table: str) -> Any:
        return self._database()[table]


def _connect(path: Path) -> sqlite_utils.Database:
    conn = sqlite3.connect(
        path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")  # erased revision links leave no bytes behind
    return _LazyDatabase(conn)  # type: ignore[return-value]  # what sqlite-utils' would do


def _schema_version(db: sqlite_utils.Database) -> int:
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    if db.execute(query).fetchone() is None:
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _migrate(db: sqlite_utils.Database) -> None:
    current = _schema_version(db)
    if current > SCHEMA_VERSION:
        raise StoreError(t("db.too_new", found=current, supported=SCHEMA_VERSION))
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with _immediate(db):
            MIGRATIONS[version](db)
            db["meta"].upsert({"key": "schema_version", "value": str(version)}, pk="key")


@contextlib.contextmanager
def _immediate(db: sqlite_utils.Database) -> Iterator[None]:
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:  # another process held the write lock too long
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreBusy(t("db.busy")) from None
        raise
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


@contextlib.contextmanager
def _savepoint(db: sqlite_utils.Database) -> Iterator[None]:
    """A change inside a caller's transaction that can fail on its own."""
    db.execute("SAVEPOINT nested")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK TO nested")
        db.execute("RELEASE nested")
        raise
    db.execute("RELEASE nested")


# ---------------------------------------------------------------------------
# The store


class MeetingStore:
    """A process's handle on the meeting database."""

    def __init__(self, path: str | Path, *, actor: str = "host", clock: Clock = time.time):
        self.path = Path(path)
        self.actor = actor
        self.clock = clock
        if not self.path.exists():
            raise StoreError(t("db.missing", path=self.path))
        try:
            self.db = _connect(self.path)
            if _schema_version(self.db) == 0:  # never migrate someone else's database
                raise StoreError(t("db.not_sanshu", path=self.path))
            _migrate(self.db)
            row = self.db.execute("SELECT source, source_name FROM meeting WHERE id = 1").fetchone()
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc):
                raise StoreError(t("db.locked", path=self.path)) from None
            raise StoreError(t("db.not_sanshu", path=self.path)) from None
        if row is None:
            raise StoreError(t("db.not_sanshu", path=self.path))
        self.meeting: Meeting = parse_meeting(row[0], row[1])
        self._ids: dict[str, dict[str, int]] = {}
        # The tally's counts changed inside `batch()`, written once at its end.
        self.pending_counts: CountDelta | None = None

    @classmethod
    def create(
        cls,
        path: str | Path,
        source: str,
        source_name: str,
        *,
        force: bool = False,
        clock: Clock = time.time,
    ) -> MeetingStore:
        """Create a meeting database from a meeting file's text (already validated or not)."""
        path = Path(path)
        meeting = parse_meeting(source, source_name)
        if path.exists():
            if not force:
                raise StoreError(t("db.exists", path=path))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = _connect(path)
        _migrate(db)
        with _immediate(db):
            _write_definition(db, meeting, source, source_name)
            db["events"].insert(
                {
                    "at": clock(),
                    "actor": "organiser",
                    "kind": "meeting.created",
                    "payload": json.dumps(
                        {"source": source_name, "title": meeting.title}, ensure_ascii=False
                    ),
                }
            )
        db.conn.close()
        return cls(path, clock=clock)

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> MeetingStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------

    def data_version(self) -> int:
        """Changes whenever another connection commits (cheap; poll it)."""
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def state(self) -> MeetingState:
        names = {row[0]: row[1] for row in self.db.execute("SELECT id, name FROM subjects")}
        cursor = self.db.execute("SELECT * FROM agenda ORDER BY position")
        columns = [column[0] for column in cursor.description]
        steps = tuple(_step_from_row(dict(zip(columns, row, strict=True)), names) for row in cursor)
        position, poll = self.db.execute("SELECT position, poll FROM state WHERE id = 1").fetchone()
        return MeetingState(position=position, steps=steps, poll=poll)

    def events(self, kind_prefix: str = "") -> list[Event]:
        rows = self.db.query(
            "SELECT * FROM events WHERE kind LIKE ? ORDER BY id", [kind_prefix + "%"]
        )
        return [
            Event(r["id"], r["at"], r["actor"], r["kind"], json.loads(r["payload"])) for r in rows
        ]

    # -- writing ------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing. Inside another transaction (the ballot service stores a
        batch of ballots in one), a savepoint: this part alone is undone if it fails."""
        if not self.db.conn.in_transaction:
            with _immediate(self.db):
                yield
            return
        outer = self.pending_counts
        if outer is None:
            with _savepoint(self.db):
                yield
            return
        self.pending_counts = inner = outer.empty()  # counts that leave with this part if it fails
        try:
            with _savepoint(self.db):
                yield
            outer.merge(inner)
        finally:
            self.pending_counts = outer

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for many changes (`transaction()` inside it is a savepoint).
        The tally's counts they change are written once, at the end: a hundred ballots
        stored together update each count once, not a hundred times."""
        from core.tally_counts import store_delta

        with self.transaction():
            self.pending_counts = store_delta(self)
            try:
                yield
                self.pending_counts.apply(self.db.conn)
            finally:
                self.pending_counts = None

    def record(self, kind: str, payload: dict[str, Any]) -> None:
        """Append an audit event; call inside `transaction()` with the change it records."""
        self.db.execute(
            "INSERT INTO events (at, actor, kind, payload) VALUES (?, ?, ?, ?)",
            [self.clock(), self.actor, kind, json.dumps(payload, ensure_ascii=False)],
        )

    def _save_timer(self, position: int, timer: Timer) -> None:
        self.db.execute(
            "UPDATE agenda SET started_at = ?, paused_at = ?, paused_total = ?, added = ? "
            "WHERE position = ?",
            [timer.started_at, timer.paused_at, timer.paused_total, timer.added, position],
        )

    def _change_timer(
        self, kind: str | None, change: Callable[[Timer, float], Timer]
    ) -> MeetingState:
        """Apply `change` to the current step's timer; `kind` None: started or paused."""
        with self.transaction():
            state = self.state()
            step = state.step
            if step.timer is None:
                return state
            now = self.clock()
            new = change(step.timer, now)
            kind = kind or ("timer.started" if new.running else "timer.paused")
            self._save_timer(step.position, new)
            self.record(
                kind,
                {
                    **_step_payload(step),
                    "remaining_s": round(new.remaining(now), 3),
                    "timer": asdict(new),
                },
            )
        return self.state()

    def toggle_timer(self) -> MeetingState:
        return self._change_timer(None, timers.toggle)

    def adjust_timer(self, seconds: float) -> MeetingState:
        return self._change_timer("timer.adjusted", lambda tm, _now: timers.adjust(tm, seconds))

    def reset_timer(self) -> MeetingState:
        """Back to the phase's duration; the event keeps the time used before (minutes)."""
        with self.transaction():
            state = self.state()
            step = state.step
            if step.timer is None:
                return state
            now = self.clock()
            self._save_timer(step.position, timers.reset(step.timer))
            self.record(
                "timer.reset",
                {
                    **_step_payload(step),
                    "used_s": round(step.timer.elapsed(now), 3),
                    "before": asdict(step.timer),
                    "remaining_s": step.timer.duration,
                },
            )
        return self.state()

    def move(self, delta: int) -> MeetingState:
        """Go to the next (+1) or previous (-1) agenda step.

        The step we leave is paused (its used time is kept for the minutes);
        the step we enter keeps what it had, and starts itself only when the
        meeting file says `auto_start` and it has never run.
        """
        with self.transaction():
            state = self.state()
            target = state.position + delta
            if not 0 <= target < len(state.steps):
                return state
            now = self.clock()
            old = state.step
            if old.timer is not None and old.timer.running:
                self._save_timer(old.position, timers.pause(old.timer, now))
            new = state.steps[target]
            if (
                new.timer is not None
                and new.timing
                and new.timing.auto_start
                and not new.timer.started
            ):
                self._save_timer(new.position, timers.start(new.timer, now))
            self.db.execute("UPDATE state SET position = ? WHERE id = 1", [target])
            self.record("agenda.moved", {"from": old.position, "to": target, **_step_payload(new)})
        return self.state()

    def set_poll(self, poll: str, reason: str = "", *, forget_now: bool = True) -> MeetingState:
        """Open or close scoring. Reopening a closed poll needs a reason (an event).

        Closing rewrites the file (`forget_history`), which takes seconds on a very
        large database: a console passes `forget_now=False` and calls it off its
        screen thread, on a connection of its own."""
        with self.transaction():
            before = self.db.execute("SELECT poll FROM state WHERE id = 1").fetchone()[0]
            if before == poll:
                return self.state()
            if before == "closed" and poll == "open" and not reason.strip():
                raise StoreError(t("poll.reopen_needs_reason"))
            self.db.execute(
                "UPDATE state SET poll = ?, poll_changed_at = ? WHERE id = 1", [poll, self.clock()]
            )
            self.record(f"poll.{poll}", {"from": before, "reason": reason})
            if poll == "closed":  # the only link from a slip to a ballot ends with scoring
                self.db.execute("DELETE FROM revision_links")
                self._stop_scoring_timers()
        if poll == "closed" and forget_now:
            self.forget_history()
        return self.state()

    def forget_history(self) -> None:
        """Rewrite the file in key order and empty the write-ahead log, so neither the
        byte order of rows in a page nor the log's frames tell the order in which
        ballots (and the tokens they used) were written. Best effort: a reader
        holding the file open only delays it until the next close."""
        with contextlib.suppress(sqlite3.DatabaseError):
            self.db.execute("VACUUM")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _stop_scoring_timers(self) -> None:
        """Scoring closed: its clock stops too (inside the closing transaction)."""
        now = self.clock()
        for step in self.state().steps:
            if step.phase == "scoring" and step.timer is not None and step.timer.running:
                stopped = timers.pause(step.timer, now)
                self._save_timer(step.position, stopped)
                self.record(
                    "timer.paused",
                    {
                        **_step_payload(step),
                        "remaining_s": round(stopped.remaining(now), 3),
                        "timer": asdict(stopped),
                    },
                )

    # -- the projector (the host's clicker can blank it) -------------------------

    def projector_blank(self) -> bool:
        return self.meta("projector_blank") == "1"

    def set_projector_blank(self, blank: bool) -> None:
        with self.transaction():
            self.db["meta"].upsert(
                {"key": "projector_blank", "value": "1" if blank else "0"}, pk="key"
            )
            self.record("projector.blank" if blank else "projector.shown", {})

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.db["meta"].upsert({"key": key, "value": value}, pk="key")

    def ids(self, table: str) -> dict[str, int]:
        """Name → id for subjects or criteria (written once at init, so read once)."""
        if table not in self._ids:
            rows = self.db.execute(f"SELECT id, name FROM {table}")
            self._ids[table] = {name: row_id for row_id, name in rows}
        return self._ids[table]

    def names(self, table: str) -> dict[int, str]:
        """Id → name for subjects or criteria."""
        return {row_id: name for name, row_id in self.ids(table).items()}


def _write_definition(db: sqlite_utils.Database, meeting: Meeting, source: str, name: str) -> None:
    db["meta"].upsert({"key": "app", "value": APP_ID}, pk="key")
    db["meta"].upsert({"key": "created_at", "value": repr(time.time())}, pk="key")
    db["meta"].upsert({"key": "meeting_uid", "value": uuid.uuid4().hex}, pk="key")
    db["meeting"].insert(
        {
            "id": 1,
            "title": meeting.title,
            "date": meeting.date.isoformat(),
            "venue": meeting.venue,
            "source_name": name,
            "source": source,
        }
    )
    subject_ids: dict[str, int] = {}
    for index, subject in enumerate((*meeting.onsite, *meeting.written), 1):
        subject_ids[subject.name] = index
        db["subjects"].insert(
            {
                "id": index,
                "name": subject.name,
                "unit": subject.unit,
                "person": subject.person,
                "mode": subject.mode,
                "position": index,
                "daily": None if subject.daily is None else str(subject.daily),
            }
        )
    db["categories"].insert_all(
        {"id": i, "name": c.name, "weight": str(c.weight), "expected": c.expected, "position": i}
        for i, c in enumerate(meeting.categories, 1)
    )
    db["criteria"].insert_all(
        {"id": i, "name": name, "position": i} for i, name in enumerate(meeting.criteria, 1)
    )
    grades = [(g.label, str(g.points), 0) for g in meeting.grades]
    if meeting.abstain:
        grades.append((meeting.abstain, None, 1))
    db["grades"].insert_all(
        {"id": i, "label": label, "points": points, "position": i, "abstain": abstain}
        for i, (label, points, abstain) in enumerate(grades, 1)
    )
    db["agenda"].insert_all(
        {
            "position": position,
            "subject_id": subject_ids.get(step.subject) if step.subject else None,
            "phase": step.phase,
            "duration": step.timing.duration if step.timing else None,
            "warning": step.timing.warning if step.timing else None,
            "danger": step.timing.danger if step.timing else None,
            "auto_start": int(step.timing.auto_start) if step.timing else 0,
            "paused_total": 0.0,
            "added": 0.0,
        }
        for position, step in enumerate(build_agenda(meeting))
    )
    db["state"].insert({"id": 1, "position": 0, "poll": "not_open"})


def _step_from_row(row: dict[str, Any], names: dict[int, str]) -> AgendaStep:
    timing = None
    timer = None
    if row["duration"] is not None:
        timing = PhaseTiming(
            row["duration"], row["warning"], row["danger"], bool(row["auto_start"])
        )
        timer = Timer(
            duration=row["duration"],
            started_at=row["started_at"],
            paused_at=row["paused_at"],
            paused_total=row["paused_total"],
            added=row["added"],
        )
    return AgendaStep(
        position=row["position"],
        subject=names.get(row["subject_id"]) if row["subject_id"] else None,
        phase=row["phase"],
        timing=timing,
        timer=timer,
    )


def _step_payload(step: AgendaStep) -> dict[str, Any]:
    return {"position": step.position, "subject": step.subject, "phase": step.phase}
