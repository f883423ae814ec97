"""The address phones use to reach the ballot service on the venue network."""

from __future__ import annotations

import ipaddress
import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.store import Store

DEFAULT_PORT = 8700


def lan_address() -> str:
    """This laptop's address on the local network, found without sending anything.

    Falls back to 127.0.0.1 (then only this machine can open the links, and the
    organiser should pass --base-url).
    """
    candidates: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            candidates.append(str(info[4][0]))
    except OSError:
        pass
    for address in candidates:
        ip = ipaddress.ip_address(address)
        if ip.is_private and not ip.is_loopback and not ip.is_link_local:
            return address
    return "127.0.0.1"


def base_url(port: int = DEFAULT_PORT, override: str | None = None) -> str:
    if override:
        return override.rstrip("/")
    return f"http://{lan_address()}:{port}"


def listen_addresses(host: str | None, lan: str) -> list[str]:
    """Where `sanshu serve` listens: the address it prints (the LAN address unless
    --host says otherwise), plus loopback for the podium console's check on this
    laptop; never every interface unless asked for with --host 0.0.0.0."""
    address = host or lan
    if address in ("127.0.0.1", "0.0.0.0", "::"):
        return [address]
    return [address, "127.0.0.1"]


def service_port(store: Store) -> int:
    """The port this meeting's service listens on (as `sanshu serve` last recorded it)."""
    return int(store.meta("serve_port") or DEFAULT_PORT)
