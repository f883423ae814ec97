"""The meeting database: created once, every change with its event, resumable."""

from __future__ import annotations

import sqlite3

import pytest

from core.meeting.store import MeetingStore
from core.store import StoreError
from core.store.migrations import SCHEMA_VERSION
from tests.conftest import DEMO_TEXT


def test_init_writes_the_definition(demo_db):
    conn = sqlite3.connect(demo_db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT count(*) FROM subjects").fetchone()[0] == 21
    assert conn.execute("SELECT count(*) FROM subjects WHERE mode = 'onsite'").fetchone()[0] == 4
    assert conn.execute("SELECT count(*) FROM categories").fetchone()[0] == 6
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(
        SCHEMA_VERSION
    )
    phases = [r[0] for r in conn.execute("SELECT phase FROM agenda ORDER BY position")]
    assert phases == ["report", "commentary", "questions"] * 4 + ["scoring", "results"]


def test_refuses_to_overwrite_unless_forced(demo_db, store):
    store.toggle_timer()
    with pytest.raises(StoreError, match="--force"):
        MeetingStore.create(demo_db, DEMO_TEXT, "demo-meeting.toml")
    assert MeetingStore(demo_db).state().step.timer.started  # untouched
    fresh = MeetingStore.create(demo_db, DEMO_TEXT, "demo-meeting.toml", force=True)
    assert not fresh.state().step.timer.started


def test_each_change_is_an_event_in_the_same_transaction(store, clock):
    store.toggle_timer()
    clock.advance(10)
    store.adjust_timer(30)
    store.move(1)
    kinds = [e.kind for e in store.events()]
    assert kinds == ["meeting.created", "timer.started", "timer.adjusted", "agenda.moved"]
    assert store.events("agenda")[0].payload == {
        "from": 0,
        "to": 1,
        "position": 1,
        "subject": "法工委",
        "phase": "commentary",
    }


def test_events_are_append_only(store):
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM events")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE events SET kind = 'x'")


def test_a_new_process_resumes_the_running_timer(demo_db, store, clock):
    store.toggle_timer()
    clock.advance(95)
    # Another process (a restarted console) sees the same timer, still running.
    other = MeetingStore(demo_db, clock=clock)
    step = other.state().step
    assert step.timer.running
    assert step.timer.remaining(clock()) == 480 - 95


def test_moving_on_pauses_the_old_step_and_keeps_its_used_time(store, clock):
    store.toggle_timer()
    clock.advance(200)
    state = store.move(1)
    assert state.step.phase == "commentary" and state.step.timer.running  # auto_start
    clock.advance(50)
    back = store.move(-1)
    assert not back.step.timer.running
    assert back.step.timer.remaining(clock()) == 280


def test_cannot_move_past_either_end(store):
    assert store.move(-1).position == 0
    for _ in range(30):
        store.move(1)
    state = store.state()
    assert state.step.phase == "results" and state.next_step is None


def test_newer_schema_is_refused(demo_db):
    conn = sqlite3.connect(demo_db)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    with pytest.raises(StoreError, match="99"):
        MeetingStore(demo_db)


def test_missing_and_foreign_files_are_clear_errors(tmp_path):
    with pytest.raises(StoreError, match="sanshu init"):
        MeetingStore(tmp_path / "nope.db")
    junk = tmp_path / "notes.db"
    junk.write_text("these are not the droids")
    with pytest.raises(StoreError, match="不是 sanshu 会议数据库"):
        MeetingStore(junk)


def test_another_apps_sqlite_file_is_left_alone(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="不是 sanshu 会议数据库"):
        MeetingStore(other)
    tables = [r[0] for r in sqlite3.connect(other).execute("SELECT name FROM sqlite_master")]
    assert tables == ["notes"]


def test_a_version_1_database_is_migrated_in_place(tmp_path, clock):
    import sqlite_utils

    from core.meeting.definition import write_definition
    from core.meeting.file import parse_meeting
    from core.store import schema

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    schema.MIGRATIONS[1](db)
    db["meta"].insert({"key": "schema_version", "value": "1"})
    write_definition(db, parse_meeting(DEMO_TEXT), DEMO_TEXT, "old.toml")
    db.conn.commit()
    db.conn.close()
    migrated = MeetingStore(path, clock=clock)
    assert migrated.meta("schema_version") == str(SCHEMA_VERSION)
    assert {"tokens", "ballots", "scores"} <= set(migrated.db.table_names())
    assert migrated.state().step.subject == "法工委"  # the meeting itself is untouched


def test_a_phase_marked_auto_start_starts_when_entered(tmp_path, clock):
    text = DEMO_TEXT.replace(
        "[phases.questions]\nauto_start = true", "[phases.questions]\nauto_start = false"
    )
    assert text != DEMO_TEXT
    store = MeetingStore.create(tmp_path / "a.db", text, "a.toml", clock=clock)
    state = store.move(1)
    assert state.step.phase == "commentary" and state.step.timer.running
    assert not store.move(1).step.timer.running  # questions wait for Space


def test_auto_start_is_the_default_so_a_clicker_alone_runs_the_agenda(tmp_path, clock):
    text = DEMO_TEXT.replace("auto_start = true\n", "")
    assert "auto_start" not in text.split("[scoring]")[0].split("[phases.report]")[1]
    store = MeetingStore.create(tmp_path / "a.db", text, "a.toml", clock=clock)
    assert store.move(1).step.timer.running
