"""Written feedback after the meeting (书面反馈) and the 评议情况汇总表."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from core.i18n import t, tn
from tui.cli.common import GROUP_DB_OPTION, done_line, err
from tui.cli.root import cli


@cli.group(invoke_without_command=True, short_help="书面反馈 · Feedback letters")
@GROUP_DB_OPTION
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="反馈文件夹 · the folder for the letters",
)
@click.option(
    "--template",
    "template_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="改写过的反馈模板（.docx） · an edited letter template (.docx, see `templates export`)",
)
@click.option(
    "--force",
    is_flag=True,
    help="文件夹中已有按另一结果写的反馈时不询问、直接覆盖 · write over papers of another result "
    "without asking (scripts)",
)
@click.pass_context
def feedback(
    ctx: click.Context,
    db_path: Path | None,
    out: Path | None,
    template_path: Path | None,
    force: bool,
) -> None:
    """为每个述职对象写一份书面反馈（.docx，公文格式），并写出评议情况汇总表（.xlsx）。
    · Write one feedback letter per subject (.docx) and the summary workbook (.xlsx)."""
    if ctx.invoked_subcommand is not None:
        return
    if db_path is None:
        raise click.UsageError("--db")
    if out is None:
        raise click.UsageError("--out")
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from core.meeting.store import MeetingStore
    from core.office import templates
    from core.office.data import load_office_results
    from core.office.letters import needs_warning, write_letters
    from core.office.summary_book import write_summary_book
    from core.record.entries import Record

    with MeetingStore(db_path, actor="organiser") as store:
        # A missing or bad template stops before anything is written.
        template = templates.load_for("letter", store.meeting, db_path.parent, template_path)
        results = load_office_results(store)
        if not force:
            ask_before_writing_over(out, results.fingerprint)
        record = Record(store)
        count = len(results.tally.subjects)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[name]}"),
            console=err,
        ) as progress:
            task = progress.add_task(t("feedback.progress"), total=count, name="")

            def step(name: str) -> None:
                progress.update(task, advance=1, name=name)

            letters = write_letters(results, record, out, template, step)
        summary = out / t("feedback.summary_name")
        write_summary_book(results, summary)
    meeting = results.tally.meeting
    done_line(tn("feedback.done", len(letters), folder=out))
    done_line(t("feedback.summary_done", path=summary))
    warned = [r.name for r in results.tally.subjects if needs_warning(meeting, r)]
    if warned:
        err.print(t("feedback.warned", names="、".join(warned)), style="yellow", highlight=False)


def ask_before_writing_over(folder: Path, current: str) -> None:
    """Letters written from another result are not replaced without a yes: at a terminal
    the clerk is asked; a script is refused and told about --force."""
    import sys

    from core.office.check import papers_with_other_results
    from core.store import StoreError

    others = papers_with_other_results(folder, current)
    if not others:
        return
    codes = "、".join(sorted({code for _, code in others}))
    question = tn("feedback.other_result", len(others), folder=folder, codes=codes, current=current)
    if not sys.stdin.isatty():
        raise StoreError(question + t("feedback.use_force"))
    err.print(question, style="yellow", highlight=False)
    if not click.confirm(t("feedback.overwrite"), default=False, err=True):
        raise click.Abort


@feedback.command("template", short_help="写出可改写的反馈模板 · Write the letter template")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def feedback_template(out: Path) -> None:
    """写出反馈模板（Word），在 Word 或 WPS 中改写后用 --template 或会议文件指定。
    · Write the letter template (Word) to edit; use it with --template or the meeting file."""
    from core.office.templates import default_path

    if out.suffix.lower() != ".docx":
        raise click.UsageError(t("feedback.template_suffix"))
    shutil.copyfile(default_path("letter"), out)
    done_line(t("feedback.template_written", path=out))
