"""The voter's rough edges, in a real phone browser (#22 §6, §7): the Content-Security
Policy lets the pages' own script and style run and nothing injected; a post from
another site's page is refused while the phone's own (WeChat, with and without
JavaScript) goes through; a second tap without JavaScript on a slow network keeps the
receipt; the busy notice has its submit button; 大字 keeps the voter's place;
criterion names are large and dark; a favicon."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import threading

import pytest

from core.ballots.items import form_items
from core.ballots.slips import ballot_url
from core.ballots.tokens import issue_tokens
from core.web.form import field_names
from tests.conftest import wait_for
from tests.phone import choose, holding_the_database, phone, serving, varied_grades

pytestmark = [
    pytest.mark.skipif(
        not shutil.which("chromium") and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (.ci/run installs it)",
    ),
    pytest.mark.browser,
]
CATEGORY = "党员代表"
SIZES = ["360x640", "375x667"]


@pytest.fixture
def server(demo_db, store):
    store.set_poll("open")
    with serving(demo_db) as base:
        yield base


def new_link(server, store) -> str:
    return ballot_url(server, issue_tokens(store, CATEGORY, 1)[0].token)


def ballots(store) -> int:
    return store.db.execute("SELECT count(*) FROM ballots").fetchone()[0]


def stored_receipt(store) -> str:
    return store.db.execute("SELECT receipt FROM receipts").fetchone()[0]


def submit(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="提交测评票").click()


@pytest.mark.slow  # more than ~2 s on a 2-core machine
def test_the_pages_own_script_and_style_run_and_nothing_injected(browser, server, store):
    page = phone(browser, "375x667")
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    link = new_link(server, store)
    page.goto(server + "/")
    page.goto(link)
    assert page.locator("#bar").is_visible()  # the inline script ran (allowed by its hash)
    card = page.locator(".card").first.evaluate("c => getComputedStyle(c).backgroundColor")
    assert card == "rgb(255, 255, 255)"  # the inline style applied
    # Text a page might carry from outside cannot run script: the policy blocks it.
    page.evaluate(
        """document.body.insertAdjacentHTML('beforeend',
             '<img src="/nothing" onerror="window.injected = 1">'
             + '<div id="x"></div>');
           const s = document.createElement('script'); s.textContent = 'window.injected = 2';
           document.body.appendChild(s);"""
    )
    wait_for(
        lambda: page.evaluate("1") and len(refused) >= 2,
        what="the browser to refuse both injected scripts",
    )
    assert page.evaluate("window.injected") is None
    injected = len(refused)
    choose(page, store, dict(list(varied_grades(store).items())[:5]))
    page.evaluate("document.getElementById('ballot').noValidate = true")
    submit(page)  # refused (incomplete): the summary page, with its script
    page.locator("header").get_by_role("button", name="大字").click()
    page.wait_for_load_state()
    choose(page, store, varied_grades(store))
    submit(page)
    assert "提交成功" in page.content()
    page.goto(server + "/v/NO-SUCH-CODE")
    assert refused[injected:] == []  # none of the service's own pages broke the policy
    headers = page.request.get(link).headers
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "'sha256-" in policy and "frame-ancestors 'none'" in policy
    page.context.close()


@pytest.mark.slow  # more than ~2 s on a 2-core machine
@pytest.mark.parametrize("javascript", [True, False])
def test_the_phones_own_post_goes_through_in_wechat(browser, server, store, javascript):
    page = phone(browser, "360x640", javascript=javascript)  # WeChat's user agent
    sent = []
    page.on("request", lambda r: sent.append(r.headers) if r.method == "POST" else None)
    page.goto(new_link(server, store))
    choose(page, store, varied_grades(store))
    submit(page)
    assert "提交成功" in page.content() and ballots(store) == 1
    # What the browser sent is what the service checks: its own origin, same-origin.
    assert sent[-1].get("origin") == server
    page.context.close()


def test_a_post_from_another_sites_page_is_refused(browser, server, store):
    """A page on another site (here http://localhost, the service on 127.0.0.1) that
    posts a ballot with a voter's slip: refused, nothing stored."""
    link = new_link(server, store)
    names = field_names(store.meeting)
    fields = "".join(
        f'<input type="hidden" name="{names[item]}" value="{grade}">'
        for item, grade in varied_grades(store).items()
    )
    evil = server.replace("127.0.0.1", "localhost") + "/prize.html"
    page = phone(browser, "360x640", javascript=False)
    page.route(
        evil,
        lambda route: route.fulfill(
            content_type="text/html; charset=utf-8",
            body=f'<form method="post" action="{link}">{fields}<button>领奖</button></form>',
        ),
    )
    page.goto(evil)
    with page.expect_navigation():
        page.get_by_role("button", name="领奖").click()
    assert "不是来自本测评页面" in page.content()
    assert ballots(store) == 0
    page.context.close()


class SlowThankYou:
    """A slow network between the phone and the service, on loopback: requests pass at
    once, but the answer to a thank-you page (`GET …/done`) is held back until the
    test lets it go. One request per connection (the proxy asks for `close`)."""

    def __init__(self, upstream: str):
        self.upstream = ("127.0.0.1", int(upstream.rsplit(":", 1)[1]))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.held = threading.Event()  # the service has answered a thank-you page
        self.release = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                phone_side, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(phone_side,), daemon=True).start()

    def _one(self, phone_side: socket.socket) -> None:
        with phone_side:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = phone_side.recv(65536)
                if not chunk:
                    return
                request += chunk
            head, _, body = request.partition(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length: *(\d+)", head)
            while length and len(body) < int(length.group(1)):
                body += phone_side.recv(65536)
            head = re.sub(rb"(?i)\r\nconnection:[^\r]*", b"", head) + b"\r\nConnection: close"
            with socket.create_connection(self.upstream) as service:
                service.sendall(head + b"\r\n\r\n" + body)
                answer = b""
                while chunk := service.recv(65536):
                    answer += chunk
            if head.startswith(b"GET ") and b"/done" in head.split(b"\r\n", 1)[0]:
                self.held.set()
                self.release.wait(30)
            with contextlib.suppress(OSError):  # the phone may have given up on it
                phone_side.sendall(answer)

    def close(self) -> None:
        self.release.set()
        self.listener.close()


@pytest.mark.slow  # more than ~2 s on a 2-core machine
def test_without_javascript_a_second_tap_on_a_slow_network_keeps_the_receipt(
    browser, server, store
):
    """The first post is stored and its thank-you page requested (the one-time receipt
    taken), but the network is slow: before that page arrives the voter taps again, and
    the browser drops it for the second post. Nothing on the service ties the ballot
    to the slip: the receipt comes back from this phone's own cookie."""
    network = SlowThankYou(server)
    try:
        page = phone(browser, "375x667", javascript=False)
        page.goto(ballot_url(network.base, issue_tokens(store, CATEGORY, 1)[0].token))
        choose(page, store, varied_grades(store))
        button = page.get_by_role("button", name="提交测评票")
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.click(x, y)  # a finger: no waiting for what the page does next
        wait_for(network.held.is_set, what="the service to answer the thank-you page")
        assert ballots(store) == 1
        page.mouse.click(x, y)  # the second tap: the first page is dropped
        wait_for(
            lambda: "提交成功" in page.content() or "已成功提交" in page.content(),
            what="the answer to the second tap",
        )
        receipt = stored_receipt(store)
        assert f"回执号：{receipt}" in page.content()
        assert ballots(store) == 1
        page.context.close()
    finally:
        network.close()


@pytest.mark.slow  # more than ~2 s on a 2-core machine
@pytest.mark.parametrize("size", SIZES)
def test_the_busy_notice_has_the_submit_button_beside_it(browser, server, store, demo_db, size):
    page = phone(browser, size, javascript=False)
    page.goto(new_link(server, store))
    choose(page, store, varied_grades(store))
    with holding_the_database(demo_db):
        submit(page)
    assert "请稍候再提交" in page.content()
    again = page.get_by_role("button", name="再次提交")
    box = again.bounding_box()
    height = int(size.split("x")[1])
    assert box["y"] + box["height"] < height / 2  # at the top, beside the notice
    with page.expect_navigation():
        again.click()
    assert "提交成功" in page.content() and ballots(store) == 1
    page.context.close()


@pytest.mark.slow  # more than ~2 s on a 2-core machine
@pytest.mark.parametrize("javascript", [False, True])
@pytest.mark.parametrize("size", SIZES)
def test_large_text_keeps_the_voters_place(browser, server, store, javascript, size):
    page = phone(browser, size, javascript=javascript)
    page.goto(new_link(server, store))
    names = field_names(store.meeting)
    item = form_items(store.meeting)[9 * 3 - 2]  # the 9th subject's second criterion
    page.locator(f"#{names[item]} label").filter(has_text="一般").tap()
    page.evaluate(
        f"scrollBy(0, document.getElementById('{names[item]}').getBoundingClientRect().top - 60)"
    )
    with page.expect_navigation():
        page.locator("#s9 .head").get_by_role("button", name="大字").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.className") == "large"
    card = page.locator("#s9").bounding_box()
    height = int(size.split("x")[1])
    assert card["y"] < height / 2 and card["y"] + card["height"] > 0  # still at subject 9
    assert page.locator(f'#{names[item]} input[value="一般"]').is_checked()
    assert page.evaluate("scrollY") > 3 * height  # not back at the top
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_criterion_names_are_large_and_dark_and_there_is_an_icon(browser, server, store, size):
    page = phone(browser, size)
    page.goto(new_link(server, store))
    styles = page.evaluate(
        """[...document.querySelectorAll('.row .label')].map(l => {
             const s = getComputedStyle(l); return [parseFloat(s.fontSize), s.color]; })"""
    )
    assert len(styles) == 63
    for font, color in styles:
        assert font >= 15
        red, green, blue = (int(v) for v in color[4:-1].split(","))
        assert max(red, green, blue) <= 64  # dark: near black on white
    icon = page.request.get(server + "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
    body = icon.body()
    assert body[:4] == b"\x00\x00\x01\x00" and b"PNG" in body[:40] and len(body) < 2000
    assert page.locator('link[rel="icon"]').get_attribute("href") == "/favicon.ico"
    page.context.close()
