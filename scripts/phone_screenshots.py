"""Screenshots of the voter's ballot form on the two smallest common phones
(used for the README and reviews), through Debian's Chromium.

.venv/bin/python scripts/phone_screenshots.py [OUT_DIR]   (default: docs/)

Writes
- phone-360x640.png: the top of the form (rules and the first card);
- phone-375x667.png: mid-ballot, a pinned subject header and the progress bar;
- phone-refused-360x640.png: a refused ballot without JavaScript, the summary of
  what is missing (one line per subject) at the top;
- phone-busy-375x667.png: the busy page (another program holds the database)
  without JavaScript, the submit button beside the notice;
- phone-large-360x640.png: after 大字 mid-ballot without JavaScript, back at the
  card the voter was on;
and with --all, the same pages at the other size and with JavaScript on or off,
under OUT_DIR/all/ (to look at, not committed).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright
from sanshu_data import demo_meeting_path

from core.ballots.items import form_items
from core.ballots.slips import ballot_url
from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from core.web.form import field_names
from tests.phone import PHONES, holding_the_database, launch, phone, serving

CATEGORY = "支部书记和支委委员"
LABELS = ("好", "较好", "一般", "好", "较好", "不了解")


def tap(page, field: str, grade: str) -> None:
    page.locator(f"#{field} label").filter(has_text=grade).first.tap()


def scroll_to(page, row: str) -> None:
    """The row just under the top of the screen, as a voter scrolling down leaves it."""
    page.evaluate(f"scrollBy(0, document.getElementById('{row}').getBoundingClientRect().top - 40)")


def submit(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="提交测评票").click()


class Shots:
    def __init__(self, browser, base: str, slips: list, names: dict, items: tuple, db: Path):
        self.browser, self.base, self.slips = browser, base, slips
        self.names, self.items, self.db = names, items, db

    def _page(self, size: str, javascript: bool):
        page = phone(self.browser, size, javascript=javascript)
        page.goto(ballot_url(self.base, self.slips.pop().token))
        return page

    def top(self, path: Path, size: str, javascript: bool) -> None:
        page = self._page(size, javascript)
        for n, item in enumerate(self.items[:2]):
            tap(page, self.names[item], LABELS[n])
        page.evaluate("scrollTo(0, 0)")
        page.screenshot(path=str(path))

    def middle(self, path: Path, size: str, javascript: bool) -> None:
        page = self._page(size, javascript)
        for n, item in enumerate(self.items[:41]):
            tap(page, self.names[item], LABELS[n % len(LABELS)])
        page.evaluate(
            "scrollBy(0, document.getElementById('s14c2').getBoundingClientRect().top - 40)"
        )
        page.screenshot(path=str(path))

    def refused(self, path: Path, size: str, javascript: bool) -> None:
        page = self._page(size, javascript)
        for n, item in enumerate(self.items):
            if n % 9 != 4 and n < 40:  # 7 gaps in the first 40, nothing after
                tap(page, self.names[item], LABELS[n % len(LABELS)])
        if javascript:  # past the phone's own check of nothing: the server refuses
            page.evaluate("document.getElementById('ballot').noValidate = true")
        submit(page)
        page.screenshot(path=str(path))

    def busy(self, path: Path, size: str, javascript: bool) -> None:
        page = self._page(size, javascript)
        for n, item in enumerate(self.items):
            tap(page, self.names[item], LABELS[n % len(LABELS)])
        with holding_the_database(self.db):
            submit(page)
        page.screenshot(path=str(path))

    def large(self, path: Path, size: str, javascript: bool) -> None:
        page = self._page(size, javascript)
        for n, item in enumerate(self.items[:30]):
            tap(page, self.names[item], LABELS[n % len(LABELS)])
        page.evaluate(
            "scrollBy(0, document.getElementById('s9c2').getBoundingClientRect().top - 40)"
        )
        with page.expect_navigation():
            page.locator("#s9 .head button.size").click()
        page.wait_for_load_state()
        page.screenshot(path=str(path))


def main(out: Path, every: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        store = MeetingStore.create(db, demo_meeting_path().read_text("utf-8"), "demo.toml")
        store.set_poll("open")
        slips = issue_tokens(store, CATEGORY, 60)
        names = field_names(store.meeting)
        items = form_items(store.meeting)
        store.close()
        written = []
        with serving(db) as base, sync_playwright() as p:
            browser = launch(p)
            shots = Shots(browser, base, slips, names, items, db)
            for name, shot, size, javascript in [
                ("phone-360x640.png", shots.top, "360x640", True),
                ("phone-375x667.png", shots.middle, "375x667", True),
                ("phone-refused-360x640.png", shots.refused, "360x640", False),
                ("phone-busy-375x667.png", shots.busy, "375x667", False),
                ("phone-large-360x640.png", shots.large, "360x640", False),
            ]:
                shot(out / name, size, javascript)
                written.append(out / name)
            if every:
                (out / "all").mkdir(exist_ok=True)
                for kind in ("top", "middle", "refused", "busy", "large"):
                    for size in PHONES:
                        for javascript in (True, False):
                            path = (
                                out / "all" / f"{kind}-{size}-{'js' if javascript else 'nojs'}.png"
                            )
                            getattr(shots, kind)(path, size, javascript)
                            written.append(path)
            browser.close()
    for path in written:
        print(path)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--all"]
    main(Path(args[0]) if args else ROOT / "docs", "--all" in sys.argv[1:])
