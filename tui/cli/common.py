"""What every command shares: the two consoles, the --db options, error lines.

Kept light on purpose: `sanshu --help` and `sanshu status` import this, so
heavy libraries (Textual, openpyxl, jinja2, qrcode) are imported inside the
commands that use them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


class _LazyConsole:
    """A rich Console made on first use: importing rich costs a quick command like
    `sanshu status --json` (which prints plain JSON) a noticeable part of its start."""

    def __init__(self, **options: Any):
        self._options = options
        self._console: Any = None

    def _real(self) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)

    # Special methods bypass __getattr__; rich's Live (progress bars) uses these.
    def __enter__(self) -> Any:
        return self._real().__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._real().__exit__(*exc)


screen: Any = _LazyConsole()
err: Any = _LazyConsole(stderr=True)

DB_OPTION = click.option(
    "--db",
    "db_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="会议数据库文件 · the meeting database file",
)

# On a command group with subcommands, --db is checked by the group's own command.
GROUP_DB_OPTION = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="会议数据库文件 · the meeting database file",
)

LANG_OPTION_KW = dict(
    type=click.Choice(["zh", "en"]),
    envvar="SANSHU_LANG",
    default="zh",
    show_default=True,
    help="界面语言 · interface language",
)


def error_line(line: str) -> None:
    err.print(line, style="red", highlight=False, markup=False, soft_wrap=True)


def done_line(line: str) -> None:
    """A green confirmation on stderr, so stdout stays clean for pipes."""
    err.print(line, style="green", highlight=False)


def say(line: str, style: str | None = None) -> None:
    screen.print(line, style=style, highlight=False)
