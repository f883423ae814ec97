"""`sanshu new [FILE]` and `sanshu edit FILE`: the meeting file made in a form."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import t
from tui.cli.common import done_line
from tui.cli.root import cli


@cli.command(short_help="新建会议文件（全屏表单） · Make a meeting file in a form")
@click.argument("meeting_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def new(meeting_file: Path | None) -> None:
    """逐步填写会议、等次、测评项目、测评人类别、述职对象、环节时长和测评规则，
    以演示会议的设置为起点；Ctrl+S 保存（sanshu check 通过才保存）· Build a meeting
    file step by step, starting from the demo meeting's values; Ctrl+S saves it once
    `sanshu check` accepts it."""
    from core.errors import StoreError

    if meeting_file is not None and meeting_file.exists():
        raise StoreError(t("new.exists", path=meeting_file))
    from core.meeting.file.document import MeetingDocument
    from tui.newmeeting.starting import starting_text

    document = MeetingDocument(starting_text(), meeting_file.name if meeting_file else "会议.toml")
    _run(document, meeting_file, new=True)


@cli.command(short_help="编辑会议文件（全屏表单） · Edit a meeting file in the form")
@click.argument("meeting_file", type=click.Path(dir_okay=False, path_type=Path))
def edit(meeting_file: Path) -> None:
    """在同一表单中打开已有的会议文件；保存时保留原有的注释和顺序 · Open a meeting file
    in the same form; saving keeps the organiser's comments and order."""
    from core.meeting.file import read_meeting_file
    from core.meeting.file.document import MeetingDocument

    text = read_meeting_file(meeting_file)
    document = MeetingDocument(text, meeting_file.name)  # a syntax error: its line, a caret
    document.respell()  # 书面 → written, "6分钟" → "6:00": saved so
    _run(document, meeting_file, new=False)


def _run(document, path: Path | None, *, new: bool) -> None:
    from tui.newmeeting.form import MeetingForm

    form = MeetingForm(document, path, new=new)
    form.run()
    if form.saved_to is not None:
        done_line(t("new.saved", path=form.saved_to))
