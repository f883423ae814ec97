"""Scoring by phone: tokens and QR slips, the ballot service, opening and closing the poll."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import t, tn
from tui.cli.common import DB_OPTION, GROUP_DB_OPTION, done_line, err, screen
from tui.cli.network import ADDRESS_OPTION, PORT_OPTION
from tui.cli.root import cli

CLOSE_WAIT_MS = 2_000  # how long `poll close` waits for another program's reader


@cli.group(
    invoke_without_command=True,
    short_help="发放测评码、打印二维码 · Issue voter tokens and QR slips",
)
@GROUP_DB_OPTION
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="测评码清单（HTML，A4 打印） · the printable slips sheet (HTML)",
)
@click.option("--urls", is_flag=True, help="逐行输出测评网址 · print one ballot URL per line")
@click.option("--category", help="只为这一类别发放 · issue for this voter category only")
@click.option("--count", type=click.IntRange(1, 100_000), help="发放数量 · how many tokens")
@ADDRESS_OPTION
@PORT_OPTION
@click.option(
    "--base-url", help="测评网址前缀（同 --address 加 --port） · e.g. http://192.168.137.1:8700"
)
@click.option(
    "--reprint",
    is_flag=True,
    help="作废已印的纸条，按新地址全部重印（测评开始前） · revoke the printed slips and "
    "print them all again for a new address (before scoring opens)",
)
@click.pass_context
def tokens(
    ctx: click.Context,
    db_path: Path | None,
    out: Path | None,
    urls: bool,
    category: str | None,
    count: int | None,
    address: str | None,
    port: int | None,
    base_url: str | None,
    reprint: bool,
) -> None:
    """为每位应到测评人生成一个测评码（只保存其散列值），并输出可打印的二维码纸条。
    · Issue one secret token per expected voter and write printable QR slips."""
    if ctx.invoked_subcommand is not None:
        return
    if db_path is None:
        raise click.UsageError("--db")
    if out is None and not urls:
        raise click.UsageError(t("cli.tokens.need_out"))
    from rich.progress import Progress

    from core.ballots.slips import ballot_url, slips_html
    from core.ballots.tokens import issue_tokens, revoke_unused
    from core.meeting.store import MeetingStore
    from core.venue.addresses import keep, slips_where, split_url
    from core.venue.interfaces import read_interfaces
    from core.venue.wifi import wifi_qr_text

    if base_url:
        parsed = split_url(base_url)
        if parsed is None or address or port:
            raise click.UsageError(t("cli.tokens.base_url"))
        address, port = parsed
    store = MeetingStore(db_path, actor="organiser")
    store.check_writable()
    interfaces = read_interfaces()
    place = slips_where(store, interfaces, address, port, reprint=reprint)
    if reprint:
        err.print(t("tokens.reprinted", count=revoke_unused(store)), highlight=False)
    plan = _token_plan(store, category, count)
    base = place.url
    network = store.meeting.network
    total = sum(plan.values())
    slips = []
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task(t("tokens.progress"), total=total * (2 if out else 1))
        for name, number in plan.items():
            slips += issue_tokens(store, name, number, progress=lambda n: progress.advance(task, n))
        if out:
            html, pages = slips_html(
                store.meeting.title,
                base,
                slips,
                progress=lambda n: progress.advance(task, n),
                wifi=wifi_qr_text(network),
                wifi_name=network.wifi_name,
                wifi_password=network.wifi_password or "",
            )
            out.write_text(html, encoding="utf-8")
    keep(store, place, "tokens")
    store.close()
    err.print(tn("tokens.issued", total), highlight=False)
    err.print(t("cli.tokens.base", url=base), highlight=False)
    _say_where(place, interfaces)
    if out:
        err.print(
            tn("tokens.written", pages, path=out, pages=pages), style="green", highlight=False
        )
    if urls:
        for slip in slips:
            click.echo(ballot_url(base, slip.token))


def _say_where(place, interfaces) -> None:
    """Whether this laptop holds the slips' address now (printing at the office for the
    venue's hotspot is the usual case: then it must hold it in the hall)."""
    from core.venue.addresses import Source, is_loopback
    from core.venue.interfaces import holds

    if place.source == Source.LOOPBACK or is_loopback(place.host):
        err.print(t("venue.loopback_only"), style="yellow", highlight=False)
    elif not holds(interfaces, place.host):
        err.print(
            t("cli.tokens.not_here", address=place.host),
            style="yellow",
            highlight=False,
            soft_wrap=True,
        )


def _token_plan(store, category: str | None, count: int | None) -> dict[str, int]:
    from core.ballots.tokens import issued_counts
    from core.errors import StoreError

    expected = {c.name: c.expected for c in store.meeting.categories}
    if category is not None:
        if category not in expected:
            known = " / ".join(expected)
            raise StoreError(t("tokens.unknown_category", got=category, known=known))
        return {category: count or expected[category]}
    issued = issued_counts(store)
    if issued and count is None:
        raise StoreError(t("tokens.already_issued", count=sum(issued.values())))
    return {name: count or number for name, number in expected.items()}


