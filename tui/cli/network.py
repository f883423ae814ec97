"""`sanshu network`: is the venue's network ready? 可以开会 / 不可以开会, and why.

Also the --address / --port options `tokens`, `serve` and `host` share.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from core.i18n import t
from tui.cli.common import DB_OPTION, screen
from tui.cli.root import cli

ADDRESS_OPTION = click.option(
    "--address",
    default=None,
    help="手机访问的本机地址，如热点的 192.168.137.1 · the laptop's address phones use, "
    "e.g. its hotspot's 192.168.137.1",
)
PORT_OPTION = click.option(
    "--port",
    default=None,
    type=click.IntRange(1024, 65535),
    help="端口（默认 8700） · port (default 8700)",
)


@cli.command(short_help="会场网络检查 · Is the venue's network ready?")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="输出 JSON · print JSON for scripts")
def network(db_path: Path, as_json: bool) -> int:
    """检查会场网络：本机地址、纸条上的地址、端口、防火墙、连通测试，结论为可以开会或
    不可以开会（附原因）。不可以时退出码为 1。
    · Check the venue's network: this laptop's addresses, the slips' address, the port,
    the firewall, the phone test; says ready or not, and why (exit code 1 when not)."""
    from core.meeting.store import MeetingStore
    from core.venue.readiness import check_venue

    with MeetingStore(db_path, actor="organiser") as store:
        readiness = check_venue(store)
        title = store.meeting.title
    if as_json:
        click.echo(json.dumps(as_data(readiness), ensure_ascii=False, indent=2))
    else:
        show(title, readiness)
    return 0 if readiness.ready else 1


def as_data(readiness) -> dict[str, object]:
    from core.venue.addresses import Source

    place = readiness.where
    return {
        "ready": readiness.ready,
        "can_open_scoring": readiness.can_open,
        "slips_address": place.url if place.source == Source.SLIPS else None,
        "address": place.url if place.host else None,
        "address_source": str(place.source),
        "holds_address": readiness.holds,
        "addresses": [
            {
                "name": one.name,
                "address": one.address,
                "kind": str(one.kind),
                "chosen": one.address == place.host,
            }
            for one in readiness.interfaces
        ],
        "port": place.port,
        "port_state": str(readiness.port),
        "phones_tested": readiness.phones_tested or 0,
        "reasons": list(readiness.reasons),
        "warnings": list(readiness.warnings),
    }


def show(title: str, readiness) -> None:
    from rich.text import Text

    from core.venue.addresses import Source
    from core.venue.labels import kind_label, port_label
    from core.venue.readiness import firewall_hint

    place = readiness.where
    out = Text()
    out.append(t("network.title", title=title) + "\n\n", style="bold")
    out.append(t("network.interfaces") + "\n", style="bold")
    for one in readiness.interfaces:
        mark = "→" if one.address == place.host else ("·" if one.candidate else " ")
        shown = t("venue.interface", address=one.address, name=one.name)
        line = f" {mark} " + shown
        out.append(line, style="bold" if mark == "→" else ("" if one.candidate else "dim"))
        out.append(f"  {kind_label(one.kind)}\n", style="dim")
    out.append("\n")
    if place.source == Source.SLIPS:
        out.append(t("network.slips", url=place.url))
    elif place.host:
        out.append(t("network.not_printed", url=place.url))
    else:
        out.append(t("network.undecided"))
    out.append("\n")
    if place.host:
        held = t("network.held") if readiness.holds else t("network.not_held")
        out.append(held + "\n", style="green" if readiness.holds else "red")
    out.append(port_label(readiness.port, place.port) + "\n")
    tested = readiness.phones_tested
    if tested is None:
        out.append(t("network.not_serving") + "\n", style="yellow")
    else:
        out.append(t("network.phones", count=tested) + "\n", style="green" if tested else "yellow")
    out.append(t("network.test_page", url=f"{place.url}/test") + "\n")
    out.append(firewall_hint(place.port) + "\n\n", style="dim")
    for warning in readiness.warnings:
        out.append(warning + "\n", style="yellow")
    if readiness.ready:
        out.append(t("network.ready"), style="bold green")
    else:
        out.append(t("network.not_ready") + "\n", style="bold red")
        for number, reason in enumerate(readiness.reasons, 1):
            out.append(f"{number}. {reason}\n")
    screen.print(out, highlight=False, soft_wrap=True)


def keep_choice(db_path: Path, address: str | None, port: int | None) -> None:
    """`sanshu host --address/--port`: the meeting's address and port, kept with it
    (refused when slips were printed for another)."""
    from core.meeting.store import MeetingStore
    from core.venue.addresses import keep, slips_where
    from core.venue.interfaces import read_interfaces

    with MeetingStore(db_path, actor="host") as store:
        keep(store, slips_where(store, read_interfaces(), address, port), "host")
