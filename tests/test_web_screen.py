"""The projector's view as a web page (#19, "beyond the terminal"): nothing without the
key; in Debian's Chromium at 1920x1080 it follows the meeting as `sanshu display` does
(phase, subject, clock, the question, the QR code and turnout only while scoring is
open, results once the host shows them, black when blanked)."""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.request

import pytest

from core.ballots.demo import fill_demo_ballots
from core.record.entries import Record
from core.web.screen import new_key, screen_state
from tests.conftest import wait_for
from tests.phone import launch, serving


def until_true(page, expression: str) -> None:
    """Wait until `expression` holds in the page, looking from this side: the page's
    Content-Security-Policy (no eval) refuses Playwright's own polling in the page."""
    wait_for(lambda: page.evaluate(expression), what=expression)


URL = "http://192.168.137.1:8700"


def get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read(4096).decode(), dict(answer.headers)
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode(), dict(refused.headers)


def test_the_state_shows_nothing_before_the_host_does(store, clock):
    store.set_meta("base_url", URL)
    shown = screen_state(store)
    assert shown["phase"] == "述职" and shown["subject"] == "法工委" and shown["clock"]
    assert not shown["qr"] and shown["results"] is None and shown["turnout"] is None
    store.move(12)
    shown = screen_state(store)
    assert not shown["qr"] and shown["note"] == "测评尚未开始"
    store.set_poll("open")
    shown = screen_state(store)
    assert shown["qr"] and shown["address"] == URL and shown["turnout"]
    store.set_poll("closed")
    shown = screen_state(store)
    assert not shown["qr"] and shown["results"] is None  # closed, not yet shown
    assert "已结束" in shown["turnout"]["status"]
    store.move(1)
    assert screen_state(store)["results"]["rows"]  # the host moved to 结果


def test_without_the_key_there_is_nothing(demo_db, store):
    key = new_key(store)
    with serving(demo_db) as base:
        for path in ("/screen", "/screen?key=wrong", "/screen/events", "/screen/qr.svg?key=x"):
            status, text, _ = get(base + path)
            assert status == 404, path
            assert store.meeting.title not in text and "法工委" not in text
        status, text, _ = get(f"{base}/screen?key={key}")
        assert status == 200 and store.meeting.title in text
        # Script and style are files of the service: nothing inline for a strict CSP.
        assert "<script>" not in text and "style=" not in text and "<style" not in text
        assert get(f"{base}/screen/static/screen.js")[0] == 200
        new_key(store)  # a new key: the old address stops working
        assert get(f"{base}/screen?key={key}")[0] == 404


@pytest.mark.parametrize("_", [None], ids=["1920x1080"])
@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(
    not shutil.which("chromium") and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)
def test_a_big_screens_browser_mirrors_the_projector(demo_db, tmp_path, _):
    from playwright.sync_api import sync_playwright

    from core.meeting.store import MeetingStore

    store = MeetingStore(demo_db)  # the service's clock is the real one: so is the podium's
    store.set_meta("base_url", URL)
    store.toggle_timer()
    key = new_key(store)
    with serving(demo_db) as base, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{base}/screen?key={key}")
        until_true(page, "document.getElementById('phase').textContent.includes('法工委')")
        assert page.inner_text("#phase") == "述职 · 法工委"
        assert page.inner_text("#unit") == "法制工作委员会"
        # 8:00 counting down from the stored start: 7:5x a moment later.
        until_true(page, "/^7:5[0-9]$/.test(document.getElementById('digits').textContent)")
        height = page.eval_on_selector("#digits", "e => e.getBoundingClientRect().height")
        assert height > 250  # the clock fills the screen: a third of 1080 px
        page.screenshot(path=str(tmp_path / "report.png"))

        store.move(2)  # 询问, a question being asked
        record = Record(store)
        record.mark_asking(record.add_question("法工委", "高天庚", "如何推动党建与业务深度融合？"))
        until_true(page, "!document.getElementById('asking').hidden")
        assert "正在询问 · 高天庚" in page.inner_text("#asking")
        assert page.is_hidden("#qr-column")

        store.move(10)  # 测评, not open: no code
        until_true(page, "document.getElementById('note').textContent.includes('测评尚未开始')")
        assert page.is_hidden("#qr-column")
        store.set_poll("open")
        until_true(page, "!document.getElementById('qr-column').hidden")
        until_true(page, "document.getElementById('qr').naturalWidth > 0")
        box = page.eval_on_selector("#qr", "e => e.getBoundingClientRect().height")
        assert box > 500  # as large as the screen allows
        assert page.inner_text("#address") == URL
        assert "已提交 0/72" in page.inner_text("#turnout")
        page.screenshot(path=str(tmp_path / "scoring.png"))

        store.set_projector_blank(True)
        until_true(page, "document.body.classList.contains('blank')")
        assert page.is_hidden("#phase") or not page.locator("#phase").is_visible()
        store.set_projector_blank(False)

        fill_demo_ballots(store)  # 72 ballots; it closes scoring
        store.move(1)  # 结果: the host shows them
        until_true(page, "!document.getElementById('results').hidden")
        rows = page.locator("#results tbody tr")
        assert rows.count() == len(store.meeting.subjects)
        assert rows.last.is_visible() and rows.first.bounding_box()["height"] > 20
        assert rows.last.bounding_box()["y"] < 1080  # every subject on the one screen
        page.screenshot(path=str(tmp_path / "results.png"))
        browser.close()
    store.close()
