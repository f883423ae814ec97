"""A voter's phone, for real: headless Chromium against `sanshu serve`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from core.ballots import issue_tokens
from core.slips import ballot_url
from tests.conftest import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# CI installs Debian's chromium and must run this; elsewhere a missing browser skips.
pytestmark = pytest.mark.skipif(
    not shutil.which("chromium") and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)


@pytest.fixture
def server(demo_db):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui",
            "serve",
            "--db",
            str(demo_db),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_a_voter_fills_the_form_on_a_phone(server, store, tmp_path):
    from playwright.sync_api import sync_playwright

    store.set_poll("open")
    slip = issue_tokens(store, "支部书记和支委委员", 1)[0]
    criteria = store.meeting.criteria
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
        )
        page = phone.new_page()
        page.goto(ballot_url(server, slip.token))
        assert "支部书记和支委委员" in page.content()
        subjects = [s.name for s in (*store.meeting.onsite, *store.meeting.written)]
        # Fill everything but one item, as a hurried voter would.
        for number, name in enumerate(subjects):
            for criterion in criteria:
                if (name, criterion) == ("人事室", criteria[2]):
                    continue
                grade = ["好", "较好", "一般"][number % 3]
                page.locator(f'input[name="g:{name}:{criterion}"][value="{grade}"]').check(
                    force=True
                )
        page.get_by_role("button", name="提交测评票").click()
        page.wait_for_load_state()
        assert "还有 1 项没有选择" in page.content()
        # The choices survived the round trip.
        assert page.locator(f'input[name="g:法工委:{criteria[0]}"][value="好"]').is_checked()
        assert page.locator(f'input[name="g:教科文卫办:{criteria[1]}"][value="较好"]').is_checked()
        page.screenshot(path=str(tmp_path / "error.png"))
        page.locator(f'input[name="g:人事室:{criteria[2]}"][value="不了解"]').check(force=True)
        page.get_by_role("button", name="提交测评票").click()
        page.wait_for_load_state()
        assert "提交成功" in page.content()
        assert "回执号" in page.content()
        browser.close()
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 1
