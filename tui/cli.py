"""The `sanshu` command."""

from __future__ import annotations

import datetime as dt
import json
import sys
import traceback
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from core import net
from core.ballot_import import (
    ImportProblems,
    import_ballots,
    parse_daily_file,
    write_template,
)
from core.ballots import issue_tokens, issued_counts, revoke_token
from core.demo_ballots import fill_demo_ballots
from core.exports import to_csv, to_json_text, to_xlsx
from core.i18n import set_language, t
from core.meetingfile import MeetingFileError, load_meeting
from core.minutes import write_minutes
from core.podium import PodiumBusy, PodiumLock
from core.results import load_tally, set_components, set_override
from core.slips import ballot_url, slips_html
from core.status import meeting_status
from core.store import MeetingStore, StoreError
from core.timer import format_seconds
from tui.base import crash_log, data_dir
from tui.summary import meeting_summary
from tui.tally_view import tally_table

screen = Console()
err = Console(stderr=True)

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
    screen.print(
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
    screen.print(t("cli.init.ok", path=db_path), style="green", highlight=False)
    screen.print(meeting_summary(store.meeting))
    store.close()


def _create(meeting_file: Path, db_path: Path, force: bool) -> MeetingStore:
    load_meeting(meeting_file)  # reports problems with the file's own name
    source = meeting_file.read_text(encoding="utf-8")
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

    db_path = db_path or data_dir() / "demo.db"
    if fresh or with_ballots or not db_path.exists():
        store = _create(demo_meeting_path(), db_path, force=True)
        err.print(t("cli.demo.created", path=db_path), highlight=False)
        if with_ballots:
            count = fill_demo_ballots(store)
            store.move(len(store.state().steps) - 1)
            err.print(t("cli.demo.ballots", count=count), highlight=False)
    else:
        store = MeetingStore(db_path)
        err.print(t("cli.demo.resumed", path=db_path), highlight=False)
    store.close()
    run_host(db_path)


@cli.command(short_help="主持台（全屏） · Open the podium console")
@DB_OPTION
def host(db_path: Path) -> None:
    """打开主持台，控制议程和计时 · Open the podium console that runs the agenda and timers."""
    run_host(db_path)


@cli.command(short_help="会议进行到哪里 · Where the meeting stands")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="输出 JSON · print JSON for scripts")
def status(db_path: Path, as_json: bool) -> None:
    """显示当前述职对象、环节、剩余时间、测评状态 · Show the subject, phase, time left and
    scoring state."""
    store = MeetingStore(db_path, actor="status")
    now = meeting_status(store)
    store.close()
    if as_json:
        click.echo(json.dumps(now.as_json(), ensure_ascii=False))
        return
    table = Table(show_header=False, box=None)
    table.add_row(t("status.subject"), now.subject or "—")
    table.add_row(t("status.phase"), t(f"phase.{now.phase}"))
    remaining = "—" if now.remaining_s is None else format_seconds(now.remaining_s)
    table.add_row(t("status.remaining"), remaining)
    table.add_row(t("status.running"), t("status.yes") if now.running else t("status.no"))
    table.add_row(t("status.poll"), t(f"poll.{now.poll}"))
    table.add_row(t("status.turnout"), f"{now.submitted}/{now.expected}")
    screen.print(table)


@cli.group(
    invoke_without_command=True,
    short_help="发放测评码、打印二维码 · Issue voter tokens and QR slips",
)
@GROUP_DB_OPTION
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="测评码清单（HTML，A4 打印） · the printable slips sheet (HTML)",
)
@click.option("--urls", is_flag=True, help="逐行输出测评网址 · print one ballot URL per line")
@click.option("--category", help="只为这一类别发放 · issue for this voter category only")
@click.option("--count", type=click.IntRange(1, 100_000), help="发放数量 · how many tokens")
@click.option("--base-url", help="测评网址前缀 · ballot address, e.g. http://192.168.1.20:8700")
@click.pass_context
def tokens(
    ctx: click.Context,
    db_path: Path | None,
    out: Path | None,
    urls: bool,
    category: str | None,
    count: int | None,
    base_url: str | None,
) -> None:
    """为每位应到测评人生成一个测评码（只保存其散列值），并输出可打印的二维码纸条。
    · Issue one secret token per expected voter and write printable QR slips."""
    if ctx.invoked_subcommand is not None:
        return
    if db_path is None:
        raise click.UsageError("--db")
    if out is None and not urls:
        raise click.UsageError(t("cli.tokens.need_out"))
    store = MeetingStore(db_path, actor="organiser")
    plan = _token_plan(store, category, count)
    base = net.base_url(int(store.meta("serve_port") or net.DEFAULT_PORT), base_url)
    total = sum(plan.values())
    slips = []
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task(t("tokens.progress"), total=total * (2 if out else 1))
        for name, number in plan.items():
            slips += issue_tokens(store, name, number, progress=lambda n: progress.advance(task, n))
        if out:
            html, pages = slips_html(
                store.meeting.title, base, slips, progress=lambda n: progress.advance(task, n)
            )
            out.write_text(html, encoding="utf-8")
    store.set_meta("base_url", base)
    store.close()
    err.print(t("tokens.issued", count=total), highlight=False)
    err.print(t("cli.tokens.base", url=base), highlight=False)
    if out:
        err.print(t("tokens.written", path=out, pages=pages), style="green", highlight=False)
    if urls:
        for slip in slips:
            click.echo(ballot_url(base, slip.token))


