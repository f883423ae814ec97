"""Every reading command against what is not a file to read, what is too large, and
databases that are not what they claim (#22 §3, §4). Each answers within seconds,
exit 1, one line naming the file and what is wrong, and stores nothing; never the
crash code 70, never a hang."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from core.ballots.importing import header
from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from tests.fault.helpers import read_only, run_command

pytestmark = pytest.mark.fault


def one_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err and len(err.splitlines()) == 1, err
    assert "Traceback" not in err and "程序出错了" not in err
    return err


def fingerprint(db: Path) -> tuple:
    """What a command could have changed: the file's bytes and its log's."""
    wal = Path(f"{db}-wal")
    return (
        hashlib.sha256(db.read_bytes()).hexdigest(),
        wal.exists() and wal.stat().st_size > 0 and hashlib.sha256(wal.read_bytes()).hexdigest(),
    )


def stored(db: Path) -> tuple[int, ...]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("events", "ballots", "daily_scores", "ledger", "tokens")
        )


# -- files that are not regular files, and files too large ---------------------


@pytest.fixture
def specials(tmp_path) -> dict[str, Path]:
    fifo = tmp_path / "法工委.csv"
    os.mkfifo(fifo)  # opened for reading, it would wait for a writer forever
    folder = tmp_path / "文件夹.xlsx"
    folder.mkdir()
    return {"fifo": fifo, "zero": Path("/dev/zero"), "urandom": Path("/dev/urandom")}


READERS = [
    ("check", lambda f, db, out: ["check", f]),
    ("init", lambda f, db, out: ["init", f, "--db", out / "new.db"]),
    ("roster", lambda f, db, out: ["roster", "template", "--out", out / "名单.xlsx", "--from", f]),
    ("ballots", lambda f, db, out: ["ballots", "import", "--db", db, f]),
    ("daily", lambda f, db, out: ["daily", "import", "--db", db, f]),
    ("ledger", lambda f, db, out: ["ledger", "import", "--db", db, f]),
    ("carry-over", lambda f, db, out: ["init", DEMO, "--carry-over", f, "--db", out / "n.db"]),
]
DEMO = Path(__file__).resolve().parents[2] / "data" / "demo-meeting.toml"


@pytest.mark.parametrize("kind", ["fifo", "zero", "urandom"])
@pytest.mark.parametrize("command", [name for name, _ in READERS])
def test_a_special_file_is_refused_at_once(demo_db, tmp_path, specials, capsys, kind, command):
    path = specials[kind]
    argv = dict(READERS)[command](path, demo_db, tmp_path)
    before = stored(demo_db)
    assert run_command(*argv, seconds=5) == 1
    line = one_line(capsys)
    assert path.name in line and "不是普通文件" in line
    assert stored(demo_db) == before
    assert not (tmp_path / "new.db").exists() and not (tmp_path / "n.db").exists()


def sparse(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of `size` bytes that takes no room on disk."""
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


@pytest.mark.parametrize(
    ("command", "name", "limit"),
    [
        ("check", "会议.toml", "1 MB"),
        ("init", "会议.toml", "1 MB"),
        ("roster", "会议.toml", "1 MB"),
        ("ledger", "台账.xlsx", "20 MB"),
    ],
)
def test_a_file_too_large_is_refused_before_it_is_read(
    demo_db, tmp_path, capsys, command, name, limit
):
    path = sparse(tmp_path / name, 3 * 1024**3, b"PK\x03\x04")  # 3 GB, as a disk image would be
    before = stored(demo_db)
    assert run_command(*dict(READERS)[command](path, demo_db, tmp_path), seconds=5) == 1
    line = one_line(capsys)
    assert name in line and limit in line
    assert stored(demo_db) == before


def zip_bomb(path: Path, member: str) -> Path:
    """A small zip whose one member inflates to 2 GB of zeros."""
    block = b"\0" * (16 * 1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w", force_zip64=True) as out,
    ):
        for _ in range(128):
            out.write(block)
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "测评票.xlsx", "xl/worksheets/sheet1.xml")


@pytest.mark.slow  # making the 2 GB bomb takes a few seconds
@pytest.mark.parametrize("command", ["ballots", "daily", "ledger"])
def test_a_zip_bomb_is_refused_before_it_is_inflated(demo_db, tmp_path, capsys, bomb, command):
    assert bomb.stat().st_size < 5 * 1024 * 1024
    before = stored(demo_db)
    assert run_command(*dict(READERS)[command](bomb, demo_db, tmp_path), seconds=5) == 1
    line = one_line(capsys)
    assert "测评票.xlsx" in line and "解压后超过" in line
    assert stored(demo_db) == before


