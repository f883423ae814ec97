"""The published result (通报) and the one-page ranking for the leaders (排名表)."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import t
from tui.cli.common import DB_OPTION, done_line
from tui.cli.root import cli

TEMPLATE_OPTION = click.option(
    "--template",
    "template_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="改写过的模板（.docx） · an edited template (.docx, see `templates export`)",
)


@cli.command(short_help="评议结果通报 · The bulletin of the result")
@DB_OPTION
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="通报文件（.docx） · the bulletin (.docx)",
)
@TEMPLATE_OPTION
def bulletin(db_path: Path, out: Path, template_path: Path | None) -> None:
    """写出评议结果的通报（公文格式）；公布得分还是只公布等次、按名次还是按述职顺序，
    由会议文件 [documents.bulletin] 决定。
    · Write the bulletin of the result; the meeting file says what it publishes."""
    if out.suffix.lower() != ".docx":
        raise click.UsageError(t("bulletin.bad_suffix"))
    from core.meeting.store import MeetingStore
    from core.office import templates
    from core.office.bulletin import write_bulletin
    from core.office.data import load_office_results

    with MeetingStore(db_path, actor="organiser") as store:
        template = templates.load_for("bulletin", store.meeting, db_path.parent, template_path)
        results = load_office_results(store)
    write_bulletin(results, template, out)
    done_line(t("bulletin.written", path=out))


@cli.command(short_help="排名表（一页） · The one-page ranking")
@DB_OPTION
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="排名表（.docx 或 .xlsx） · the ranking (.docx or .xlsx)",
)
@TEMPLATE_OPTION
@click.option(
    "--provisional",
    is_flag=True,
    help="测评未结束时输出临时结果（标明“临时结果”） · provisional results while scoring is open",
)
def ranking(db_path: Path, out: Path, template_path: Path | None, provisional: bool) -> None:
    """写出一页 A4 的排名表（排名、述职对象、综合得分、等次），供主任会议、常委会使用。
    · Write the one-page ranking for the leaders' meeting."""
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".xlsx"):
        raise click.UsageError(t("ranking.bad_suffix"))
    from core.meeting.store import MeetingStore
    from core.office import templates
    from core.office.data import load_office_results

    with MeetingStore(db_path, actor="organiser") as store:
        template = None
        if suffix == ".docx":
            template = templates.load_for("ranking", store.meeting, db_path.parent, template_path)
        results = load_office_results(store, provisional=provisional)
    if template is not None:
        from core.office.bulletin import write_ranking_docx

        write_ranking_docx(results, template, out)
    else:
        from core.office.ranking_book import write_ranking_xlsx

        write_ranking_xlsx(results, out)
    done_line(t("ranking.written", path=out))
