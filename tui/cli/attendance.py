"""Who should attend, who came: the sign-in sheet and the marks 出席 / 请假 / 缺席."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import t
from tui.cli.bulletin import TEMPLATE_OPTION
from tui.cli.common import DB_OPTION, GROUP_DB_OPTION, done_line, screen
from tui.cli.root import cli


@cli.group(invoke_without_command=True, short_help="签到表和出席登记 · Sign-in and attendance")
@GROUP_DB_OPTION
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="签到表（.docx） · the sign-in sheet (.docx)",
)
@TEMPLATE_OPTION
@click.pass_context
def attendance(
    ctx: click.Context, db_path: Path | None, out: Path | None, template_path: Path | None
) -> None:
    """写出签到表（会议文件 [[attendees]] 中的人员，按组别）；`attendance mark` 登记出席、
    请假、缺席，`attendance list` 查看。 · Write the sign-in sheet; mark and list attendance."""
    if ctx.invoked_subcommand is not None:
        return
    if db_path is None:
        raise click.UsageError("--db")
    if out is None:
        raise click.UsageError("--out")
    if out.suffix.lower() != ".docx":
        raise click.UsageError(t("signin.bad_suffix"))
    from core.meeting.store import MeetingStore
    from core.office import templates
    from core.office.signin import write_signin

    with MeetingStore(db_path, actor="organiser") as store:
        template = templates.load_for("signin", store.meeting, db_path.parent, template_path)
        write_signin(store, template, out)
    done_line(t("signin.written", path=out))


@attendance.command("mark", short_help="登记出席情况 · Mark attendance")
@click.argument("names", nargs=-1, required=True)
@click.option(
    "--as",
    "mark_text",
    required=True,
    help="出席 / 请假 / 缺席（present / leave / absent），或 clear 清除",
)
@click.option("--note", default="", help="事由，如 因公出差 · a reason, e.g. on business")
@DB_OPTION
def attendance_mark(names: tuple[str, ...], mark_text: str, note: str, db_path: Path) -> None:
    """登记一人或多人的出席情况 · Mark one or more people present, on leave or absent."""
    from core.meeting.store import MeetingStore
    from core.record.attendance import mark_label, parse_mark, set_mark

    mark = None if mark_text.strip().lower() in ("clear", "清除") else parse_mark(mark_text)
    with MeetingStore(db_path, actor="clerk") as store:
        for name in names:
            set_mark(store, name, mark, note)
    done_line(t("attendance.marked", names="、".join(names), mark=mark_label(mark)))


@attendance.command("list", short_help="查看出席情况 · List attendance")
@DB_OPTION
def attendance_list(db_path: Path) -> None:
    """按组别列出应到人员和出席情况 · List everyone expected and their marks, by group."""
    from rich.table import Table

    from core.meeting.store import MeetingStore
    from core.record.attendance import MARKS, mark_label, read_roll

    with MeetingStore(db_path, actor="organiser") as store:
        roll = read_roll(store)
    if not roll.entries:
        screen.print(t("signin.no_attendees"), style="yellow", highlight=False)
        return
    table = Table(show_edge=False, pad_edge=False)
    for heading in (t("attendance.col.group"), t("attendance.col.name"), t("attendance.col.mark")):
        table.add_column(heading)
    for entry in roll.entries:
        mark = mark_label(entry.mark) + (f"（{entry.note}）" if entry.note else "")
        table.add_row(entry.group, entry.name, mark, style=None if entry.mark else "dim")
    screen.print(table)
    counts = "，".join(f"{mark_label(m)} {roll.count(m)}" for m in (*MARKS, None))
    screen.print(t("attendance.counts", expected=roll.expected, counts=counts), highlight=False)


@attendance.command("screen", short_help="出席登记画面 · The marking screen")
@DB_OPTION
def attendance_screen(db_path: Path) -> None:
    """全屏出席登记：选中姓名按 1 出席、2 请假、3 缺席、0 清除，/ 查找。
    · Mark attendance on a full screen: 1 present, 2 leave, 3 absent, 0 clear, / find."""
    from core.meeting.store import MeetingStore
    from tui.attendance import AttendanceApp

    MeetingStore(db_path).close()  # a clear error before the screen takes over
    AttendanceApp(db_path).run()
