"""`sanshu keys`: try the clicker before the meeting."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import t
from tui.cli.root import cli


def _file_option(name: str, dest: str, text: str):
    path = click.Path(dir_okay=False, path_type=Path)
    return click.option(name, dest, type=path, default=None, help=text)


@cli.command(short_help="试按键（翻页笔） · Try the keys (a presenter clicker)")
@_file_option("--db", "db_path", "按这次会议的按键设置 · the keys of this meeting database")
@_file_option("--meeting", "meeting_file", "按会议文件的 [keys] 设置 · a meeting file's [keys]")
def keys(db_path: Path | None, meeting_file: Path | None) -> None:
    """按下翻页笔或键盘上的键，显示主持台把它当作什么（不改变任何会议）· Press a key and
    see what the podium reads it as (nothing is changed)."""
    from tui.keytest import KeysApp

    clicker: dict[str, tuple[str, ...]] = {}
    source = t("keys.defaults")
    if meeting_file is not None:
        from core.meeting.file import load_meeting

        clicker, source = load_meeting(meeting_file).keys, str(meeting_file)
    elif db_path is not None:
        from core.meeting.store import MeetingStore

        with MeetingStore(db_path, actor="keys") as store:
            clicker, source = store.meeting.keys, str(db_path)
    KeysApp(clicker, source).run()
