"""A venue network of its own (#18 "Done when"): two network namespaces joined by a
virtual cable, the laptop's hall at 10.42.0.1 (NetworkManager's hotspot address) and a
phone at 10.42.0.23. Slips are printed for 10.42.0.1 on this machine (which does not
hold it), `sanshu serve` runs in the hall and listens there; a real Chromium in the
phone's namespace opens `/test` and reads 连接成功; `sanshu network` says 可以开会 only
then, and the database did not change. Nothing leaves the two namespaces."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import wait_for
from tests.phone import CHROMIUM, CHROMIUM_ARGS
from tui.cli import run

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
HALL_ADDRESS, PHONE_ADDRESS = "10.42.0.1", "10.42.0.23"

PHONE = """
import sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=sys.argv[2], args=sys.argv[3:])
    page = browser.new_page(viewport={"width": 360, "height": 640}, is_mobile=True)
    page.goto(sys.argv[1])
    size = page.eval_on_selector("h1", "e => getComputedStyle(e).fontSize")
    print(page.inner_text("body"))
    print("H1-SIZE", size)
    browser.close()
"""


# The podium's 连通测试 (key c) and then the projector, in the hall, as the room sees them.
CONSOLES = """
import asyncio, sys
from tests.conftest import settle, wait_until
from tui.display import DisplayApp
from tui.host import HostApp
from tui.venue import ConnectionTest

async def main(db):
    host = HostApp(db)
    async with host.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(host.screen, ConnectionTest))
        phones = lambda: str(host.screen.query_one("#test-phones").render())
        await wait_until(pilot, lambda: "已连通 1 台手机" in phones(), what="the podium's count")
        print("PODIUM", phones())
    projector = DisplayApp(db)
    async with projector.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = lambda: str(projector.query_one("#turnout").render())
        await wait_until(pilot, lambda: "已连通 1 台手机" in shown(), what="the projector's")
        print("PROJECTOR", shown(), str(projector.query_one("#phase").render()))

asyncio.run(main(sys.argv[1]))
"""


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture
def venue():
    """(hall, phone): two namespaces on one virtual cable; removed afterwards."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("network namespaces need root and iproute2")
    tag = f"{os.getpid() % 100000}"
    hall, phone = f"sanshu-hall-{tag}", f"sanshu-phone-{tag}"
    ip("netns", "add", hall)
    ip("netns", "add", phone)
    try:
        ip("link", "add", f"sh{tag}a", "type", "veth", "peer", "name", f"sh{tag}b")
        ip("link", "set", f"sh{tag}a", "netns", hall)
        ip("link", "set", f"sh{tag}b", "netns", phone)
        for space, cable, address in ((hall, "a", HALL_ADDRESS), (phone, "b", PHONE_ADDRESS)):
            ip("-n", space, "addr", "add", f"{address}/24", "dev", f"sh{tag}{cable}")
            ip("-n", space, "link", "set", f"sh{tag}{cable}", "up")
            ip("-n", space, "link", "set", "lo", "up")
        yield hall, phone
    finally:
        for space in (hall, phone):
            subprocess.run(["ip", "netns", "del", space], capture_output=True, timeout=30)


def inside(space: str, *command: str, **options) -> list[str]:
    return ["ip", "netns", "exec", space, *command]


