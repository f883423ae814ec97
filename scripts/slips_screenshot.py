"""A screenshot of the printed slips (the README and docs/venue.md), through Debian's
Chromium: the demo meeting with a `[venue]` Wi-Fi, slips printed for the Windows
hotspot's address by `sanshu tokens`, the top of the first A4 page as print shows it.

.venv/bin/python scripts/slips_screenshot.py [OUT_DIR]   (default: docs/)

Writes slips.png; with --plain also slips-plain.png, the same slips without the
Wi-Fi (to compare, not committed).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright

from tests.phone import CHROMIUM, CHROMIUM_ARGS

VENUE = """
[venue]
address = "192.168.137.1"
wifi_name = "人大机关会议室"
wifi_password = "rd2024;hy"
"""
SANSHU = Path(sys.executable).with_name("sanshu")


def print_slips(folder: Path, venue: str) -> Path:
    meeting = folder / "meeting.toml"
    demo = (ROOT / "data" / "demo-meeting.toml").read_text(encoding="utf-8")
    meeting.write_text(demo + venue, encoding="utf-8")
    db, out = folder / "m.db", folder / "slips.html"
    subprocess.run([SANSHU, "init", meeting, "--db", db], check=True, capture_output=True)
    subprocess.run([SANSHU, "tokens", "--db", db, "--out", out], check=True, capture_output=True)
    return out


def shoot(browser, slips: Path, out: Path) -> None:
    page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    page.goto(slips.as_uri())
    box = page.locator(".slip").nth(3).bounding_box()  # the first two rows of slips
    size = {"width": box["x"] + box["width"] + 8, "height": box["y"] + box["height"] + 8}
    page.screenshot(path=str(out), clip={"x": 0, "y": 0, **size})
    page.close()


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out_dir = Path(args[0]) if args else ROOT / "docs"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        wifi = Path(tmp, "wifi")
        wifi.mkdir()
        shoot(browser, print_slips(wifi, VENUE), out_dir / "slips.png")
        if "--plain" in sys.argv:
            plain = Path(tmp, "plain")
            plain.mkdir()
            venue = VENUE.split("wifi_name")[0]  # the same address, no Wi-Fi
            shoot(browser, print_slips(plain, venue), out_dir / "slips-plain.png")
        browser.close()
    print(out_dir / "slips.png")


if __name__ == "__main__":
    main()
