"""What a ballot page carries besides its HTML: its style and its small scripts, inline
(one round trip on a venue's weak Wi-Fi), and the Content-Security-Policy that allows
exactly these and nothing else inline; the site's icon.

The policy: everything from the service itself (`'self'`: a page served with its
script and style as files works too), inline script and style only by the hash of
these files' text, no plugins, no `<base>`, forms posting only to the service, no
framing. An injected `<script>` or `onclick=` would not run.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import struct
import zlib
from importlib import resources

from markupsafe import Markup

SCRIPTS = ("ballot.js", "forget.js", "back.js")
STYLES = ("base.css",)


@functools.cache
def _text(name: str) -> str:
    return (resources.files("core.web") / "templates" / name).read_text(encoding="utf-8")


def asset(name: str) -> Markup:
    """A style or script file's text, to place between <style> or <script> tags as it
    is (its hash is in the policy: not one character may change)."""
    if name not in SCRIPTS + STYLES:
        raise KeyError(name)
    return Markup(_text(name))


def _hash(name: str) -> str:
    digest = hashlib.sha256(_text(name).encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@functools.cache
def content_security_policy() -> str:
    scripts = " ".join(_hash(name) for name in SCRIPTS)
    styles = " ".join(_hash(name) for name in STYLES)
    return (
        f"default-src 'self'; script-src 'self' {scripts}; style-src 'self' {styles}; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


# The icon: the meeting's red with three white bars (三), 32 x 32, a PNG inside an .ico
# (every browser since 2010 reads that), made once here rather than kept as a binary file.
ICON_SIZE = 32
_RED = (0xB4, 0x23, 0x2C, 0xFF)
_WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
_CLEAR = (0, 0, 0, 0)


def _pixel(x: int, y: int) -> tuple[int, int, int, int]:
    corner = 6  # rounded corners
    dx = max(corner - x, x - (ICON_SIZE - 1 - corner), 0)
    dy = max(corner - y, y - (ICON_SIZE - 1 - corner), 0)
    if dx * dx + dy * dy > corner * corner:
        return _CLEAR
    bars = ((7, 10, 9, 22), (14, 17, 11, 20), (21, 25, 7, 24))  # (top, bottom, left, right)
    if any(top <= y <= bottom and left <= x <= right for top, bottom, left, right in bars):
        return _WHITE
    return _RED


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + bytes(v for x in range(ICON_SIZE) for v in _pixel(x, y)) for y in range(ICON_SIZE)
    )
    header = struct.pack(">IIBBBBB", ICON_SIZE, ICON_SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


@functools.cache
def favicon() -> bytes:
    png = _png()
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", ICON_SIZE, ICON_SIZE, 0, 0, 1, 32, len(png), 6 + 16)
    return directory + entry + png
