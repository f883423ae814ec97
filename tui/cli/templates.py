"""The Word templates the office edits (红头 and all)."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from core.i18n import t
from tui.cli.common import done_line, say
from tui.cli.root import cli


@cli.group(short_help="公文模板 · The Word templates")
def templates() -> None:
    """书面反馈、通报、排名表、会议记录、纸质测评票、签到表的 Word 模板
    · The Word templates of the letters, bulletin, ranking, minutes, paper ballot, sign-in sheet."""


@templates.command("export", short_help="导出默认模板 · Write the default templates")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="覆盖已有文件 · overwrite files already there")
def templates_export(folder: Path, force: bool) -> None:
    """把默认模板写到 FOLDER，在 Word 或 WPS 中改成本单位的红头后，在会议文件
    [documents.templates] 中指定。 · Write the default templates to FOLDER to edit."""
    from core.errors import StoreError
    from core.meeting.model import DOCUMENT_KINDS
    from core.office.templates import EXPORT_NAMES, default_path

    folder.mkdir(parents=True, exist_ok=True)
    targets = {kind: folder / EXPORT_NAMES[kind] for kind in DOCUMENT_KINDS}
    there = [path.name for path in targets.values() if path.exists()]
    if there and not force:
        raise StoreError(t("templates.exists", names="、".join(there)))
    for kind, path in targets.items():
        shutil.copyfile(default_path(kind), path)
        say(f'{kind} = "{path.name}"')
    done_line(t("templates.exported", count=len(targets), folder=folder))
