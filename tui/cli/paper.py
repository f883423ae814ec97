"""The printable paper ballot (纸质测评票) for voters without a phone."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from core.i18n import t
from tui.cli.bulletin import TEMPLATE_OPTION
from tui.cli.common import DB_OPTION, done_line
from tui.cli.imports import ballots


@ballots.command("paper", short_help="纸质测评票（打印） · The printable paper ballot")
@DB_OPTION
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="纸质测评票（.docx 或 .pdf） · the paper ballot (.docx or .pdf)",
)
@click.option(
    "--category",
    "categories",
    multiple=True,
    help="只写这一类测评人的票（可重复） · only this voter category (repeatable)",
)
@TEMPLATE_OPTION
def ballots_paper(
    db_path: Path, out: Path, categories: tuple[str, ...], template_path: Path | None
) -> None:
    """每类测评人一页 A4 测评票：述职对象、测评项目和等次的顺序与手机测评页、记录员录入
    画面相同，印有填写说明、测评人类别和每个述职对象的意见栏，不设姓名栏。
    · One A4 form per voter category, in the order of the phone form and the clerk's screen."""
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        raise click.UsageError(t("paper.bad_suffix"))
    import datetime as dt

    from core.errors import StoreError
    from core.meeting.store import MeetingStore
    from core.office import templates
    from core.office.paper_ballot import write_paper_ballot

    with MeetingStore(db_path, actor="organiser") as store:
        meeting = store.meeting
        template = templates.load_for("ballot", meeting, db_path.parent, template_path)
        made_on = dt.date.fromtimestamp(store.clock())
    known = [c.name for c in meeting.categories]
    for name in categories:
        if name not in known:
            raise StoreError(t("paper.unknown_category", name=name, known="、".join(known)))
    chosen = list(categories) or None
    if suffix == ".docx":
        write_paper_ballot(meeting, made_on, template, out, chosen)
    else:
        from core.office.pdf import to_pdf

        with tempfile.TemporaryDirectory(prefix="sanshu-ballot-") as scratch:
            docx_path = Path(scratch) / (out.stem + ".docx")
            write_paper_ballot(meeting, made_on, template, docx_path, chosen)
            pdf = to_pdf(docx_path, Path(scratch))
            out.write_bytes(pdf.read_bytes())
    done_line(t("paper.written", path=out))
