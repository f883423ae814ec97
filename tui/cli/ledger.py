"""The rectification ledger (整改台账): the screen, the workbook round trip, overdue items."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import t, tn
from tui.cli.common import DB_OPTION, GROUP_DB_OPTION, done_line, say, screen
from tui.cli.root import cli


@cli.group(invoke_without_command=True, short_help="整改台账 · The rectification ledger")
@GROUP_DB_OPTION
@click.pass_context
def ledger(ctx: click.Context, db_path: Path | None) -> None:
    """整改台账：新增、修改、筛选、销号（全屏）；export / import / overdue 见子命令。
    · The rectification ledger screen; see the subcommands for the workbook and overdue."""
    if ctx.invoked_subcommand is not None:
        return
    if db_path is None:
        raise click.UsageError("--db")
    from core.meeting.store import MeetingStore
    from tui.ledger import LedgerApp

    MeetingStore(db_path).close()  # a clear error before the screen takes over
    LedgerApp(db_path).run()


@ledger.command("export", short_help="导出台账 Excel · Write the ledger workbook")
@DB_OPTION
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--subject", help="只导出这个述职对象 · only this subject's items")
def ledger_export(db_path: Path, out: Path, subject: str | None) -> None:
    """写出整改台账工作簿，供述职对象填写进展和佐证材料。
    · Write the ledger workbook for subjects to fill in progress and evidence."""
    from core.errors import StoreError
    from core.ledger.ledger import Ledger
    from core.ledger.workbook import write_ledger
    from core.meeting.store import MeetingStore

    with MeetingStore(db_path, actor="organiser") as store:
        book = Ledger(store)
        if subject is not None and subject not in store.ids("subjects"):
            raise StoreError(t("ledger.unknown_subject", got=subject))
        count = write_ledger(book, out, subject)
    done_line(tn("ledger.exported", count, path=out))


@ledger.command("import", short_help="导入填写后的台账 · Import a filled-in ledger")
@DB_OPTION
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只显示改动，不保存 · show the changes only")
def ledger_import(db_path: Path, file: Path, dry_run: bool) -> None:
    """导入述职对象填写后的台账：先列出每处改动；与导出后台账中的修改冲突时全部不导入，
    并指出单元格。 · Import a filled-in ledger: every change is listed; a conflicting
    edit stops the whole import and names the cell."""
    from core.errors import ImportProblems
    from core.ledger.items import HEADINGS
    from core.ledger.ledger import Ledger
    from core.ledger.reimport import apply_import, plan_import
    from core.meeting.store import MeetingStore

    with MeetingStore(db_path, actor="organiser") as store:
        book = Ledger(store)
        plan = plan_import(book, file)
        if plan.problems:
            raise ImportProblems(
                [
                    tn("ledgerbook.not_clean", len(plan.problems), file=file.name),
                    *plan.problems,
                ]
            )
        if plan.empty:
            say(t("ledger.import_nothing", file=file.name))
            return
        say(
            t(
                "ledger.import_changes",
                file=file.name,
                changes=tn("ledger.import_changes.changes", len(plan.changes)),
                new=tn("ledger.import_changes.new", len(plan.new_items)),
            )
        )
        for change in plan.changes:
            say(
                f"  {change.cell}  {change.subject} #{change.seq} {HEADINGS[change.field]}："
                f"{change.old or '—'} → {change.new or '—'}"
            )
        for new in plan.new_items:
            say("  " + t("ledger.import_new", subject=new.subject, problem=new.values["problem"]))
        if dry_run:
            say(t("ledger.import_dry"), style="yellow")
            return
        apply_import(book, plan)
    done_line(
        t(
            "ledger.import_done",
            changes=tn("ledger.import_done.changes", len(plan.changes)),
            new=tn("ledger.import_done.new", len(plan.new_items)),
        )
    )


@ledger.command("overdue", short_help="逾期事项 · Items past their deadline")
@DB_OPTION
def ledger_overdue(db_path: Path) -> None:
    """列出过了时限仍未销号的整改事项 · List items past their deadline and not closed."""
    from rich.table import Table

    from core.ledger.labels import column_label
    from core.ledger.ledger import Ledger, today_of
    from core.meeting.store import MeetingStore

    with MeetingStore(db_path, actor="organiser") as store:
        today = today_of(store)
        items = Ledger(store).overdue(today)
    if not items:
        say(t("ledger.none_overdue", date=today.isoformat()), style="green")
        return
    say(tn("ledger.overdue_head", len(items), date=today.isoformat()), style="red")
    table = Table(show_lines=False)
    for name in ("subject", "seq", "problem", "owner", "deadline"):
        # The problem wraps (fold) rather than losing its end to an ellipsis.
        table.add_column(column_label(name), overflow="fold" if name == "problem" else None)
    table.add_column(t("ledger.overdue_mark"), style="red")
    for item in items:
        assert item.deadline is not None
        late = (today - item.deadline).days
        table.add_row(
            item.subject,
            str(item.seq),
            item.problem,
            item.owner,
            item.value("deadline"),
            tn("ledger.days_late", late, days=late),
        )
    screen.print(table)
