"""Data collected elsewhere: ballots from a workbook, daily-assessment scores."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import t
from tui.cli.common import DB_OPTION, err, screen
from tui.cli.root import cli


@cli.group(short_help="导入外部测评票 · Ballots collected elsewhere")
def ballots() -> None:
    """外部收集的测评票（Excel / CSV） · Ballots collected on paper or in another tool."""


@ballots.command("template", short_help="空白测评表 · Write the empty workbook")
@DB_OPTION
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def ballots_template(db_path: Path, out: Path) -> None:
    """写出空白测评表：每行一张票 · Write the empty workbook, one row per ballot."""
    from core.ballot_import import write_template
    from core.store import MeetingStore

    with MeetingStore(db_path, actor="organiser") as store:
        write_template(store, out)
    err.print(t("import.template_written", path=out), style="green", highlight=False)


@ballots.command("import", short_help="导入测评票 · Import ballots")
@DB_OPTION
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def ballots_import(db_path: Path, file: Path) -> None:
    """导入测评票（.xlsx / .csv）；文件有任何问题则全部不导入。
    · Import ballots; nothing is imported unless the whole file is clean."""
    from core.ballot_import import import_ballots
    from core.store import MeetingStore

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
    from core.ballot_import import parse_daily_file
    from core.results import set_components
    from core.store import MeetingStore

    with MeetingStore(db_path, actor="organiser") as store:
        scores = parse_daily_file(store, file)
        set_components(store, scores)
    screen.print(t("daily.done", count=len(scores)), style="green", highlight=False)
