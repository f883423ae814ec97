"""Data collected elsewhere: ballots from a workbook, daily-assessment scores."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import t, tn
from tui.cli.common import DB_OPTION, err, screen
from tui.cli.root import cli


@cli.group(short_help="导入外部测评票 · Ballots collected elsewhere")
def ballots() -> None:
    """外部收集的测评票（Excel / CSV） · Ballots collected on paper or in another tool."""


AGAIN_OPTION = click.option(
    "--again",
    is_flag=True,
    help="同一文件已导入过时仍再导入一次 · import a file that was imported before",
)


@ballots.command("template", short_help="空白测评表 · Write the empty workbook")
@DB_OPTION
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="空白测评表文件（.xlsx） · the workbook to write (.xlsx)",
)
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def ballots_template(db_path: Path, out: Path | None, file: Path | None) -> None:
    """写出空白测评表：每行一张票，类别和等次可从下拉列表选择，另附“说明”表。
    · Write the empty workbook: one row per ballot, dropdowns, and a 说明 sheet."""
    target = out or file
    if target is None:
        raise click.UsageError(t("template.need_out"))
    from core.ballots.template import write_template
    from core.meeting.store import MeetingStore

    with MeetingStore(db_path, actor="organiser") as store:
        write_template(store, target)
    err.print(t("import.template_written", path=target), style="green", highlight=False)


@ballots.command("import", short_help="导入测评票 · Import ballots")
@DB_OPTION
@AGAIN_OPTION
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def ballots_import(db_path: Path, file: Path, again: bool) -> None:
    """导入测评票（.xlsx / .csv）；文件有任何问题则全部不导入。
    · Import ballots; nothing is imported unless the whole file is clean."""
    from core.ballots.importing import import_ballots
    from core.ballots.lifecycle import ensure_changeable
    from core.meeting.store import MeetingStore

    with MeetingStore(db_path, actor="organiser") as store:
        ensure_changeable(store, t("change.import"))  # before reading a large file
        count, invalid = import_ballots(store, file, again=again)
    screen.print(tn("import.done", count, invalid=invalid), style="green", highlight=False)


@cli.group(short_help="日常考核得分 · Daily-assessment scores")
def daily() -> None:
    """日常考核得分 · Daily-assessment scores."""


@daily.command("import", short_help="导入日常考核得分 · Import daily scores")
@DB_OPTION
@AGAIN_OPTION
@click.option(
    "--partial",
    is_flag=True,
    help="文件只有部分述职对象的得分时仍导入 · import a file that leaves subjects without a score",
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def daily_import(db_path: Path, file: Path, again: bool, partial: bool) -> None:
    """导入日常考核得分（.xlsx / .csv）：述职对象、日常考核得分两列；有任何问题则全部不导入；
    缺少部分述职对象的得分时须加 --partial。
    · Import daily scores: subject name, then score; nothing is imported unless clean;
    a file that leaves subjects without a score needs --partial."""
    from core.ballots.daily import import_daily, parse_daily_file
    from core.ballots.lifecycle import ensure_changeable
    from core.ballots.results import check_complete
    from core.meeting.store import MeetingStore

    with MeetingStore(db_path, actor="organiser") as store:
        ensure_changeable(store, t("change.daily"))
        scores, _ = parse_daily_file(store, file)
        missing = check_complete(store, scores, file.name, partial=partial)
        count = import_daily(store, file, again=again)
    screen.print(tn("daily.done", count), style="green", highlight=False)
    if missing:
        names = "、".join(missing)
        err.print(
            tn("daily.left_without", len(missing), names=names), style="yellow", highlight=False
        )
