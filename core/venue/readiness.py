"""Is the venue's network ready for phones? One check, shared by `sanshu serve`, the
podium's `v`, `sanshu poll open` and `sanshu network`.

"The service answers on 127.0.0.1" proves nothing about phones. What is checked:
the address the slips carry is one this laptop holds now; the port is free or served
by this meeting's own service; and (for `sanshu network` only) at least one phone
opened the connection test page `/test`, counted by the service in memory.
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from core.i18n import t
from core.venue.addresses import LOOPBACK, Source, Where, is_loopback, where
from core.venue.interfaces import (
    NETWORKMANAGER_HOTSPOT,
    WINDOWS_HOTSPOT,
    Interface,
    addresses_text,
    choose,
    holds,
    read_interfaces,
)

if TYPE_CHECKING:
    from core.meeting.agenda import MeetingState
    from core.meeting.store import MeetingStore


class PortState(StrEnum):
    FREE = "free"
    OURS = "ours"  # this meeting's service answers on it
    TAKEN = "taken"  # another program holds it


@dataclass(frozen=True)
class Readiness:
    where: Where
    interfaces: tuple[Interface, ...]
    candidates: tuple[Interface, ...]
    holds: bool  # this laptop holds the meeting's address now
    port: PortState
    phones_tested: int | None  # None: the service is not running (nobody counted)
    blockers: tuple[str, ...] = ()  # why scoring must not open, each with its way out
    warnings: tuple[str, ...] = ()
    reasons: tuple[str, ...] = field(default=())  # why the meeting cannot start yet

    @property
    def can_open(self) -> bool:
        """Scoring may open: phones holding a slip can reach this laptop (if on its network)."""
        return not self.blockers

    @property
    def ready(self) -> bool:
        """可以开会: the slips' address is this laptop's and a phone passed the test."""
        return not self.reasons


TESTING_META = "connection_test"  # the podium's 连通测试 is on: the projector shows it


def set_testing(store: MeetingStore, on: bool) -> None:
    """The podium starts or ends the connection test (the projector follows)."""
    with store.transaction():
        store.set_meta(TESTING_META, "1" if on else None)
        store.record("venue.test_started" if on else "venue.test_ended", {})


def testing(store: MeetingStore) -> bool:
    return store.meta(TESTING_META) == "1"


def service_reply(store: MeetingStore, path: str, timeout: float = 0.5) -> dict[str, object] | None:
    """What this meeting's service says at `path` (on loopback, with the meeting's id):
    None when nothing answers, or something that is not this meeting's service."""
    from core.venue.addresses import service_port

    return reply_at(service_port(store), store.meta("meeting_uid") or "", path, timeout)


def reply_at(port: int, uid: str, path: str, timeout: float = 0.5) -> dict[str, object] | None:
    """`service_reply` for a thread that holds no store (a console's worker)."""
    import urllib.request  # ~15 ms: only when the service is looked for

    url = f"http://{LOOPBACK}:{port}{path}?meeting={uid}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = json.loads(response.read())
    except (OSError, ValueError):
        return None
    return body if isinstance(body, dict) and body.get("meeting_uid") == uid else None


def phones_tested_at(port: int, uid: str) -> int | None:
    """How many phones opened `/test`, as this meeting's service counts them (None: no
    service of this meeting answers)."""
    reply = reply_at(port, uid, "/test/count")
    count = reply.get("phones_tested") if reply else None
    return count if isinstance(count, int) else None


def port_taken_message(port: int) -> str:
    """Why scoring cannot open on `port`, and how to free it: another meeting's ballot
    service (a rehearsal's, left running: it answers phones with 测评码无效) is named as
    such; anything else is another program."""
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/health", timeout=0.5) as reply:
            sanshu = reply.read(16) == b"ok"
    except (OSError, ValueError):
        sanshu = False
    if sanshu:
        return t("venue.port_other_meeting", port=port)
    return t("venue.port_taken", port=port)


