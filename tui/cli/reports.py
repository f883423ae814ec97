"""Report checks before the meeting (报告审核)."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import t, tn
from tui.cli.common import DB_OPTION, done_line, screen
from tui.cli.root import cli


def say(line: str, style: str | None = None) -> None:
    """A plain line: file and section names may hold brackets that are not markup."""
    screen.print(line, style=style, highlight=False, markup=False)


@cli.group(short_help="述职报告审核 · Check the subjects' reports")
def reports() -> None:
    """述职报告审核：字数、必备部分、各部分占比 · Check reports: length, sections, shares."""


@reports.command("check", short_help="审核一个文件夹的报告 · Check a folder of reports")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@DB_OPTION
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="审核表 Excel · write the check sheet (.xlsx)",
)
def reports_check(folder: Path, db_path: Path, out: Path | None) -> None:
    """按会议文件 [reports] 规则审核 FOLDER 中的报告（.docx / .txt，文件名含述职对象名称）。
    · Check the .docx/.txt reports in FOLDER (file names contain the subject's name)."""
    from core.errors import StoreError
    from core.meeting.store import MeetingStore
    from core.office.reports import check_folder, write_check_book

    if not folder.is_dir():
        raise StoreError(t("reports.no_folder", path=folder))
    with MeetingStore(db_path, actor="organiser") as store:
        meeting = store.meeting
    if not meeting.reports.sections and meeting.reports.min_chars is None:
        say(t("reports.no_rules"), style="yellow")
    run = check_folder(meeting, folder)
    say(tn("reports.title", len(run.checks)), style="bold")
    for check in run.checks:
        verdict = t("reports.passed") if check.passed else t("reports.failed")
        say("")
        say(
            f"{check.subject} · {check.file} · {verdict}",
            "bold green" if check.passed else "bold red",
        )
        screen.print(_check_table(check, meeting.reports))
    say("")
    if run.missing:
        say(
            t("reports.missing_head", count=len(run.missing), names="、".join(run.missing)),
            style="yellow",
        )
    if run.unmatched:
        say(t("reports.unmatched_head", names="、".join(run.unmatched)), style="yellow")
    if run.unsupported:
        say(t("reports.unsupported", names="、".join(run.unsupported)), style="yellow")
    for subject, file in run.duplicates:
        say(t("reports.duplicate", subject=subject, file=file), style="yellow")
    passed = sum(c.passed for c in run.checks)
    say(
        tn(
            "reports.summary",
            len(run.missing),
            passed=passed,
            failed=len(run.checks) - passed,
            missing=len(run.missing),
        )
    )
    if out is not None:
        write_check_book(meeting, run, out)
        done_line(t("reports.written", path=out))


def _check_table(check, rules):
    """One subject's check: each rule with what was found, what is required, the result."""
    from rich.table import Table

    from core.office.reports import check_items

    table = Table(show_edge=False, pad_edge=False)
    table.add_column(t("reports.col.item"))
    table.add_column(t("reports.col.found"), justify="right")
    table.add_column(t("reports.col.required"), justify="right")
    table.add_column(t("reports.col.result"))
    for item, found, required, ok in check_items(check, rules):
        mark = (
            "[green]" + t("reports.ok") + "[/]" if ok else "[bold red]" + t("reports.fix") + "[/]"
        )
        table.add_row(item, found, required, mark)
    for problem in check.problems:
        if not check.sections:  # unreadable: say why
            table.add_row(problem, "", "", "[bold red]" + t("reports.fix") + "[/]")
    return table
