"""The README against the product: every command it names exists, and its two set-up
commands never touch each other's environment (a test install under a running
`sanshu serve` once replaced the meeting's code and a voter got a 500)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tui.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")
WORD = re.compile(r"[a-z][a-z_-]*")


def named_commands(text: str) -> set[tuple[str, ...]]:
    """Each `sanshu …` in backticks, as the command path it names: the words after
    `sanshu` that a group takes as its subcommands (`poll open|close|status` names
    three). A word a group does not know is kept, so the test below fails on it."""
    found: set[tuple[str, ...]] = set()
    for code in re.findall(r"`(sanshu [^`]+)`", text):
        words = shlex.split(code.replace("\\|", "|"), posix=False)[1:]
        paths: list[tuple[str, ...]] = [()]
        group: click.Command = cli
        for word in words:
            choices = word.split("|")
            if not isinstance(group, click.Group) or not all(WORD.fullmatch(c) for c in choices):
                break
            if not paths[0] and not all(c in group.commands for c in choices):
                paths = [(c,) for c in choices]  # unknown: fails below
                break
            if not all(c in group.commands for c in choices):
                break  # an argument of the group (a file name in lower case)
            paths = [(*path, choice) for path in paths for choice in choices]
            group = group.commands[choices[0]]
        found.update(path for path in paths if path)
    return found


def test_the_readme_names_commands():
    """A guard on the guard: the parsing finds the README's commands."""
    named = named_commands(README)
    assert {("new",), ("edit",), ("tokens", "revoke"), ("ledger", "export")} <= named
    assert len(named) >= 30


@pytest.mark.parametrize("path", sorted(named_commands(README)), ids=" ".join)
def test_every_command_the_readme_names_exists_with_help(path):
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="sanshu")
    assert result.exit_code == 0, f"sanshu {' '.join(path)} --help: {result.output}"
    assert "Usage: sanshu " + " ".join(path) in result.output


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
