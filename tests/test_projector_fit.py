"""The projector at any size (#19 §3, §5): resized while scoring is open, from a zoomed
64x18 up to 240x67 and back, it lays itself out again each time; the QR code drawn in
its cells decodes (a real decoder, zxing-cpp), whole and on screen, with the clock,
the address and the turnout beside it."""

from __future__ import annotations

import pytest
import zxingcpp
from rich.segment import Segment
from textual.geometry import Region

from tests.conftest import settle, wait_until
from tui.display import DisplayApp
from tui.widgets.qr import fit_scale, qr_size

URL = "http://192.168.137.1:8700"  # a hotspot's address, as printed on the slips
# Zoomed projector, laptop, big terminals, an LED wall's 240x67, then back down.
SIZES = [(64, 18), (80, 24), (100, 30), (120, 40), (160, 48), (200, 60), (240, 67), (64, 18)]
MARGIN = 6  # dark pixels round the code: what surrounds it on the screen


def luminance(colour) -> float:
    red, green, blue = colour.get_truecolor()
    return 0.299 * red + 0.587 * green + 0.114 * blue


def pixels(segment: Segment) -> list[tuple[bool, bool]]:
    """Each cell of a segment as (top half dark, bottom half dark)."""
    style = segment.style
    fg = style.color is not None and luminance(style.color) < 128
    bg = style.bgcolor is None or luminance(style.bgcolor) < 128  # the screen is dark
    halves = {"█": (fg, fg), "▀": (fg, bg), "▄": (bg, fg)}
    return [halves.get(char, (bg, bg)) for char in segment.text]


def image_of(widget, zoom: int = 4) -> memoryview:
    """The widget's cells as the screen shows them: a grey image, one module a square
    of `zoom` pixels (a cell is one module wide and two tall), dark all round."""
    width, height = widget.size
    rows: list[list[bool]] = []
    for strip in widget.render_lines(Region(0, 0, width, height)):
        cells = [cell for segment in strip for cell in pixels(segment)]
        assert len(cells) == width
        rows.append([top for top, _ in cells])
        rows.append([bottom for _, bottom in cells])
    dark = [[True] * (width + 2 * MARGIN) for _ in range(MARGIN)]
    rows = dark + [[True] * MARGIN + row + [True] * MARGIN for row in rows] + dark
    data = bytearray()
    for row in rows:
        line = bytes(0 if is_dark else 255 for is_dark in row for _ in range(zoom))
        data += line * zoom
    return memoryview(bytes(data)).cast("B", (len(rows) * zoom, len(rows[0]) * zoom))


def inside(region: Region, outer: Region) -> bool:
    return region.area > 0 and outer.contains_region(region)


async def test_the_qr_code_decodes_at_every_size_as_the_projector_is_resized(demo_db, clock, store):
    store.set_meta("base_url", URL)
    store.move(12)
    store.set_poll("open")
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        scales = []
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            scale = fit_scale(URL, width // 2 - 2, height - 3)
            columns, rows = qr_size(URL, scale)
            qr = app.query_one("#qr")
            await wait_until(
                pilot,
                lambda: tuple(qr.size) == (columns, rows),  # noqa: B023
                what=f"the code drawn for {width}x{height}",
            )
            screen = app.screen.region
            assert inside(qr.region, screen), (width, height)
            found = zxingcpp.read_barcodes(image_of(qr))
            assert [code.text for code in found] == [URL], (width, height)
            for beside in ("#address", "#timer", "#turnout", "#phase"):
                assert inside(app.query_one(beside).region, screen), (beside, width, height)
            assert not qr.region.overlaps(app.query_one("#timer").region)
            scales.append(scale)
        assert scales[0] == 1 and max(scales) >= 3  # a big screen gets a big code


@pytest.mark.parametrize("size", [(64, 18), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_no_code_before_scoring_opens_or_after_it_closes(demo_db, clock, store, size):
    """Phones get 尚未开始 before and 已结束 after: the room never sees a code then."""
    store.set_meta("base_url", URL)
    store.move(12)
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert not app.query_one("#qr-column").display
        assert "测评尚未开始" in str(app.query_one("#stage-note").render())
        store.set_poll("open")
        await settle(pilot)
        assert app.query_one("#qr-column").display
        store.set_poll("closed")
        await settle(pilot)
        assert not app.query_one("#qr-column").display
        assert "测评已结束" in str(app.query_one("#turnout").render())
        assert "扫码" not in str(app.query_one("#turnout").render())


async def test_the_podium_suggests_a_larger_font_once_for_a_wide_projector(demo_db, clock, store):
    """#19 §5: beyond about 100 columns a projector's letters are too small for the back
    row; the podium (not the audience) says so, once."""
    from tui.host import HostApp

    projector = DisplayApp(demo_db, clock=clock)
    async with projector.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: store.meta("projector_size") == "200x60")
    host = HostApp(demo_db, clock=clock, manage_service=False)
    async with host.run_test(size=(120, 32)) as pilot:
        said: list[str] = []
        shown = host.notify
        host.notify = lambda message, *a, **k: (said.append(str(message)), shown(message, *a, **k))
        store.set_meta("projector_size", "200x61")  # the projector tells its size again
        await wait_until(pilot, lambda: said, what="the hint")
        assert said == [next(n for n in said if "200×61" in n and "放大" in n)]
        store.set_meta("projector_size", "210x61")
        await settle(pilot)
        assert len(said) == 1  # once


async def test_the_clock_of_scoring_says_what_opens_it_and_that_it_closed(demo_db, clock, store):
    """测评's clock starts with v, not Space: the podium says so before scoring opens;
    once closed both screens say 测评已结束, never a clock 已暂停."""
    from tui.host import HostApp

    store.set_meta("base_url", URL)
    store.move(12)
    host = HostApp(demo_db, clock=clock, manage_service=False)
    async with host.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert str(host.query_one("#timer-note").render()) == "未开始 · 按 v 开始测评"
    store.set_poll("open")  # starts the clock
    store.set_poll("closed")  # stops it
    for app, size in (
        (HostApp(demo_db, clock=clock, manage_service=False), (80, 24)),
        (DisplayApp(demo_db, clock=clock), (64, 18)),
    ):
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            note = app.query_one("#timer-note")
            assert note.display and str(note.render()) == "测评已结束", type(app).__name__
