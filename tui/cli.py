"""The `sanshu` command."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path

import click
import platformdirs
from rich.console import Console

from core.i18n import set_language, t
from core.meetingfile import MeetingFileError, load_meeting
from core.store import MeetingStore, StoreError
from tui.summary import meeting_summary

out = Console()
err = Console(stderr=True)

DB_OPTION = click.option(
    "--db",
    "db_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="会议数据库文件 · the meeting database file",
)


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir("sanshu"))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    envvar="SANSHU_LANG",
    default="zh",
    show_default=True,
    help="界面语言 · interface language",
)
def cli(lang: str) -> None:
    """三述：述职述责述廉会议系统 · Sanshu runs a 述职述责述廉 review meeting."""
    set_language(lang)


@cli.command(short_help="校验会议文件 · Validate a meeting file")
@click.argument("meeting_file", type=click.Path(dir_okay=False, path_type=Path))
def check(meeting_file: Path) -> None:
    """校验会议文件，逐条列出问题 · Validate a meeting file and list every problem."""
    meeting = load_meeting(meeting_file)
    out.print(
        t(
            "cli.check.ok",
            file=meeting_file.name,
            subjects=len(meeting.subjects),
            onsite=len(meeting.onsite),
            written=len(meeting.written),
            categories=len(meeting.categories),
            voters=meeting.expected_voters,
        ),
        style="green",
        highlight=False,
    )


@cli.command(short_help="由会议文件创建会议数据库 · Create a meeting database")
@click.argument("meeting_file", type=click.Path(dir_okay=False, path_type=Path))
@DB_OPTION
@click.option("--force", is_flag=True, help="覆盖已有数据库 · overwrite an existing database")
def init(meeting_file: Path, db_path: Path, force: bool) -> None:
    """由会议文件创建会议数据库 · Create a meeting database from a meeting file."""
    store = _create(meeting_file, db_path, force)
    out.print(t("cli.init.ok", path=db_path), style="green", highlight=False)
    out.print(meeting_summary(store.meeting))
    store.close()


def _create(meeting_file: Path, db_path: Path, force: bool) -> MeetingStore:
    load_meeting(meeting_file)  # reports problems with the file's own name
    source = meeting_file.read_text(encoding="utf-8")
    return MeetingStore.create(db_path, source, meeting_file.name, force=force)


@cli.command(short_help="打开演示会议 · Open the demo meeting")
@click.option("--fresh", is_flag=True, help="重新创建演示会议 · start the demo over")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="演示数据库位置 · where to keep the demo database",
)
def demo(fresh: bool, db_path: Path | None) -> None:
    """创建（或继续）演示会议并打开主持台 · Create or resume the demo meeting and open the
    host console."""
    from sanshu_data import demo_meeting_path

    db_path = db_path or data_dir() / "demo.db"
    if fresh or not db_path.exists():
        store = _create(demo_meeting_path(), db_path, force=True)
        err.print(t("cli.demo.created", path=db_path), highlight=False)
    else:
        store = MeetingStore(db_path)
        err.print(t("cli.demo.resumed", path=db_path), highlight=False)
    store.close()
    run_host(db_path)


def run_host(db_path: Path) -> None:
    store = MeetingStore(db_path)
    out.print(meeting_summary(store.meeting))
    store.close()


def run(argv: list[str] | None = None) -> int:
    """Run the command; user errors become one clear message, never a traceback."""
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
            _error(line)
        return 1
    except StoreError as exc:
        _error(str(exc))
        return 1
    except Exception:
        log = data_dir() / "crash.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {dt.datetime.now().isoformat()} {sys.argv}\n")
            handle.write(traceback.format_exc())
        _error(t("cli.crash", log=log))
        return 70
    return code if isinstance(code, int) else 0


def _error(line: str) -> None:
    err.print(line, style="red", highlight=False, markup=False, soft_wrap=True)


def main() -> None:
    sys.exit(run())