def bind_error(host: str, port: int) -> OSError | None:
    """Why a service could not listen on (host, port) now; None when it could."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc
    return None


def port_free(host: str, port: int) -> bool:
    return bind_error(host, port) is None


def check_venue(
    store: MeetingStore,
    interfaces: Sequence[Interface] | None = None,
    *,
    ask_service: bool = True,
) -> Readiness:
    """The venue's network as it is now. `interfaces`: the seam's list (read now when
    None); `ask_service`: whether to look at the port and the phones tested."""
    found = tuple(read_interfaces() if interfaces is None else interfaces)
    place = where(store, found)
    candidates = choose(found).candidates
    held = place.host is not None and (is_loopback(place.host) or holds(found, place.host))
    blockers: list[str] = []
    warnings: list[str] = []
    listed = addresses_text(candidates)
    if place.source == Source.UNDECIDED:
        blockers.append(t("venue.undecided", addresses=listed, port=place.port))
    elif place.fixed and not held:
        blockers.append(
            t(
                "venue.not_held",
                url=place.url,
                address=place.host,
                addresses=listed or t("venue.no_addresses"),
                port=place.port,
                other=candidates[0].address if candidates else hotspot_address(),
                db=store.path,
            )
        )
    elif place.source == Source.LOOPBACK or (place.host and is_loopback(place.host)):
        warnings.append(t("venue.loopback_only"))
    state, tested = PortState.FREE, None
    if ask_service:
        reply = service_reply(store, "/test/count")
        if reply is not None:
            state = PortState.OURS
            count = reply.get("phones_tested")
            tested = count if isinstance(count, int) else 0
        elif not port_free(LOOPBACK, place.port) or (
            held and place.host is not None and not port_free(place.host, place.port)
        ):
            state = PortState.TAKEN
            blockers.append(port_taken_message(place.port))
    reasons = list(blockers)
    if not blockers:
        if place.host is None or is_loopback(place.host):
            reasons.append(t("venue.reason_loopback"))
        if state != PortState.OURS:
            reasons.append(t("venue.reason_not_serving"))
        elif not tested:
            reasons.append(t("venue.reason_no_phone", url=f"{place.url}/test"))
    return Readiness(
        where=place,
        interfaces=found,
        candidates=candidates,
        holds=held,
        port=state,
        phones_tested=tested,
        blockers=tuple(blockers),
        warnings=tuple(warnings),
        reasons=tuple(reasons),
    )


def hotspot_address(platform: str = sys.platform) -> str:
    """The fixed address of this system's own hotspot: Windows Mobile Hotspot's, or
    NetworkManager's (Linux, 统信UOS, 麒麟). macOS has none fixed: Windows' is shown."""
    return NETWORKMANAGER_HOTSPOT if platform.startswith("linux") else WINDOWS_HOTSPOT


def firewall_hint(port: int, platform: str = sys.platform) -> str:
    """How to let phones through this laptop's firewall to `port`, for its system."""
    if platform.startswith("win"):
        return t("venue.firewall.windows")
    if platform == "darwin":
        return t("venue.firewall.macos")
    return t("venue.firewall.linux", port=port)


def venue_allows_opening(
    store: MeetingStore,
    interfaces: Sequence[Interface] | None = None,
    *,
    ask_service: bool = True,
) -> Readiness:
    """Before scoring opens (`poll open`): StoreError with the ways out when phones
    could not reach this laptop."""
    from core.errors import StoreError

    readiness = check_venue(store, interfaces, ask_service=ask_service)
    if readiness.blockers:
        raise StoreError("\n\n".join(readiness.blockers))
    return readiness


def open_scoring(store: MeetingStore, readiness: Readiness, reason: str = "") -> MeetingState:
    """Open scoring once the venue passed: the address phones use is kept with the
    meeting (the projector and later slips use it) and the connection test ends."""
    from core.meeting.model import Poll
    from core.venue.addresses import keep

    with store.transaction():
        if readiness.where.source in (Source.VENUE, Source.CHOSEN):
            keep(store, readiness.where, "scoring")
        if testing(store):
            set_testing(store, False)
        return store.set_poll(Poll.OPEN, reason)
