"""Quick commands load only what they use: `sanshu --help`, `status` and `poll status`
answer at once because they never import the console toolkit or the office and web
libraries (bench/bench_commands.py measures how long they take)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("textual", "openpyxl", "docx", "jinja2", "qrcode", "aiohttp", "PIL", "hypothesis")

PROBE = f"""
import sys
from tui.cli import run
code = run(sys.argv[1:])
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
sys.exit(code)
"""


def run_probe(*args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    line = next(x for x in result.stderr.splitlines() if x.startswith("HEAVY="))
    return result, [m for m in line.removeprefix("HEAVY=").split(",") if m]


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("status", "--json"),
        ("poll", "status"),
        ("status",),
    ],
)
def test_quick_commands_import_no_heavy_library(demo_db, args):
    command = list(args) if args == ("--help",) else [*args, "--db", str(demo_db)]
    result, heavy = run_probe(*command)
    assert result.returncode == 0, result.stderr
    assert heavy == []
    if args == ("status", "--json"):
        assert json.loads(result.stdout)["phase"]  # and it still answers


def test_a_heavy_command_still_finds_its_libraries(demo_db, tmp_path):
    """The lazy imports are really there: a command that needs openpyxl gets it."""
    out = tmp_path / "t.xlsx"
    result, heavy = run_probe("ballots", "template", "--db", str(demo_db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "openpyxl" in heavy and out.exists()