@tokens.command("revoke", short_help="作废测评码 · Revoke a token")
@click.argument("code")
@DB_OPTION
def tokens_revoke(code: str, db_path: Path) -> None:
    """作废一个未使用的测评码（如纸条遗失）；已投票的、测评结束后的不能作废。
    · Revoke an unused token, e.g. a lost slip (not one that voted, not after closing)."""
    from core.ballots.tokens import revoke_token
    from core.meeting.store import MeetingStore

    with MeetingStore(db_path, actor="organiser") as store:
        revoke_token(store, code)
    done_line(t("tokens.revoked", code=code))


@tokens.command("restore", short_help="恢复误作废的测评码 · Undo a revocation")
@click.argument("code")
@DB_OPTION
def tokens_restore(code: str, db_path: Path) -> None:
    """恢复被误作废的测评码（测评结束前） · Undo a revocation made by mistake."""
    from core.ballots.tokens import restore_token
    from core.meeting.store import MeetingStore

    with MeetingStore(db_path, actor="organiser") as store:
        restore_token(store, code)
    done_line(t("tokens.restored", code=code))


@cli.command(short_help="公布回执号清单 · Publish the receipts of counted ballots")
@DB_OPTION
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="回执号清单（HTML） · the receipts page (HTML)",
)
def receipts(db_path: Path, out: Path) -> None:
    """输出已计入的手机测评票回执号清单（排序，不含内容），供测评人核对。
    · Write the sorted list of receipts of counted phone ballots, with no content."""
    from core.ballots.receipts import receipts_html
    from core.ballots.storing import receipts as stored_receipts
    from core.meeting.store import MeetingStore

    with MeetingStore(db_path, actor="organiser") as store:
        found = stored_receipts(store)
        out.write_text(receipts_html(store.meeting.title, found), encoding="utf-8")
    done_line(t("receipts.written", path=out, count=len(found)))


@cli.command(short_help="测评网页服务 · Run the ballot web service")
@DB_OPTION
@click.option(
    "--address",
    "--host",
    "host",
    default=None,
    help="监听地址（默认：测评纸条上的地址） · address to listen on (default: the slips')",
)
@PORT_OPTION
def serve(db_path: Path, host: str | None, port: int | None) -> None:
    """运行测评网页服务，手机扫码后在此提交测评票。先检查本机是否持有纸条上的地址，
    没有则说明原因和解决办法并退出。
    · Serve the ballot form phones open; first check that this laptop holds the slips'
    address, else say why and how to fix it, and exit."""
    from core.web.serve import serve as serve_ballots

    serve_ballots(
        db_path, host, port, say=lambda line, style: err.print(line, style=style, highlight=False)
    )


@cli.command(short_help="开始/结束测评 · Open or close scoring")
@click.argument("action", type=click.Choice(["open", "close", "status"]))
@DB_OPTION
@click.option("--reason", default="", help="重新开放的理由 · why a closed poll is reopened")
def poll(action: str, db_path: Path, reason: str) -> None:
    """开始、结束测评或查看状态；结束后重新开放须说明理由。
    · Open, close or show scoring; reopening a closed poll needs --reason."""
    from core.ballots.status import history_label, meeting_status
    from core.meeting.labels import poll_label
    from core.meeting.model import Poll
    from core.meeting.store import MeetingStore

    store = MeetingStore(db_path, actor="organiser")
    if action == "open" and store.poll() != Poll.OPEN:
        from core.venue.readiness import check_venue, open_scoring, venue_allows_opening

        store.check_writable()  # a read-only file: that first, before the network
        if store.poll() == Poll.CLOSED and reason.strip():
            # A reopening corrects the record (imports, paper ballots, daily scores),
            # often in the office the day after: the phones' reach is said, not required.
            readiness = check_venue(store)
            if readiness.blockers:
                store.set_poll(Poll.OPEN, reason)
                err.print(t("poll.reopened_off_venue"), style="yellow", highlight=False)
            else:
                open_scoring(store, readiness, reason)
        else:
            # The slips' address is this laptop's now, or StoreError with the ways out.
            open_scoring(store, venue_allows_opening(store), reason)
    elif action == "close":
        from core.ballots.results import close_scoring

        close_scoring(store)
        # Not reported done until the voting history is erased (#20 §4).
        store.forget_history(wait_ms=CLOSE_WAIT_MS)
    now = meeting_status(store)
    store.close()
    screen.print(
        t(
            "cli.poll.state",
            poll=poll_label(now.poll),
            submitted=now.submitted,
            expected=now.expected,
        ),
        highlight=False,
    )
    if now.history_erased is None:
        return
    if action != "close":
        screen.print(history_label(now.history_erased), highlight=False)
    elif now.history_erased:
        done_line(t("history.erased"))
    else:  # a reader holds the file: said in one line, and tried again until done
        from core.store.forgetting import keep_trying_in_background

        keep_trying_in_background(db_path)
        err.print(t("history.pending_background"), style="yellow", highlight=False)
