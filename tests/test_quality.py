"""Repository guard rails: lint clean, and the package ships its data."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    return subprocess.run([ruff, *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_is_clean():
    result = _ruff("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = _ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_wheel_ships_the_demo_meeting(tmp_path):
    # Built from a clean copy: a stale build/ or *.egg-info in the checkout would lend
    # the wheel files that pyproject.toml does not declare.
    source = tmp_path / "source"
    leftovers = ("build", "*.egg-info", ".*", "__pycache__", "sanshu-env", "*.db*")
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*leftovers))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("sanshu-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "sanshu_data/demo-meeting.toml" in names
    assert any(n.startswith("core/") for n in names) and any(n.startswith("tui/") for n in names)
    # Every module and stylesheet of the program, or a console fails only once installed.
    sources = {str(p.relative_to(ROOT)) for top in ("core", "tui") for p in (ROOT / top).rglob("*")}
    shipped = {n for n in sources if n.endswith((".py", ".tcss")) and "__pycache__" not in n}
    assert shipped - set(names) == set()


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = [line for line in readme.splitlines() if line.startswith("python3 -m venv")]
    assert len(commands) == 2, "the README starts with exactly two set-up commands"
    demo, tests = commands
    assert demo.endswith("sanshu demo") and "pip install -q -c requirements.lock ." in demo
    assert "-c requirements.lock" in tests  # both install the locked versions
    assert tests in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
