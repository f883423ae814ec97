"""Bad input in files (#14 §7): meeting files, ballot workbooks and daily scores,
mangled at random. Every one gets a clear message and exit code 1 or 2 (or is
accepted), never the generic crash (70), never a hang, and a refused import
stores nothing."""

from __future__ import annotations

import csv
import io
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.ballots.items import form_items
from core.meeting.file import parse_meeting
from tests.conftest import DEMO_TEXT
from tests.fault.conftest import scale
from tests.fault.helpers import CRASH, run_command

pytestmark = pytest.mark.fault

DEMO = parse_meeting(DEMO_TEXT, "demo.toml")
LINES = DEMO_TEXT.splitlines()
SETTINGS = settings(
    max_examples=scale(40, 600),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Values people (and broken tools) put where a value belongs.
NASTY_VALUES = st.one_of(
    st.sampled_from(
        [
            "1e999999999",
            '"1e999999999"',
            "9" * 5000,
            '"' + "9" * 5000 + '"',
            "-1",
            "0",
            "nan",
            "inf",
            '"1/0"',
            '"0/0"',
            '"99999999999999999999999/3"',
            "[]",
            "{}",
            '""',
            '"\\u0000"',
            '"\x07\x1b[31m"',
            "true",
            "2024-13-45",
            '"' + "好" * 3000 + '"',
            "[[",
            '"未闭合',
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=30).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
    st.text(max_size=20),
)


@st.composite
def mangled_meeting_files(draw) -> bytes:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "value", "value", "delete", "copy", "insert"]))
        line = lines[index]
        if action == "value" and "=" in line:
            key = line.split("=", 1)[0]
            lines[index] = f"{key}= {draw(NASTY_VALUES)}"
        elif action == "delete":
            del lines[index]
        elif action == "copy":
            lines.insert(index, line)
        else:
            lines.insert(index, draw(st.text(max_size=40)))
    text = "\n".join(lines)
    if draw(st.booleans()) and draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]  # cut off, as a failed copy
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gbk", "utf-16"]))
    return text.encode(encoding, errors="replace")


@SETTINGS
@given(mangled_meeting_files())
def test_a_mangled_meeting_file_is_a_clear_message(content):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "会议.toml"
        path.write_bytes(content)
        code = run_command("check", path)
        assert code in (0, 1), code
        db = Path(tmp) / "m.db"
        created = run_command("init", path, "--db", db)
        assert created in (0, 1) and (created == 0) == (code == 0)
        if created == 0:  # a file that passed the check makes a working meeting
            assert run_command("status", "--db", db, "--json") == 0


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_as_a_meeting_file(content):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.toml"
        path.write_bytes(content)
        assert run_command("check", path) in (0, 1)


# -- ballot and daily-score files ---------------------------------------------

ITEMS = form_items(DEMO)
HEADER = ["类别"] + [f"{s}/{c}" for s, c in ITEMS]
CELLS = st.one_of(
    st.sampled_from(["好", "较好", "一般", "差", "不了解", "", " 好 ", "优", "1e999999999"]),
    st.text(max_size=8),
)
CATEGORIES = st.one_of(st.sampled_from([c.name for c in DEMO.categories]), st.text(max_size=6))


@st.composite
def ballot_tables(draw) -> list[list[str]]:
    header = list(HEADER)
    if draw(st.booleans()):
        for _ in range(draw(st.integers(1, 3))):
            index = draw(st.integers(0, len(header) - 1))
            header[index] = draw(
                st.sampled_from(["", "类别", header[-1], draw(st.text(max_size=8))])
            )
    rows = [header]
    for _ in range(draw(st.integers(0, 4))):
        row = [draw(CATEGORIES)] + ["较好"] * len(ITEMS)
        for _ in range(draw(st.integers(0, 5))):
            row[draw(st.integers(1, len(ITEMS)))] = draw(CELLS)
        rows.append(row[: draw(st.integers(0, len(row)))] if draw(st.booleans()) else row)
    return rows


def ballot_count(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        return (
            conn.execute("SELECT count(*) FROM ballots").fetchone()[0],
            conn.execute("SELECT count(*) FROM scores").fetchone()[0],
        )


def write_table(path: Path, rows: list[list[str]], encoding: str) -> None:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = Workbook()
        for row in rows:  # a real workbook cannot hold control characters
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
        book.save(path)
    else:
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        path.write_bytes(text.getvalue().encode(encoding, errors="replace"))


@SETTINGS
@given(
    ballot_tables(), st.sampled_from([".csv", ".csv", ".xlsx"]), st.sampled_from(["utf-8", "gbk"])
)
def test_a_bad_ballot_file_imports_nothing_and_says_why(demo_db, rows, suffix, encoding):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"票{suffix}"
        write_table(path, rows, encoding)
        before = ballot_count(demo_db)
        code = run_command("ballots", "import", "--db", demo_db, path)
        assert code in (0, 1), code
        if code == 1:
            assert ballot_count(demo_db) == before  # nothing half-imported


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from([".csv", ".xlsx", ".xls", ""]))
def test_random_bytes_as_a_ballot_or_daily_file(demo_db, content, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"file{suffix}"
        path.write_bytes(content)
        before = ballot_count(demo_db)
        assert run_command("ballots", "import", "--db", demo_db, path) in (0, 1)
        assert run_command("daily", "import", "--db", demo_db, path) in (0, 1)
        if ballot_count(demo_db) != before:
            assert suffix == ".csv"  # random bytes can happen to be a valid CSV


NUMBERS = st.one_of(
    st.sampled_from(["91", "100", "100.5", "-1", "1e999999999", "9" * 4000, "1/0", "", "九十"]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=8),
)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from([s.name for s in DEMO.subjects]), st.text(max_size=6)),
            NUMBERS,
        ),
        max_size=6,
    ),
    st.sampled_from([".csv", ".xlsx"]),
)
def test_bad_daily_scores_are_a_clear_message(demo_db, rows, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"日常考核{suffix}"
        write_table(path, [["对象", "得分"], *map(list, rows)], "utf-8")
        assert run_command("daily", "import", "--db", demo_db, path) in (0, 1)


def test_the_crash_code_is_what_these_tests_would_catch(demo_db, monkeypatch):
    """The harness itself: an unexpected exception inside a command is exit 70."""
    import core.ballots.importing

    def explode(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(core.ballots.importing, "parse_ballot_file", explode)
    monkeypatch.setattr("tui.paths.data_dir", lambda: demo_db.parent)
    path = demo_db.parent / "x.csv"
    path.write_text("类别\n", encoding="utf-8")
    assert run_command("ballots", "import", "--db", demo_db, path) == CRASH


def test_a_broken_workbook_is_a_clear_message(demo_db):
    path = demo_db.parent / "票.xlsx"
    path.write_bytes(b"not a workbook")
    assert run_command("ballots", "import", "--db", demo_db, path) == 1


def test_a_daily_score_with_a_huge_exponent_is_a_clear_message(demo_db):
    path = demo_db.parent / "日常考核.csv"
    path.write_text("对象,得分\n法工委,1e999999999\n", encoding="utf-8")
    assert run_command("daily", "import", "--db", demo_db, path, seconds=5) == 1


def test_a_meeting_file_with_a_five_thousand_digit_number_is_a_clear_message(tmp_path):
    path = tmp_path / "会议.toml"
    path.write_text(DEMO_TEXT.replace('venue = "机关第一会议室"', "venue = " + "9" * 5000), "utf-8")
    assert run_command("check", path) == 1
