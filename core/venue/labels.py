"""What the kinds of network address are called on screen."""

from __future__ import annotations

from core.i18n import t
from core.venue.interfaces import Kind
from core.venue.readiness import PortState


def kind_label(kind: Kind) -> str:
    if kind == Kind.REAL:
        return t("venue.kind.real")
    if kind == Kind.HOTSPOT:
        return t("venue.kind.hotspot")
    if kind == Kind.LOOPBACK:
        return t("venue.kind.loopback")
    if kind == Kind.LINK_LOCAL:
        return t("venue.kind.link_local")
    if kind == Kind.VIRTUAL:
        return t("venue.kind.virtual")
    return t("venue.kind.vpn")


def port_label(state: PortState, port: int) -> str:
    if state == PortState.FREE:
        return t("venue.port.free", port=port)
    if state == PortState.OURS:
        return t("venue.port.ours", port=port)
    return t("venue.port.taken", port=port)
