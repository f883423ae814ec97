"""The `sanshu` command as a user types it: clear messages, never a traceback."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from tests.conftest import DEMO_TEXT
from tui.cli import run


def test_help_lists_every_command_in_chinese_and_english(capsys):
    assert run(["--help"]) == 0
    text = capsys.readouterr().out
    for command, chinese in [
        ("check", "校验会议文件"),
        ("init", "创建会议数据库"),
        ("demo", "演示会议"),
    ]:
        line = next(line for line in text.splitlines() if line.strip().startswith(command))
        assert chinese in line and "·" in line


def test_check_accepts_the_demo(capsys):
    from sanshu_data import demo_meeting_path

    assert run(["check", str(demo_meeting_path())]) == 0
    assert "21 个述职对象（现场 4，书面 17）" in capsys.readouterr().out


def test_check_rejects_a_bad_file_one_line_per_problem(tmp_path, capsys):
    bad = tmp_path / "demo.toml"
    bad.write_text(
        DEMO_TEXT.replace('mode = "onsite"\norder = 3', 'mode = "live"\norder = 3').replace(
            "weight = 0.25", "weight = 0.3"
        ),
        encoding="utf-8",
    )
    assert run(["--lang", "en", "check", str(bad)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "demo.toml: categories: category weights must sum to 1, got 1.05",
        'demo.toml: subjects[3].mode: expected "onsite" / "written" / "现场" / "书面", got "live"',
    ]


def test_init_creates_and_refuses_to_overwrite(tmp_path, capsys):
    from sanshu_data import demo_meeting_path

    db = tmp_path / "x.db"
    assert run(["init", str(demo_meeting_path()), "--db", str(db)]) == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM subjects").fetchone()[0] == 21
    conn.close()
    capsys.readouterr()
    assert run(["init", str(demo_meeting_path()), "--db", str(db)]) == 1
    assert "--force" in capsys.readouterr().err
    assert run(["init", str(demo_meeting_path()), "--db", str(db), "--force"]) == 0


def test_installed_command_shows_no_traceback_on_bad_input(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text("[meeting\n", encoding="utf-8")
    for args in (
        ["check", str(bad)],
        ["check", str(tmp_path / "missing.toml")],
        ["init", str(bad), "--db", str(tmp_path / "x.db")],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr + result.stdout
        assert result.stderr.strip()


def test_demo_with_ballots_reaches_the_results(tmp_path, monkeypatch):
    from core.ballots.results import load_tally
    from core.meeting.store import MeetingStore
    from tui.cli import meeting as cli

    opened = []
    monkeypatch.setattr(cli, "run_host", opened.append)  # the console itself is tested elsewhere
    db = tmp_path / "demo.db"
    assert run(["demo", "--with-ballots", "--db", str(db)]) == 0
    assert opened == [db]
    store = MeetingStore(db)
    state = store.state()
    assert state.poll == "closed" and state.step.phase == "results"
    ballots = load_tally(store).ballots
    assert (ballots.returned, ballots.valid, ballots.invalid, ballots.paper) == (72, 70, 2, 6)
    # Run again without flags: the same meeting resumes, nothing is recreated.
    assert run(["demo", "--db", str(db)]) == 0
    assert load_tally(MeetingStore(db)).ballots.returned == 72


def test_a_console_that_crashes_shows_a_chinese_line_and_writes_a_report(
    demo_db, tmp_path, monkeypatch, capsys
):
    """One report per crash, the time in its name, no local variable and no message that
    may carry data: here a paper ballot's grades and a slip's token (#19 §2)."""
    from tui.base import SanshuApp
    from tui.crash import KEEP

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    token = "tok_" + "Zq9" * 8

    class Broken(SanshuApp):
        def on_mount(self) -> None:
            grades = {("法工委", "抓基层党建工作"): "不了解", "voter": token}  # a local
            raise KeyError(f"{grades} {token}")

    reports = tmp_path / "sanshu" / "crashes"
    for number in range(2):
        Broken(demo_db).run(headless=True)
        err = capsys.readouterr().err
        assert "程序出错了，会议数据未受影响" in err
        assert "Traceback" not in err and token not in err and "不了解" not in err
        assert len(list(reports.glob("crash-*.txt"))) == number + 1  # one file per crash
    report = sorted(reports.glob("crash-*.txt"))[-1]
    assert str(report) in err
    text = report.read_text("utf-8")
    assert "KeyError" in text and "on_mount" in text and "raise KeyError" in text
    assert token not in text and "不了解" not in text and "grades =" not in text

    for number in range(KEEP + 5):  # old reports are pruned
        (reports / f"crash-20200101-000000-{number:06d}-1.txt").write_text("old")
    Broken(demo_db).run(headless=True)
    assert len(list(reports.glob("crash-*.txt"))) == KEEP
    assert report.exists()  # the newest stay


def test_an_output_file_that_cannot_be_written_is_a_clear_error(demo_db, tmp_path, capsys):
    target = tmp_path / "no-such-folder" / "结果.csv"
    args = ["tally", "--db", str(demo_db), "--format", "csv", "--out", str(target)]
    assert run([*args, "--provisional"]) == 1  # scoring not closed: results provisional
    err = capsys.readouterr().err
    assert f"无法读写文件 {target}" in err and "Traceback" not in err
