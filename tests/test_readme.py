"""The README against the product: every command it names exists, and its two set-up
commands never touch each other's environment (a test install under a running
`sanshu serve` once replaced the meeting's code and a voter got a 500)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tui.cli import cli, run

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")
WORD = re.compile(r"[a-z][a-z_-]*")


def named_commands(text: str) -> dict[tuple[str, ...], set[str]]:
    """Each `sanshu …` in backticks, as the command path it names (the words after
    `sanshu` that a group takes as its subcommands; `ballots import|template` names
    two) with the options written after it. A first word that is no command is kept,
    so the test below fails on it."""
    found: dict[tuple[str, ...], set[str]] = {}
    for code in re.findall(r"`(sanshu [^`]+)`", text):
        words = code.replace("\\|", " | ").replace("[", " ").replace("]", " ").split()[1:]
        paths: list[tuple[str, ...]] = [()]
        group: click.Command = cli
        rest = words
        for position, word in enumerate(words):
            choices = word.split("|")
            rest = words[position:]
            if not isinstance(group, click.Group) or not all(WORD.fullmatch(c) for c in choices):
                break
            if not paths[0] and not all(c in group.commands for c in choices):
                paths = [(c,) for c in choices]  # unknown: fails below
                rest = []
                break
            if not all(c in group.commands for c in choices):
                break  # an argument of the group (a file name in lower case)
            paths = [(*path, choice) for path in paths for choice in choices]
            group = group.commands[choices[0]]
            rest = []
        options = {w.split("=")[0] for w in rest if re.fullmatch(r"--[a-z][a-z-]*(=.*)?", w)}
        for path in paths:
            if path:
                found.setdefault(path, set()).update(options)
    return found


def test_the_readme_names_commands():
    """A guard on the guard: the parsing finds the README's commands and options."""
    named = named_commands(README)
    assert {("new",), ("edit",), ("tokens", "revoke"), ("ledger", "export")} <= named.keys()
    assert {"--fresh", "--with-ballots"} <= named[("demo",)]
    assert len(named) >= 30


@pytest.mark.parametrize("path", sorted(named_commands(README)), ids=" ".join)
def test_every_command_the_readme_names_exists_with_help(path):
    """Every command the README names answers --help, with every option it writes."""
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="sanshu")
    assert result.exit_code == 0, f"sanshu {' '.join(path)} --help: {result.output}"
    assert "Usage: sanshu " + " ".join(path) in result.output
    listed = set(re.findall(r"--[a-z][a-z-]*", result.output))
    assert named_commands(README)[path] <= listed, f"sanshu {' '.join(path)}: options"


def set_up_commands() -> tuple[str, str]:
    commands = [line for line in README.splitlines() if line.startswith("python3 -m venv")]
    demo, tests = commands
    return demo, tests


def test_the_meeting_and_the_tests_install_into_separate_environments():
    """Installing for the tests never replaces the code a running meeting imports:
    the meeting's environment is a plain install the test command never names."""
    demo, tests = set_up_commands()
    meeting_env = demo.split()[3]
    test_env = tests.split()[3]
    assert meeting_env != test_env
    assert meeting_env not in tests
    assert " -e " not in demo  # the meeting runs from its own copy, not from the checkout
    assert f"{meeting_env}/bin/sanshu demo" in demo
    assert f"{meeting_env}/" in (ROOT / ".gitignore").read_text("utf-8").splitlines()


def test_the_demo_says_which_database_it_opens_before_the_podium_starts(
    tmp_path, monkeypatch, capsys
):
    """The README: the demo's database path is printed (whole, on one line, to copy)
    before the podium opens; the help panel shows it while the podium runs
    (tests/test_keys.py)."""
    import tui.cli.meeting

    opened = []
    monkeypatch.setattr(tui.cli.meeting, "run_host", opened.append)  # no terminal here
    db = tmp_path / "演示.db"
    assert run(["demo", "--db", str(db)]) == 0
    assert opened == [db] and db.exists()
    assert str(db) in capsys.readouterr().err
    assert run(["demo", "--db", str(db)]) == 0  # again: the same meeting, continued
    assert str(db) in capsys.readouterr().err and opened == [db, db]
