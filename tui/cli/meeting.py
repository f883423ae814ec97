"""Meeting files and the consoles: check, init, demo, host, clerk, display, status."""

from __future__ import annotations

import json
from pathlib import Path

import click

from core.i18n import t, tn
from tui.cli.common import DB_OPTION, err, screen
from tui.cli.network import ADDRESS_OPTION, PORT_OPTION, keep_choice
from tui.cli.root import cli


@cli.command(short_help="校验会议文件 · Validate a meeting file")
@click.argument("meeting_file", type=click.Path(dir_okay=False, path_type=Path))
def check(meeting_file: Path) -> None:
    """校验会议文件，逐条列出问题 · Validate a meeting file and list every problem."""
    from core.meeting.file import load_meeting

    meeting = load_meeting(meeting_file)
    screen.print(
        t(
            "cli.check.ok",
            file=meeting_file.name,
            subjects=tn("cli.check.ok.subjects", len(meeting.subjects)),
            onsite=len(meeting.onsite),
            written=len(meeting.written),
            categories=tn("cli.check.ok.categories", len(meeting.categories)),
            voters=tn("cli.check.ok.voters", meeting.expected_voters),
        ),
        style="green",
        highlight=False,
    )


@cli.command(short_help="由会议文件创建会议数据库 · Create a meeting database")
@click.argument("meeting_file", type=click.Path(dir_okay=False, path_type=Path))
@DB_OPTION
@click.option("--force", is_flag=True, help="覆盖已有数据库 · overwrite an existing database")
@click.option(
    "--roster",
    type=click.Path(dir_okay=False, path_type=Path),
    help="述职对象和测评人类别取自名单 Excel · take subjects and categories from a roster",
)
@click.option(
    "--carry-over",
    "last_db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="带入上年会议的未销号整改事项和结果 · bring last year's open items and results",
)
def init(
    meeting_file: Path, db_path: Path, force: bool, roster: Path | None, last_db: Path | None
) -> None:
    """由会议文件创建会议数据库 · Create a meeting database from a meeting file."""
    from tui.summary import meeting_summary

    if last_db is not None:
        from tui.cli.carryover import create_with_carry_over

        store = create_with_carry_over(
            lambda: create_store(meeting_file, db_path, force, roster), last_db, db_path
        )
    else:
        store = create_store(meeting_file, db_path, force, roster)
    screen.print(t("cli.init.ok", path=db_path), style="green", highlight=False)
    screen.print(meeting_summary(store.meeting))
    store.close()


def create_store(meeting_file: Path, db_path: Path, force: bool, roster: Path | None = None):
    from core.meeting.file import parse_meeting, read_meeting_file
    from core.meeting.store import MeetingStore

    source = read_meeting_file(meeting_file)  # read once, bounded
    parse_meeting(source, meeting_file.name)  # reports problems with the file's own name
    if roster is not None:
        from tui.cli.roster import with_roster

        source = with_roster(source, roster)
        parse_meeting(source, meeting_file.name)  # the whole meeting checked before creating
    return MeetingStore.create(db_path, source, meeting_file.name, force=force)


@cli.command(short_help="打开演示会议 · Open the demo meeting")
@click.option("--fresh", is_flag=True, help="重新创建演示会议 · start the demo over")
@click.option(
    "--with-ballots",
    is_flag=True,
    help="重新创建并填入 72 张示例测评票，直接看结果 · start over with 72 sample ballots, "
    "scoring closed, at the results",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="演示数据库位置 · where to keep the demo database",
)
def demo(fresh: bool, with_ballots: bool, db_path: Path | None) -> None:
    """创建（或继续）演示会议并打开主持台 · Create or resume the demo meeting and open the
    host console."""
    from sanshu_data import demo_meeting_path

    from core.meeting.store import MeetingStore
    from tui.paths import data_dir

    db_path = db_path or data_dir() / "demo.db"
    if with_ballots:
        # The meeting as it was held: sign-in, reports, commentary, questions, ballots.
        from core.office.demo import held_demo_meeting

        source = demo_meeting_path()
        count = held_demo_meeting(db_path, source.read_text(encoding="utf-8"), source.name)
        err.print(t("cli.demo.created", path=db_path), highlight=False, soft_wrap=True)
        err.print(t("cli.demo.ballots", count=count), highlight=False)
    elif fresh or not db_path.exists():
        create_store(demo_meeting_path(), db_path, force=True).close()
        err.print(t("cli.demo.created", path=db_path), highlight=False, soft_wrap=True)
    else:
        MeetingStore(db_path).close()
        err.print(t("cli.demo.resumed", path=db_path), highlight=False, soft_wrap=True)
    run_host(db_path)


