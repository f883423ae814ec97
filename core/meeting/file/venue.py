"""The [venue] section: the venue's network (every field optional).

[venue]
address = "192.168.137.1"        # the laptop's address the slips carry (its hotspot)
port = 8700
wifi_name = "会议室"              # the Wi-Fi phones join: a QR code for it goes on
wifi_password = "12345678"       # the slips and the projector
security = "WPA"                 # WPA (WPA2/WPA3 too), WEP, or "nopass" (open)
hidden = false                   # a network that does not broadcast its name

Without `address` the slips carry the address chosen when they are printed
(`sanshu tokens --address`, or this laptop's only real one).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from core.i18n import t
from core.meeting.file.fields import FieldReader, _join
from core.meeting.file.values import _shown
from core.meeting.model import VenueNetwork

SECURITIES = ("WPA", "WEP", "nopass")
MAX_SSID_BYTES = 32  # IEEE 802.11
WPA_PASSWORD = (8, 63)  # characters of a WPA passphrase
LOWEST_PORT = 1024  # below it a service needs administrator rights


class VenueReader(FieldReader):
    def venue_network(self, value: Any) -> VenueNetwork:
        path = "venue"
        table = self.table(
            value, path, ("address", "port", "wifi_name", "wifi_password", "security", "hidden")
        )
        address = self._address(table, path)
        port = self.field(table, path, "port", int, None)
        if port is not None and not LOWEST_PORT <= port <= 65535:
            self.fail(
                _join(path, "port"), t("err.number_range", low=LOWEST_PORT, high=65535, got=port)
            )
            port = None
        name = self.field(table, path, "wifi_name", str, "") or ""
        if len(name.encode("utf-8")) > MAX_SSID_BYTES:
            self.fail(_join(path, "wifi_name"), t("err.wifi_name_long", most=MAX_SSID_BYTES))
        password = self.field(table, path, "wifi_password", str, "") or ""
        default = "WPA" if password else "nopass"
        security = self.choice(table, path, "security", SECURITIES, default)
        if password and not name:
            self.fail(_join(path, "wifi_name"), t("err.wifi_name_missing"))
        if security == "nopass" and password:
            self.fail(_join(path, "wifi_password"), t("err.wifi_password_open"))
        elif security != "nopass" and name and not password:
            self.fail(_join(path, "wifi_password"), t("err.wifi_password_missing"))
        low, high = WPA_PASSWORD
        if security == "WPA" and password and not low <= len(password) <= high:
            self.fail(_join(path, "wifi_password"), t("err.wifi_password_length"))
        hidden = self.field(table, path, "hidden", bool, False)
        return VenueNetwork(
            address=address,
            port=port,
            wifi_name=name,
            wifi_password=password,
            security=security,
            hidden=bool(hidden),
        )

    def _address(self, table: dict[str, Any], path: str) -> str | None:
        text = self.field(table, path, "address", str, None)
        if text is None:
            return None
        try:
            ip = ipaddress.IPv4Address(text.strip()) if len(text) <= 15 else None
        except ValueError:
            ip = None
        if ip is None or ip.is_loopback or ip.is_unspecified or ip.is_multicast:
            self.fail(_join(path, "address"), t("err.venue_address", got=_shown(text)))
            return None
        return str(ip)