def network(space: str, db: Path) -> dict:
    done = subprocess.run(
        inside(space, sys.executable, "-m", "tui", "network", "--db", str(db), "--json"),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    return json.loads(done.stdout)


def dump(db: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return list(conn.iterdump())


def test_a_phone_on_the_hotspot_passes_the_test_and_only_then_the_meeting_may_start(
    venue, demo_db, tmp_path
):
    hall, phone = venue
    slips = tmp_path / "slips.html"
    assert (
        run(["tokens", "--db", str(demo_db), "--out", str(slips), "--address", HALL_ADDRESS]) == 0
    )
    before_serving = network(hall, demo_db)
    assert before_serving["holds_address"] is True and before_serving["ready"] is False
    log = (tmp_path / "serve.log").open("wb")
    service = subprocess.Popen(
        inside(hall, sys.executable, "-m", "tui", "serve", "--db", str(demo_db)),
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    try:
        wait_for(
            lambda: network(hall, demo_db)["port_state"] == "ours",
            what="sanshu serve answering in the hall",
        )
        waiting = network(hall, demo_db)
        assert waiting["ready"] is False and waiting["phones_tested"] == 0
        assert any("连通测试" in reason for reason in waiting["reasons"])
        # This laptop opening its own test page proves nothing about phones.
        subprocess.run(
            inside(hall, sys.executable, "-c",
                   "import urllib.request as u; u.urlopen('http://127.0.0.1:8700/test').read();"
                   f"u.urlopen('http://{HALL_ADDRESS}:8700/test').read()"),
            check=True, timeout=30,
        )  # fmt: skip
        assert network(hall, demo_db)["phones_tested"] == 0
        before = dump(demo_db)
        seen = subprocess.run(
            inside(phone, sys.executable, "-c", PHONE, f"http://{HALL_ADDRESS}:8700/test",
                   CHROMIUM, *CHROMIUM_ARGS),
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
        assert seen.returncode == 0, seen.stderr[-2000:]
        assert "连接成功" in seen.stdout and "市人大常委会机关" in seen.stdout
        size = float(seen.stdout.split("H1-SIZE", 1)[1].strip().removesuffix("px"))
        assert size >= 48  # large type on a 360-pixel phone
        ready = network(hall, demo_db)
        assert ready["phones_tested"] == 1 and ready["ready"] is True
        assert ready["slips_address"] == f"http://{HALL_ADDRESS}:8700"
        shown = subprocess.run(
            inside(hall, sys.executable, "-m", "tui", "network", "--db", str(demo_db)),
            capture_output=True, text=True, cwd=ROOT, timeout=60,
        )  # fmt: skip
        assert shown.returncode == 0 and "可以开会" in shown.stdout and "不可以" not in shown.stdout
        assert "已连通 1 台手机" in shown.stdout
        assert dump(demo_db) == before  # nothing about anyone was stored
        consoles = subprocess.run(
            inside(hall, sys.executable, "-c", CONSOLES, str(demo_db)),
            capture_output=True, text=True, cwd=ROOT, timeout=120,
        )  # fmt: skip
        assert consoles.returncode == 0, consoles.stdout + consoles.stderr[-3000:]
        assert "PODIUM 已连通 1 台手机" in consoles.stdout
        assert "PROJECTOR 已连通 1 台手机 连通测试" in consoles.stdout
    finally:
        service.terminate()
        service.wait(timeout=20)
        log.close()


GREY = """async png => {
    const image = new Image();
    image.src = "data:image/png;base64," + png;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const rgba = context.getImageData(0, 0, image.width, image.height).data;
    let grey = "";
    for (let i = 0; i < rgba.length; i += 4)
        grey += String.fromCharCode((rgba[i] * 299 + rgba[i + 1] * 587 + rgba[i + 2] * 114) / 1000);
    return [image.width, image.height, btoa(grey)];
}"""


def test_the_printed_slip_carries_a_wifi_code_a_phone_camera_reads(tmp_path):
    """The slips as Chromium prints them (A4): ① the Wi-Fi's code and ② the ballot's,
    both read back by a real decoder from the rendered page."""
    import zxingcpp
    from playwright.sync_api import sync_playwright

    from core.ballots.slips import slips_html
    from core.ballots.tokens import Slip
    from tests.test_venue import NAME, WIFI_TEXT

    slip = Slip("A" * 26, "B" * 10, "党组成员")
    html, _ = slips_html(
        "会议", "http://192.168.137.1:8700", [slip], wifi=WIFI_TEXT, wifi_name=NAME
    )
    page_file = tmp_path / "slips.html"
    page_file.write_text(html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 800, "height": 600}, device_scale_factor=2)
        page.goto(page_file.as_uri())
        png = page.locator(".slip").first.screenshot()
        width, height, grey = page.evaluate(GREY, base64.b64encode(png).decode())
        browser.close()
    image = memoryview(base64.b64decode(grey)).cast("B", (height, width))
    found = {code.text for code in zxingcpp.read_barcodes(image)}
    assert found == {WIFI_TEXT, "http://192.168.137.1:8700/v/" + "A" * 26}
