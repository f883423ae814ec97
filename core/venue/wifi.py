"""The venue's Wi-Fi as a QR code phones join from (iOS 11+, Android 10+ cameras).

The de-facto standard (ZXing's): `WIFI:T:WPA;S:<name>;P:<password>;H:true;;`, where
`\\ ; , : "` inside a name or a password are escaped with a backslash.
"""

from __future__ import annotations

from core.meeting.model import VenueNetwork

_SPECIAL = '\\;,:"'  # the backslash first, so the escapes added are not escaped again


def escape(text: str) -> str:
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text


def wifi_qr_text(network: VenueNetwork) -> str | None:
    """The QR code's text for the meeting's Wi-Fi; None when `[venue]` names none."""
    if not network.wifi_name:
        return None
    parts = [f"T:{network.security}", f"S:{escape(network.wifi_name)}"]
    if network.wifi_password and network.security != "nopass":
        parts.append(f"P:{escape(network.wifi_password)}")
    if network.hidden:
        parts.append("H:true")
    return "WIFI:" + ";".join(parts) + ";;"
