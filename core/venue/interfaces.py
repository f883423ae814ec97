"""This laptop's network interfaces, and which one phones can reach.

The interfaces are read with `ifaddr` (getifaddrs on Linux and macOS, the adapter
list on Windows) behind one seam, `read_interfaces`; every other function takes the
list, so tests feed it lists of their own. Each address is marked: loopback,
link-local (169.254/16: no DHCP answered), virtual (VirtualBox, Hyper-V, VMware,
Docker, WSL, libvirt …) or VPN (a tunnel phones are not on) are never chosen; the
laptop's own hotspot (Windows 192.168.137.1, NetworkManager's 10.42.0.1, macOS's
Internet Sharing bridge) is a real network, whatever its driver is called. When more
than one real address remains, nothing is guessed: the caller asks the organiser.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    REAL = "real"  # Wi-Fi or Ethernet: phones on that network can reach it
    HOTSPOT = "hotspot"  # this laptop's own hotspot: the address the slips usually carry
    LOOPBACK = "loopback"
    LINK_LOCAL = "link_local"
    VIRTUAL = "virtual"
    VPN = "vpn"


CANDIDATE_KINDS = (Kind.REAL, Kind.HOTSPOT)

# The fixed addresses of a laptop's own hotspot (docs/venue.md).
WINDOWS_HOTSPOT = "192.168.137.1"  # Mobile Hotspot / Internet Connection Sharing
NETWORKMANAGER_HOTSPOT = "10.42.0.1"  # Linux, 统信UOS and 麒麟 included
HOTSPOT_ADDRESSES = frozenset({WINDOWS_HOTSPOT, NETWORKMANAGER_HOTSPOT})

# Adapter names and descriptions, lower-cased, as the systems spell them.
_VIRTUAL = re.compile(
    r"virtualbox|vboxnet|vmware|vmnet|hyper-v|vethernet|\bwsl|docker|^br-[0-9a-f]{6,}|^veth"
    r"|virbr|lxcbr|lxdbr|podman|cni\d|flannel|kube|vnic|parallels|^vnet\d|npcap loopback"
    r"|virtual ethernet|bluetooth|^anpi\d|^awdl\d|^llw\d|^ap\d"
)
_VPN = re.compile(
    r"vpn|^tun\d|^tap\d|tap-windows|^utun\d|^ppp\d|^ipsec|^wg\d|wireguard|tailscale"
    r"|zerotier|^zt[0-9a-z]{6,}|hamachi|anyconnect|fortinet|forticlient|sangfor|easyconnect"
    r"|openvpn|^gpd\d|globalprotect|pangp|juniper|pulse secure|wintun|teredo|isatap"
)
# macOS's Internet Sharing puts its clients on bridge100 (bridge101 …).
_MAC_SHARING = re.compile(r"^bridge1\d\d$")


@dataclass(frozen=True)
class Interface:
    """One IPv4 address of one adapter, as the organiser would recognise it."""

    name: str  # the adapter's name as the system shows it: WLAN, 以太网, wlp2s0, en0
    address: str
    prefix: int = 24
    description: str = ""  # Windows: the driver's description (VirtualBox Host-Only …)
    kind: Kind = Kind.REAL

    @property
    def candidate(self) -> bool:
        return self.kind in CANDIDATE_KINDS


def classify(name: str, address: str, description: str = "") -> Kind:
    """What kind of network an adapter's address is on (see the module's docstring)."""
    ip = ipaddress.ip_address(address)
    if ip.is_loopback:
        return Kind.LOOPBACK
    if ip.is_link_local:
        return Kind.LINK_LOCAL
    words = f"{name}\n{description}".lower()
    if address in HOTSPOT_ADDRESSES or _MAC_SHARING.match(name):
        # Windows's hotspot runs on "Microsoft Wi-Fi Direct Virtual Adapter": virtual by
        # name, yet the very network phones join. A VPN never hands out these addresses.
        return Kind.HOTSPOT
    if any(_VPN.search(line) for line in words.splitlines()):
        return Kind.VPN
    if any(_VIRTUAL.search(line) for line in words.splitlines()):
        return Kind.VIRTUAL
    return Kind.REAL


def interface(name: str, address: str, prefix: int = 24, description: str = "") -> Interface:
    """An address, marked (how the seam and the tests make one)."""
    return Interface(name, address, prefix, description, classify(name, address, description))


def read_interfaces() -> list[Interface]:
    """This laptop's IPv4 addresses now, each with its adapter's name: the one seam
    through which the venue's network is read (tests pass their own lists instead)."""
    import ifaddr  # only when the network is looked at

    found: list[Interface] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if not isinstance(ip.ip, str):  # IPv6 (a tuple): phones use the IPv4 address
                continue
            # Windows: the adapter's name is a GUID, its nice_name the driver's
            # description; the address's nice_name is the name the user sees (WLAN).
            shown = ip.nice_name if ip.nice_name and ip.nice_name != adapter.name else ""
            name = shown or adapter.nice_name or adapter.name
            description = adapter.nice_name if adapter.nice_name != name else ""
            found.append(interface(name, ip.ip, int(ip.network_prefix), description))
    return found


@dataclass(frozen=True)
class Choice:
    """The address phones should use, or why none could be picked."""

    address: str | None  # None: nothing to choose (only loopback …) or several to choose from
    candidates: tuple[Interface, ...]  # the real addresses, hotspot first

    @property
    def ambiguous(self) -> bool:
        return self.address is None and len(self.candidates) > 1


def choose(interfaces: Sequence[Interface]) -> Choice:
    """The only real address, else nothing: several are listed for the organiser to
    choose from (never guessed), none means phones cannot reach this laptop."""
    seen: dict[str, Interface] = {}
    for one in interfaces:
        if one.candidate and one.address not in seen:
            seen[one.address] = one
    candidates = tuple(sorted(seen.values(), key=lambda i: i.kind != Kind.HOTSPOT))
    address = candidates[0].address if len(candidates) == 1 else None
    return Choice(address, candidates)


def holds(interfaces: Sequence[Interface], address: str) -> bool:
    """Whether this laptop has `address` on one of its adapters now."""
    return any(one.address == address for one in interfaces)


def addresses_text(interfaces: Sequence[Interface]) -> str:
    """One line per address, as the organiser reads it: `192.168.137.1（本地连接* 2）`."""
    from core.i18n import t

    return "\n".join(t("venue.interface", address=i.address, name=i.name) for i in interfaces)
