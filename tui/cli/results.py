"""After scoring: the tally and its exports, overrides, the minutes."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import t
from tui.cli.common import DB_OPTION, GROUP_DB_OPTION, done_line, err, screen
from tui.cli.root import cli

FORMATS = ["table", "json", "csv", "xlsx"]
SUFFIX_FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}


def output_format(fmt: str | None, out: Path | None) -> str:
    """The format asked for, or the one `--out`'s extension names (a clerk writes
    `--out 结果.xlsx` and expects a workbook, not a text table named .xlsx)."""
    named = SUFFIX_FORMATS.get(out.suffix.lower()) if out is not None else None
    if fmt is None:
        return named or "table"
    if named is not None and named != fmt:
        raise click.UsageError(t("tally.format_clash", fmt=fmt, file=out.name if out else ""))
    return fmt


@cli.group(invoke_without_command=True, short_help="测评结果 · The final tally")
@GROUP_DB_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="输出格式（默认按 --out 的扩展名，否则 table） · output format (default: from"
    " --out's extension, else table)",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出文件（默认屏幕） · output file (default: the screen)",
)
@click.option(
    "--provisional",
    is_flag=True,
    help="测评未结束时输出临时结果（标明“临时结果”） · provisional results while scoring is open",
)
@click.option(
    "--check",
    "check_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="核对文件（.xlsx/.csv/.json/.docx/.md）是否与会议当前结果一致（结果校验码）"
    " · does a results file still match the meeting (its fingerprint)",
)
@click.pass_context
def tally(
    ctx: click.Context,
    db_path: Path | None,
    fmt: str | None,
    out: Path | None,
    provisional: bool,
    check_path: Path | None,
) -> None:
    """计算并输出测评结果：排名、各等次票数与占比、得分、等次。
    · Compute the tally: ranks, grade counts and shares, scores, grades."""
    if ctx.invoked_subcommand is not None:
        return
    if db_path is None:
        raise click.UsageError("--db")
    if check_path is not None:
        check_file(db_path, check_path)
        return
    fmt = output_format(fmt, out)
    if fmt == "xlsx" and out is None:
        raise click.UsageError(t("tally.need_out"))
    from rich.console import Console

    from core.meeting.store import MeetingStore
    from core.office.data import fingerprint_line, load_office_results
    from core.office.export import to_csv, to_json_text
    from core.office.results_book import to_xlsx
    from tui.tally_view import tally_table

    with MeetingStore(db_path, actor="organiser") as store:
        results = load_office_results(store, provisional=provisional)
    if fmt == "table":
        console = screen if out is None else None
        handle = None if out is None else out.open("w", encoding="utf-8")
        try:
            if handle is not None:
                console = Console(file=handle, width=160, no_color=True)
            console.print(
                tally_table(
                    results.tally,
                    console.width,
                    bars=handle is None and console.is_terminal,
                    title=f"{results.title}\n" + grades_heading(results.tally.meeting),
                    notes=results.warnings,
                )
            )
            console.print(fingerprint_line(results), highlight=False)
        finally:
            if handle is not None:
                handle.close()
    elif fmt == "xlsx":
        to_xlsx(results, out)
    else:
        text = to_json_text(results) if fmt == "json" else to_csv(results)
        if out:
            out.write_text(text, encoding="utf-8", newline="")
        else:
            click.echo(text)
    if out:
        err.print(t("tally.written", path=out), style="green", highlight=False)


def check_file(db_path: Path, path: Path) -> None:
    """`tally --check FILE`: one line when the file matches; when it does not, what it was
    computed from and what changed since, and exit code 1."""
    from core.ballots.lifecycle import moment_text
    from core.meeting.store import MeetingStore
    from core.office.check import check_paper, read_fingerprint
    from core.store import StoreError

    code = read_fingerprint(path)
    if code is None:
        raise StoreError(t("check.none", file=path.name))
    with MeetingStore(db_path, actor="organiser") as store:
        found = check_paper(store, code)
        when = None if found.recorded is None else moment_text(store, found.recorded.at)
    if found.matches:
        done_line(t("check.matches", file=path.name, code=code))
        return
    lines = [t("check.outdated", file=path.name, code=code, current=found.current)]
    if when is None:
        lines.append(t("check.unknown"))
    else:
        lines.append(t("check.stood", time=when))
        lines += [f"  {line}" for line in found.since]
    raise StoreError("\n".join(lines))


def grades_heading(meeting) -> str:
    """The grade columns count answers over every criterion (a ballot gives one grade
    per criterion), not ballots: the table says so above them."""
    return t("tally.grades_summed", criteria=len(meeting.criteria))


@tally.command("override", short_help="调整最终等次 · Override a final grade")
@click.argument("subject")
@click.argument("grade")
@click.option("--reason", required=True, help="理由 · the committee's reason")
@DB_OPTION
def tally_override(subject: str, grade: str, reason: str, db_path: Path) -> None:
    """党组（委员会）调整某述职对象的最终等次，须说明理由；计算等次同时保留。
    · The committee sets a final grade with a reason; the computed grade is kept."""
    from core.ballots.results import load_tally, set_override
    from core.meeting.store import MeetingStore

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


@cli.command(short_help="导出会议记录 · Write the minutes")
@DB_OPTION
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="会议记录文件（.docx 或 .md） · the minutes file (.docx or .md)",
)
@click.option(
    "--template",
    "template_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="会议记录模板（.docx） · the minutes template (.docx)",
)
def minutes(db_path: Path, out: Path, template_path: Path | None) -> None:
    """由会议过程写出会议记录 · Write the meeting record from what happened."""
    if out.suffix.lower() not in (".docx", ".md"):
        raise click.UsageError(t("minutes.bad_suffix"))
    from core.meeting.store import MeetingStore
    from core.office import templates
    from core.office.minutes import write_minutes

    with MeetingStore(db_path, actor="organiser") as store:
        template = None
        if out.suffix.lower() == ".docx":
            template = templates.load_for("minutes", store.meeting, db_path.parent, template_path)
        write_minutes(store, out, template)
    err.print(t("minutes.written", path=out), style="green", highlight=False)
