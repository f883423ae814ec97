"""The `sanshu` command: one module per command group, registered on `root.cli`.

`run()` turns every user error into one clear line (never a traceback) and
returns the exit code: 0 done, 1 a problem the user can fix, 2 a usage error,
70 a bug (a crash report written, `tui/crash.py`), 130 interrupted.
"""

from __future__ import annotations

import sqlite3
import sys

import click

from core.errors import ImportProblems, StoreError
from core.i18n import set_language, t
from tui.cli import (  # noqa: F401  (they register commands)
    attendance,
    bulletin,
    feedback,
    imports,
    keys,
    ledger,
    meeting,
    network,
    newmeeting,
    paper,
    reports,
    results,
    roster,
    templates,
    voting,
)
from tui.cli.common import LANG_OPTION_KW, err, error_line
from tui.cli.root import cli
from tui.crash import command_name

__all__ = ["cli", "main", "run"]


def _set_lang(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        set_language(value)


def _accept_lang_everywhere(command: click.Command) -> None:
    """`sanshu status --db X --lang en` works as well as `sanshu --lang en status`."""
    if command is not cli:
        options = {**LANG_OPTION_KW, "default": None, "show_default": False}
        command.params.append(
            click.Option(
                ["--lang"], expose_value=False, is_eager=True, callback=_set_lang, **options
            )
        )
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _accept_lang_everywhere(sub)


_accept_lang_everywhere(cli)


def run(argv: list[str] | None = None) -> int:
    """Run the command; user errors become one clear message, never a traceback."""
    from core.meeting.file import MeetingFileError

    args = sys.argv[1:] if argv is None else argv
    # A file that fails while being written (a full disk) fails again when the garbage
    # collector closes it: that second report is not the user's business.
    previous_hook, sys.unraisablehook = sys.unraisablehook, _quiet_about_files
    try:
        code = cli.main(args=argv, prog_name="sanshu", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        err.print(t("cli.interrupted"))
        return 130
    except MeetingFileError as exc:
        for line in exc.lines():
            error_line(line)
        return 1
    except StoreError as exc:
        error_line(str(exc))
        return 1
    except ImportProblems as exc:
        for line in exc.lines:
            error_line(line)
        return 1
    except OSError as exc:  # an output folder that does not exist, a full disk, no permission
        path = exc.filename or _option(args, "--out") or _option(args, "--db") or ""
        error_line(t("cli.os_error", path=path, detail=exc.strerror or exc))
        return 1
    except sqlite3.DatabaseError as exc:  # damaged under a command that had opened it
        error_line(t("cli.db_error", path=_option(args, "--db") or "", detail=exc))
        return 1
    except Exception as exc:
        from tui.crash import report_crash

        report_crash(exc, command_name(sys.argv))
        return 70
    finally:
        sys.unraisablehook = previous_hook
    return code if isinstance(code, int) else 0


def _quiet_about_files(unraisable: sys.UnraisableHookArgs) -> None:
    if not isinstance(unraisable.exc_value, OSError):
        sys.__unraisablehook__(unraisable)


def _option(args: list[str], name: str) -> str | None:
    """The value given to an option on the command line (for a message), if any."""
    for index, arg in enumerate(args):
        if arg == name and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(name + "="):
            return arg[len(name) + 1 :]
    return None


def main() -> None:
    sys.exit(run())
