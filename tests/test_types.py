"""The domain type-checks: `mypy core`, strict, as configured in pyproject.toml
([tool.mypy]). A type error anywhere in core/ fails the suite with mypy's report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_type_checks_strictly():
    # The interpreter running the tests is the venv's: its mypy, its stubs, its packages.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "core"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"mypy core failed:\n{result.stdout}{result.stderr}"
    assert "Success: no issues found" in result.stdout, result.stdout