def test_a_csv_line_without_end_is_refused_not_held(demo_db, tmp_path, capsys):
    path = tmp_path / "测评票.csv"
    path.write_text("类别," + "好" * (3 * 1024 * 1024), encoding="utf-8")  # one 9 MB line
    before = stored(demo_db)
    assert run_command("ballots", "import", "--db", demo_db, path, seconds=10) == 1
    line = one_line(capsys)
    assert "测评票.csv" in line and "超过 1048576 个字符" in line
    assert stored(demo_db) == before


def test_a_big_clean_csv_imports_without_a_size_cap(demo_db, tmp_path, capsys):
    """No size cap for CSV: it streams (the 20 MB cap of the first release refused a
    100,000-ballot file). 30 MB here, of padding the reader skips as blank rows."""
    with MeetingStore(demo_db) as store:
        heads = header(store)
    row = ["党员代表", *(["好", "较好", "一般"] * 30)[: len(heads) - 1]]
    path = tmp_path / "测评票.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(heads) + "\n" + ",".join(row) + "\n")
        out.write(("," * 1000 + "\n") * 30_000)
    assert path.stat().st_size > 20 * 1024 * 1024
    assert run_command("ballots", "import", "--db", demo_db, path, seconds=60) == 0
    assert stored(demo_db)[1] == 1


# -- databases that are not what they claim ---------------------------------------


def _with_version(db: Path, value: str) -> Path:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [value])
    return db


def _meta_only(db: Path) -> Path:
    db.unlink()
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '10')")
    return db


def _junk(db: Path) -> Path:
    db.write_bytes(os.urandom(8192))
    return db


BAD_DATABASES = {
    "version-four": (lambda db: _with_version(db, "four"), "“four”，不是版本号"),
    "newer": (lambda db: _with_version(db, "99"), "由更新版本的 Sanshu 写入"),
    "meta-only": (_meta_only, "不是完整的会议数据库"),
    "junk": (_junk, "不是 sanshu 会议数据库"),
}
DB_COMMANDS = {
    "status": lambda db, out: ["status", "--db", db],
    "poll-open": lambda db, out: ["poll", "open", "--db", db],
    "tokens": lambda db, out: ["tokens", "--db", db, "--out", out / "slips.html"],
    "serve": lambda db, out: ["serve", "--db", db, "--host", "127.0.0.1", "--port", "8799"],
    "tally": lambda db, out: ["tally", "--db", db, "--format", "json", "--provisional"],
}


@pytest.mark.parametrize("command", sorted(DB_COMMANDS))
@pytest.mark.parametrize("damage", sorted(BAD_DATABASES))
def test_a_bad_database_is_one_line_and_left_as_it_was(demo_db, tmp_path, capsys, damage, command):
    spoil, words = BAD_DATABASES[damage]
    db = spoil(demo_db)
    before = fingerprint(db)
    assert run_command(*DB_COMMANDS[command](db, tmp_path), seconds=10) == 1
    line = one_line(capsys)
    assert db.name in line and words in line
    assert fingerprint(db) == before
    assert not (tmp_path / "slips.html").exists()


@pytest.mark.parametrize("command", ["poll-open", "tokens", "serve"])
def test_a_read_only_database_is_one_line_before_anything_starts(
    demo_db, tmp_path, capsys, command
):
    with MeetingStore(demo_db) as store:
        store.forget_history()  # everything in the main file: nothing left in the log
    before = stored(demo_db)
    with read_only(demo_db):
        assert run_command(*DB_COMMANDS[command](demo_db, tmp_path), seconds=10) == 1
        line = one_line(capsys)
        assert "demo.db" in line and "只读" in line
        assert run_command("status", "--db", demo_db) == 0  # reading still works
    capsys.readouterr()
    assert stored(demo_db) == before
    assert not (tmp_path / "slips.html").exists()


def test_a_fifo_as_the_database_is_refused_at_once(tmp_path, capsys):
    fifo = tmp_path / "会议.db"
    os.mkfifo(fifo)
    assert run_command("status", "--db", fifo, seconds=5) == 1
    assert "不是普通文件" in one_line(capsys)


# -- output onto a full disk -------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["tally", "--format", "xlsx", "--provisional", "--out", "/dev/full"],
        ["tally", "--format", "csv", "--provisional", "--out", "/dev/full"],
        ["ballots", "template", "--out", "/dev/full"],
        ["ledger", "export", "--out", "/dev/full"],
        ["receipts", "--out", "/dev/full"],
    ],
)
def test_output_onto_a_full_disk_is_one_line(demo_db, capsys, argv):
    with MeetingStore(demo_db) as store:
        store.set_poll("open")
        issue_tokens(store, "党组成员", 1)
    before = stored(demo_db)
    assert run_command(*argv, "--db", demo_db, seconds=20) == 1
    line = one_line(capsys)  # and no second report from the garbage collector
    assert "/dev/full" in line and "No space left on device" in line
    assert stored(demo_db) == before
