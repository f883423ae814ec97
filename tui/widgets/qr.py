"""A QR code drawn with half blocks: black on white, as scanners expect."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from core.i18n import t
from core.slips import qr_matrix

_INK = Style(color="black", bgcolor="white")


def qr_text(data: str) -> Text:
    matrix = qr_matrix(data)
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    text = Text(no_wrap=True)
    for top, bottom in zip(matrix[::2], matrix[1::2], strict=True):
        for upper, lower in zip(top, bottom, strict=True):
            char = {(True, True): "█", (True, False): "▀", (False, True): "▄"}.get(
                (upper, lower), " "
            )
            text.append(char, _INK)
        text.append("\n")
    text.rstrip()
    return text


def qr_with_caption(url: str) -> Text:
    """The QR code of the ballot address, with the address spelled out beneath."""
    text = qr_text(url)
    text.append("\n" + t("turnout.scan", url=url))
    return text