def _token_plan(store: MeetingStore, category: str | None, count: int | None) -> dict[str, int]:
    expected = {c.name: c.expected for c in store.meeting.categories}
    if category is not None:
        if category not in expected:
            known = " / ".join(expected)
            raise StoreError(t("tokens.unknown_category", got=category, known=known))
        return {category: count or expected[category]}
    issued = issued_counts(store)
    if issued and count is None:
        raise StoreError(t("tokens.already_issued", count=sum(issued.values())))
    return {name: count or number for name, number in expected.items()}


@tokens.command("revoke", short_help="作废测评码 · Revoke a token")
@click.argument("code")
@DB_OPTION
def tokens_revoke(code: str, db_path: Path) -> None:
    """作废一个测评码（如纸条遗失） · Revoke a token, e.g. a lost slip."""
    with MeetingStore(db_path, actor="organiser") as store:
        revoked = revoke_token(store, code)
    if not revoked:
        raise StoreError(t("tokens.not_found", code=code))
    screen.print(t("tokens.revoked", code=code), style="green", highlight=False)


@cli.command(short_help="测评网页服务 · Run the ballot web service")
@DB_OPTION
@click.option(
    "--host", default="0.0.0.0", show_default=True, help="监听地址 · address to listen on"
)
@click.option(
    "--port",
    default=net.DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="端口 · port",
)
def serve(db_path: Path, host: str, port: int) -> None:
    """运行测评网页服务，手机扫码后在此提交测评票 · Serve the ballot form phones open."""
    from core.web.app import check_port_free
    from core.web.app import run as run_web

    MeetingStore(db_path).close()
    check_port_free(host, port)
    url = net.base_url(port)
    if "127.0.0.1" in url:
        err.print(t("cli.serve.local"), style="yellow", highlight=False)
    err.print(t("cli.serve.start", url=url), style="green", highlight=False)
    run_web(db_path, host, port, print_fn=lambda *_: None)


@cli.command(short_help="开始/结束测评 · Open or close scoring")
@click.argument("action", type=click.Choice(["open", "close", "status"]))
@DB_OPTION
@click.option("--reason", default="", help="重新开放的理由 · why a closed poll is reopened")
def poll(action: str, db_path: Path, reason: str) -> None:
    """开始、结束测评或查看状态；结束后重新开放须说明理由。
    · Open, close or show scoring; reopening a closed poll needs --reason."""
    store = MeetingStore(db_path, actor="organiser")
    if action != "status":
        store.set_poll("open" if action == "open" else "closed", reason)
    now = meeting_status(store)
    screen.print(
        t(
            "cli.poll.state",
            poll=t(f"poll.{now.poll}"),
            submitted=now.submitted,
            expected=now.expected,
        ),
        highlight=False,
    )
    store.close()


@cli.command(short_help="记录员台 · Open the clerk's console")
@DB_OPTION
@click.option("--name", default="记录员", help="记录员姓名（纸质票录入人） · the clerk's name")
def clerk(db_path: Path, name: str) -> None:
    """记录点评、询问，录入纸质测评票 · Log commentary and questions, enter paper ballots."""
    from tui.clerk import ClerkApp

    MeetingStore(db_path).close()
    ClerkApp(db_path, clerk=name).run()


@cli.command(short_help="投影画面 · Open the projector view")
@DB_OPTION
def display(db_path: Path) -> None:
    """投影用的只读画面，跟随主持台 · The read-only projector view that follows the podium."""
    from tui.display import DisplayApp

    MeetingStore(db_path).close()
    DisplayApp(db_path).run()


@cli.command(short_help="导出会议记录 · Write the minutes")
@DB_OPTION
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="会议记录文件（.docx 或 .md） · the minutes file (.docx or .md)",
)
def minutes(db_path: Path, out: Path) -> None:
    """由会议过程写出会议记录 · Write the meeting record from what happened."""
    if out.suffix.lower() not in (".docx", ".md"):
        raise click.UsageError(t("minutes.bad_suffix"))
    store = MeetingStore(db_path, actor="organiser")
    write_minutes(store, out)
    store.close()
    err.print(t("minutes.written", path=out), style="green", highlight=False)


