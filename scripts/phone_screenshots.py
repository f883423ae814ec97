"""Screenshots of the voter's ballot form on the two smallest common phones
(used for the README and reviews), through Debian's Chromium.

.venv/bin/python scripts/phone_screenshots.py [OUT_DIR]   (default: docs/)

Writes phone-360x640.png (the top of the form: rules and the first card),
phone-375x667.png (mid-ballot: a pinned subject header and the progress bar)
and phone-refused-360x640.png (a refused ballot without JavaScript: every gap
linked at the top).
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
from tests.phone import launch, phone, serving

CATEGORY = "支部书记和支委委员"
LABELS = ("好", "较好", "一般", "好", "较好", "不了解")


def tap(page, field: str, grade: str) -> None:
    page.locator(f"#{field} label").filter(has_text=grade).first.tap()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        store = MeetingStore.create(db, demo_meeting_path().read_text("utf-8"), "demo.toml")
        store.set_poll("open")
        slips = issue_tokens(store, CATEGORY, 3)
        names = field_names(store.meeting)
        items = form_items(store.meeting)
        store.close()
        with serving(db) as base, sync_playwright() as p:
            browser = launch(p)

            page = phone(browser, "360x640")
            page.goto(ballot_url(base, slips[0].token))
            for n, item in enumerate(items[:2]):
                tap(page, names[item], LABELS[n])
            page.evaluate("scrollTo(0, 0)")
            page.screenshot(path=str(out / "phone-360x640.png"))

            page = phone(browser, "375x667")
            page.goto(ballot_url(base, slips[1].token))
            for n, item in enumerate(items[:41]):
                tap(page, names[item], LABELS[n % len(LABELS)])
            page.evaluate(
                "scrollBy(0, document.getElementById('s14c2').getBoundingClientRect().top - 40)"
            )
            page.screenshot(path=str(out / "phone-375x667.png"))

            page = phone(browser, "360x640", javascript=False)
            page.goto(ballot_url(base, slips[2].token))
            for n, item in enumerate(items):
                if n % 9 != 4:
                    tap(page, names[item], LABELS[n % len(LABELS)])
            with page.expect_navigation():
                page.get_by_role("button", name="提交测评票").click()
            page.screenshot(path=str(out / "phone-refused-360x640.png"))
            browser.close()
    for name in ("phone-360x640.png", "phone-375x667.png", "phone-refused-360x640.png"):
        print(out / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
