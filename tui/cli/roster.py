"""The roster workbook (名单.xlsx): subjects and voter categories kept in Excel."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import t, tn
from tui.cli.common import done_line
from tui.cli.root import cli


@cli.group(short_help="名单 Excel · The roster workbook")
def roster() -> None:
    """述职对象和测评人类别名单（Excel） · Subjects and voter categories in a workbook;
    use it with `sanshu init FILE --roster 名单.xlsx`."""


@roster.command("template", short_help="写出名单模板 · Write the roster workbook")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--from",
    "meeting_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="用这个会议文件里的名单填好 · fill it with this meeting file's people",
)
def roster_template(out: Path, meeting_file: Path | None) -> None:
    """写出名单工作簿（述职对象、测评人类别、说明），带下拉选项。
    · Write the roster workbook with dropdowns and a sheet of instructions."""
    from core.meeting.file import load_meeting
    from core.office.roster import write_template

    meeting = load_meeting(meeting_file) if meeting_file else None
    write_template(out, meeting)
    done_line(t("roster.template_written", path=out))


def with_roster(source: str, roster_path: Path) -> str:
    """The meeting file's text with the roster's subjects and categories."""
    from core.office.roster import meeting_text_with_roster, read_roster
    from tui.cli.common import err

    people = read_roster(roster_path)
    err.print(
        t(
            "roster.used",
            file=roster_path.name,
            subjects=tn("roster.used.subjects", len(people.subjects)),
            categories=tn("roster.used.categories", len(people.categories)),
        ),
        highlight=False,
    )
    return meeting_text_with_roster(source, people, roster_path.name)