@cli.command(short_help="主持台（全屏） · Open the podium console")
@DB_OPTION
@ADDRESS_OPTION
@PORT_OPTION
def host(db_path: Path, address: str | None, port: int | None) -> None:
    """打开主持台，控制议程和计时 · Open the podium console that runs the agenda and timers."""
    if address or port:
        keep_choice(db_path, address, port)  # before the slips: they then carry it
    run_host(db_path)


def run_host(db_path: Path) -> None:
    from core.errors import StoreError
    from core.meeting.podium import PodiumBusy, PodiumLock
    from core.meeting.store import MeetingStore
    from tui.host import HostApp

    MeetingStore(db_path).close()  # a clear error before the screen takes over
    try:
        with PodiumLock(db_path):
            HostApp(db_path).run()
    except PodiumBusy:
        raise StoreError(t("podium.busy", path=db_path)) from None


@cli.command(short_help="记录员台 · Open the clerk's console")
@DB_OPTION
@click.option("--name", default="记录员", help="记录员姓名（纸质票录入人） · the clerk's name")
def clerk(db_path: Path, name: str) -> None:
    """记录点评、询问，录入纸质测评票 · Log commentary and questions, enter paper ballots."""
    from core.meeting.store import MeetingStore
    from tui.clerk import ClerkApp

    MeetingStore(db_path).close()
    ClerkApp(db_path, clerk=name).run()


@cli.command(short_help="投影画面 · Open the projector view")
@DB_OPTION
@click.option(
    "--web",
    is_flag=True,
    help="给只能开浏览器的大屏：打印投影网页地址（带密钥）· print the address of the projector "
    "view as a web page (with its key) for a big screen that only runs a browser",
)
def display(db_path: Path, web: bool) -> None:
    """投影用的只读画面，跟随主持台 · The read-only projector view that follows the podium."""
    from core.meeting.store import MeetingStore

    if web:
        from tui.cli.screen import print_web_screen

        print_web_screen(db_path)
        return
    from tui.display import DisplayApp

    MeetingStore(db_path).close()
    DisplayApp(db_path).run()


@cli.command(short_help="会议进行到哪里 · Where the meeting stands")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="输出 JSON · print JSON for scripts")
def status(db_path: Path, as_json: bool) -> None:
    """显示当前述职对象、环节、剩余时间、测评状态 · Show the subject, phase, time left and
    scoring state."""
    from core.ballots.status import history_label, meeting_status
    from core.meeting.store import MeetingStore
    from core.meeting.timer import format_seconds

    store = MeetingStore(db_path, actor="status")
    now = meeting_status(store)
    store.close()
    if as_json:
        click.echo(json.dumps(now.as_json(), ensure_ascii=False))
        return
    from rich.table import Table

    from core.meeting.labels import phase_label, poll_label

    table = Table(show_header=False, box=None)
    table.add_row(t("status.subject"), now.subject or "—")
    table.add_row(t("status.phase"), phase_label(now.phase))
    remaining = "—" if now.remaining_s is None else format_seconds(now.remaining_s)
    table.add_row(t("status.remaining"), remaining)
    table.add_row(t("status.running"), t("status.yes") if now.running else t("status.no"))
    table.add_row(t("status.poll"), poll_label(now.poll))
    table.add_row(t("status.turnout"), f"{now.submitted}/{now.expected}")
    if now.history_erased is not None:
        table.add_row(t("status.history"), history_label(now.history_erased))
    screen.print(table)
