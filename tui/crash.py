"""Crash reports: one file per crash, the time in its name, old ones pruned.

A report says where the program failed: the kind of error and the stack, file, line
and function, with the source line. It holds no local variable and no error message
that could carry data (a message is kept only for kinds of error whose message names
code or the system, never what a voter chose, a name or a token), and of the command
line only the command's name (a slip's code may follow it).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import sys
import traceback
from pathlib import Path

from tui.paths import data_dir

KEEP = 20  # the newest reports kept; older ones are deleted when a new one is written
# Kinds of error whose message names code or the system, not data.
SAFE_MESSAGES = (
    AttributeError,
    ImportError,
    NameError,
    NotImplementedError,
    RecursionError,
    MemoryError,
    sqlite3.Error,
)


def crash_dir() -> Path:
    path = data_dir() / "crashes"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"[errno {exc.errno}] {exc.strerror or ''}"  # never the file's name
    if isinstance(exc, SAFE_MESSAGES):
        return str(exc)[:300]
    return "(message not kept: it may hold data)"


def describe(exc: BaseException) -> str:
    """The exception and its causes: kinds, frames and source lines, no locals."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)  # never captures locals
        lines = [f"{type(current).__module__}.{type(current).__qualname__}: {_message(current)}"]
        for frame in frames:
            lines.append(f'  File "{_short(frame.filename)}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
        parts.append("\n".join(lines))
        current = current.__cause__ or current.__context__
    return "\n\nwhile handling / caused by:\n".join(reversed(parts))


def _short(filename: str) -> str:
    """Paths inside the program or its libraries, not the user's folders."""
    for marker in ("site-packages/", "/core/", "/tui/"):
        if marker in filename:
            return filename[filename.index(marker) :].lstrip("/")
    return Path(filename).name


def write_report(exc: BaseException | None, where: str) -> Path:
    """A new report file for this crash; returns its path. `where`: the console or the
    command that crashed (a name, never its arguments)."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "?"

    now = dt.datetime.now()
    folder = crash_dir()
    path = folder / f"crash-{now:%Y%m%d-%H%M%S-%f}-{os.getpid()}.txt"
    body = describe(exc) if exc is not None else "(no details: the toolkit kept them)"
    path.write_text(
        f"sanshu {installed('sanshu')} · textual {installed('textual')} · "
        f"python {platform.python_version()} · {platform.system()} {platform.machine()}\n"
        f"{now.isoformat(timespec='seconds')} · {where}\n\n{body}\n",
        encoding="utf-8",
    )
    prune(folder)
    return path


def prune(folder: Path, keep: int = KEEP) -> None:
    reports = sorted(folder.glob("crash-*.txt"), key=lambda p: p.name, reverse=True)
    for old in reports[keep:]:
        old.unlink(missing_ok=True)


def command_name(argv: list[str]) -> str:
    """`sanshu tokens revoke 1234-5678` → `sanshu tokens`: never a value typed after."""
    first = argv[1] if len(argv) > 1 else ""
    return f"sanshu {first}" if first.isascii() and first.isalpha() else "sanshu"


def report_crash(exc: BaseException | None, where: str) -> Path:
    """Write the report and say so on the terminal, in the user's language."""
    from core.i18n import t

    path = write_report(exc, where)
    print(t("cli.crash", log=path), file=sys.stderr)
    return path
