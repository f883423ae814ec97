"""core/ is the meeting's truth and must never pull in a terminal toolkit."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import core


def test_core_modules_never_import_textual_or_rich():
    modules = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]
    assert "core.store" in modules and "core.meeting.file" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'tui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
