"""Printable A4 sheets of QR slips, one slip per voter token."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from core.i18n import t
from core.meeting.store import MeetingStore
from core.venue.addresses import SLIPS_META, where
from core.venue.interfaces import read_interfaces

if TYPE_CHECKING:
    from core.ballots.tokens import Slip

# qrcode, jinja2 and core.ballots are imported where they are used: the podium's
# first frame needs only `ballot_address` from here (#14 §2).

SLIPS_PER_PAGE = 10  # 2 columns x 5 rows on A4


def ballot_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/v/{token}"


def ballot_address(store: MeetingStore) -> str:
    """Where voters go: the base URL the slips were printed with (kept with the meeting
    from then on), else the meeting file's address or this laptop's only real one."""
    return store.meta(SLIPS_META) or where(store, read_interfaces()).url


def qr_svg(data: str) -> str:
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    svg: str = image.to_string(encoding="unicode")  # qrcode has no types
    return svg


def qr_matrix(data: str) -> list[list[bool]]:
    import qrcode

    code = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(data)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()  # qrcode has no types
    return matrix


def slips_html(
    title: str,
    base: str,
    slips: Sequence[Slip],
    progress: Callable[[int], None] | None = None,
    wifi: str | None = None,
    wifi_name: str = "",
    wifi_password: str = "",
) -> tuple[str, int]:
    """The HTML sheet and its number of pages.

    Each voter category starts on a new page with its name in the page header,
    so the office hands out a category's stack without sorting slips. With the
    venue's Wi-Fi (`wifi`, its `WIFI:` QR text) every slip carries two codes:
    ① join the venue's Wi-Fi, ② scan to vote, and a line for Android phones.
    """
    import jinja2

    from core.ballots.tokens import pretty_code

    by_category: dict[str, list[dict[str, str]]] = {}
    for slip in slips:
        url = ballot_url(base, slip.token)
        by_category.setdefault(slip.category, []).append(
            {
                "qr": qr_svg(url),
                "url": url,
                "code": pretty_code(slip.code),
                "category": slip.category,
            }
        )
        if progress:
            progress(1)
    pages = []
    for category, rendered in by_category.items():
        chunks = [rendered[i : i + SLIPS_PER_PAGE] for i in range(0, len(rendered), SLIPS_PER_PAGE)]
        for number, chunk in enumerate(chunks, 1):
            header = t("slips.page", category=category, page=number, pages=len(chunks))
            pages.append({"header": header, "slips": chunk})
    env = jinja2.Environment(loader=jinja2.PackageLoader("core.web", "templates"), autoescape=True)
    html = env.get_template("slips.html").render(
        t=t,
        title=title,
        base=base,
        pages=pages,
        wifi_qr=qr_svg(wifi) if wifi else None,  # the same on every slip: drawn once
        wifi_name=wifi_name,
        wifi_password=wifi_password,  # for a phone that cannot scan a Wi-Fi code
    )
    return html, len(pages)
