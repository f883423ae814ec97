"""The address and port phones use to reach the ballot service, kept with the meeting.

The address is chosen on purpose when the slips are printed (`sanshu tokens
--address`, or the meeting file's `[venue] address`, or this laptop's only real
address) and kept in the meeting's `meta` as the slips' base URL: slips issued later,
the service, the podium and the projector all use that one. Before any slip is
printed it follows the meeting file, then this laptop's interfaces.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from core.venue.interfaces import Interface, addresses_text, choose

if TYPE_CHECKING:
    from core.meeting.store import MeetingStore
    from core.store import Store

DEFAULT_PORT = 8700
SLIPS_META = "base_url"  # the base URL printed on the slips (and shown on the projector)
PORT_META = "serve_port"  # where `sanshu serve` last listened
LOOPBACK = "127.0.0.1"


class Source(StrEnum):
    """Where the meeting's address comes from."""

    SLIPS = "slips"  # printed on the slips: fixed
    VENUE = "venue"  # the meeting file's [venue] address
    CHOSEN = "chosen"  # this laptop's only real address
    LOOPBACK = "loopback"  # no real address at all: only this laptop can open it
    UNDECIDED = "undecided"  # several real addresses and nothing says which


@dataclass(frozen=True)
class Where:
    host: str | None  # None: undecided
    port: int
    source: Source

    @property
    def url(self) -> str:
        return url_for(self.host or LOOPBACK, self.port)

    @property
    def fixed(self) -> bool:
        """Decided by the slips or the meeting file: this laptop must hold it."""
        return self.source in (Source.SLIPS, Source.VENUE)


def url_for(host: str, port: int) -> str:
    return f"http://{host}:{port}"


def split_url(url: str) -> tuple[str, int] | None:
    """The host and port of a base URL as kept (None if it is not one)."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or 80
    except ValueError:
        return None
    return (host, port) if host else None


def is_address(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def is_loopback(host: str) -> bool:
    return is_address(host) and ipaddress.IPv4Address(host).is_loopback


def kept(store: Store) -> tuple[str, int] | None:
    """The slips' address and port, once printed (or once scoring opened)."""
    url = store.meta(SLIPS_META)
    return split_url(url) if url else None


def service_port(store: MeetingStore) -> int:
    """The port this meeting's service listens on: the slips', else the meeting file's,
    else the last one `sanshu serve` used, else 8700."""
    slips = kept(store)
    if slips is not None:
        return slips[1]
    if store.meeting.network.port is not None:
        return store.meeting.network.port
    return int(store.meta(PORT_META) or DEFAULT_PORT)


def where(store: MeetingStore, interfaces: Sequence[Interface]) -> Where:
    """The address phones use for this meeting, and where it comes from."""
    port = service_port(store)
    slips = kept(store)
    if slips is not None:
        return Where(slips[0], slips[1], Source.SLIPS)
    if store.meeting.network.address is not None:
        return Where(store.meeting.network.address, port, Source.VENUE)
    choice = choose(interfaces)
    if choice.address is not None:
        return Where(choice.address, port, Source.CHOSEN)
    if choice.ambiguous:
        return Where(None, port, Source.UNDECIDED)
    return Where(LOOPBACK, port, Source.LOOPBACK)


def listen_addresses(host: str) -> list[str]:
    """Where `sanshu serve` listens: the meeting's address, plus loopback for the
    podium's own checks; never every interface unless asked for with 0.0.0.0."""
    if host in (LOOPBACK, "0.0.0.0", "::"):
        return [host]
    return [host, LOOPBACK]


def keep(store: Store, place: Where, why: str) -> None:
    """Keep the address phones use with the meeting (and say so in the audit trail)."""
    if place.host is None or kept(store) == (place.host, place.port):
        return
    with store.transaction():
        store.set_meta(SLIPS_META, place.url)
        store.record("venue.address", {"url": place.url, "source": place.source, "why": why})


def slips_where(
    store: MeetingStore,
    interfaces: Sequence[Interface],
    address: str | None = None,
    port: int | None = None,
    *,
    reprint: bool = False,
) -> Where:
    """The address to print on slips: the one already printed (slips issued later carry
    the same), else `--address`, else the meeting file's, else this laptop's only real
    one. Several real ones and nothing chosen: StoreError listing them, never a guess."""
    from core.errors import StoreError
    from core.i18n import t

    if address is not None and not is_address(address.strip()):
        raise StoreError(t("venue.bad_address", got=address))
    address = address.strip() if address is not None else None
    printed = kept(store)
    if printed is not None and not reprint:
        differs = (address is not None and address != printed[0]) or (
            port is not None and port != printed[1]
        )
        if differs:
            raise StoreError(t("venue.slips_fixed", url=url_for(*printed)))
        return Where(printed[0], printed[1], Source.SLIPS)
    network = store.meeting.network
    port = port or network.port or int(store.meta(PORT_META) or DEFAULT_PORT)
    if address is not None:
        return Where(address, port, Source.SLIPS)
    if network.address is not None:
        return Where(network.address, port, Source.VENUE)
    choice = choose(interfaces)
    if choice.ambiguous:
        raise StoreError(t("venue.choose", addresses=addresses_text(choice.candidates)))
    if choice.address is None:
        return Where(LOOPBACK, port, Source.LOOPBACK)
    return Where(choice.address, port, Source.CHOSEN)
