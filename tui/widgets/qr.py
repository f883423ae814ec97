"""A QR code drawn with half blocks: black on white, as scanners expect.

A terminal cell is about twice as tall as it is wide, so a module one cell wide
and half a cell tall is square; `scale` k draws each module k cells wide and k
half-cells tall (still square), so a projector can show it as large as it fits.
"""

from __future__ import annotations

from functools import lru_cache

from rich.style import Style
from rich.text import Text

from core.ballots.slips import qr_matrix
from core.i18n import t

_INK = Style(color="#000000", bgcolor="#ffffff")  # pure: "white" is grey in 256 colours
QUIET = 1  # white modules added around qrcode's border of one


@lru_cache(maxsize=8)
def _matrix(data: str, quiet: int = QUIET) -> tuple[tuple[bool, ...], ...]:
    """The code's modules with `quiet` more white modules all round than qrcode's own
    border of one, computed once per address (the screen redraws often). Scanners
    want a white margin: beside it the screen is dark."""
    rows = [[False] * quiet + list(row) + [False] * quiet for row in qr_matrix(data)]
    blank = [False] * len(rows[0])
    return tuple(tuple(row) for row in [blank] * quiet + rows + [blank] * quiet)


def qr_size(data: str, scale: int = 1) -> tuple[int, int]:
    """Columns and rows `qr_text(data, scale)` takes."""
    modules = len(_matrix(data))
    return modules * scale, -(-modules * scale // 2)


def fit_scale(data: str, columns: int, rows: int, largest: int = 8) -> int:
    """The largest scale whose code fits in columns x rows; 0 when none does."""
    for scale in range(largest, 0, -1):
        width, height = qr_size(data, scale)
        if width <= columns and height <= rows:
            return scale
    return 0


def qr_text(data: str, scale: int = 1) -> Text:
    return _qr_text(data, scale).copy()


@lru_cache(maxsize=8)
def _qr_text(data: str, scale: int) -> Text:
    """Drawn once per address and size: a console redraws on every change."""
    matrix = [
        [cell for cell in row for _ in range(scale)] for row in _matrix(data) for _ in range(scale)
    ]
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    text = Text(no_wrap=True)
    for number, (top, bottom) in enumerate(zip(matrix[::2], matrix[1::2], strict=True)):
        if number:
            text.append("\n")
        for upper, lower in zip(top, bottom, strict=True):
            char = {(True, True): "█", (True, False): "▀", (False, True): "▄"}.get(
                (upper, lower), " "
            )
            text.append(char, _INK)
    return text  # never rstrip: trailing white modules are spaces, and part of the code


def qr_with_caption(url: str) -> Text:
    """The QR code of the ballot address, with the address spelled out beneath."""
    text = qr_text(url)
    text.append("\n" + t("turnout.scan", url=url))
    return text