FORMATS = ["table", "json", "csv", "xlsx"]


@cli.group(invoke_without_command=True, short_help="测评结果 · The final tally")
@GROUP_DB_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="输出格式 · output format",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出文件（默认屏幕） · output file (default: the screen)",
)
@click.pass_context
def tally(ctx: click.Context, db_path: Path | None, fmt: str, out: Path | None) -> None:
    """计算并输出测评结果：排名、各等次票数与占比、得分、等次。
    · Compute the tally: ranks, grade counts and shares, scores, grades."""
    if ctx.invoked_subcommand is not None:
        return
    if db_path is None:
        raise click.UsageError("--db")
    if fmt == "xlsx" and out is None:
        raise click.UsageError(t("tally.need_out"))
    with MeetingStore(db_path, actor="organiser") as store:
        result = load_tally(store)
    if fmt == "table" and out is None:
        screen.print(tally_table(result, screen.width))
    elif fmt == "table":
        with out.open("w", encoding="utf-8") as handle:
            file_console = Console(file=handle, width=200)
            file_console.print(tally_table(result, file_console.width))
    elif fmt == "xlsx":
        to_xlsx(result, out)
    else:
        text = to_json_text(result) if fmt == "json" else to_csv(result)
        if out:
            out.write_text(text, encoding="utf-8", newline="")
        else:
            click.echo(text)
    if out:
        err.print(t("tally.written", path=out), style="green", highlight=False)


@tally.command("override", short_help="调整最终等次 · Override a final grade")
@click.argument("subject")
@click.argument("grade")
@click.option("--reason", required=True, help="理由 · the committee's reason")
@DB_OPTION
def tally_override(subject: str, grade: str, reason: str, db_path: Path) -> None:
    """党组（委员会）调整某述职对象的最终等次，须说明理由；计算等次同时保留。
    · The committee sets a final grade with a reason; the computed grade is kept."""
    with MeetingStore(db_path, actor="committee") as store:
        set_override(store, subject, grade, reason)
        result = next(s for s in load_tally(store).subjects if s.name == subject)
    screen.print(
        t(
            "tally.override_set",
            subject=subject,
            grade=grade,
            computed=result.computed_grade or "—",
        ),
        style="green",
        highlight=False,
    )


@cli.group(short_help="导入外部测评票 · Ballots collected elsewhere")
def ballots() -> None:
    """外部收集的测评票（Excel / CSV） · Ballots collected on paper or in another tool."""


@ballots.command("template", short_help="空白测评表 · Write the empty workbook")
@DB_OPTION
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def ballots_template(db_path: Path, out: Path) -> None:
    """写出空白测评表：每行一张票 · Write the empty workbook, one row per ballot."""
    with MeetingStore(db_path, actor="organiser") as store:
        write_template(store, out)
    err.print(t("import.template_written", path=out), style="green", highlight=False)


@ballots.command("import", short_help="导入测评票 · Import ballots")
@DB_OPTION
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def ballots_import(db_path: Path, file: Path) -> None:
    """导入测评票（.xlsx / .csv）；文件有任何问题则全部不导入。
    · Import ballots; nothing is imported unless the whole file is clean."""
    with MeetingStore(db_path, actor="organiser") as store:
        count, invalid = import_ballots(store, file)
    screen.print(t("import.done", count=count, invalid=invalid), style="green", highlight=False)


@cli.group(short_help="日常考核得分 · Daily-assessment scores")
def daily() -> None:
    """日常考核得分 · Daily-assessment scores."""


@daily.command("import", short_help="导入日常考核得分 · Import daily scores")
@DB_OPTION
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def daily_import(db_path: Path, file: Path) -> None:
    """导入日常考核得分：第一列述职对象，第二列得分。
    · Import daily scores: subject name, then score."""
    with MeetingStore(db_path, actor="organiser") as store:
        scores = parse_daily_file(store, file)
        set_components(store, scores)
    screen.print(t("daily.done", count=len(scores)), style="green", highlight=False)


def run_host(db_path: Path) -> None:
    from tui.host import HostApp

    MeetingStore(db_path).close()  # a clear error before the screen takes over
    try:
        with PodiumLock(db_path):
            HostApp(db_path).run()
    except PodiumBusy:
        raise StoreError(t("podium.busy", path=db_path)) from None


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
    except ImportProblems as exc:
        for line in exc.lines:
            _error(line)
        return 1
    except OSError as exc:  # an output folder that does not exist, a full disk, no permission
        _error(t("cli.os_error", path=exc.filename or "", detail=exc.strerror or exc))
        return 1
    except Exception:
        log = crash_log()
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
