"""Phones for the browser tests and the README screenshots: Debian's Chromium
(never a downloaded browser) against a real `sanshu serve` process."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import free_port, wait_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WeChat's in-app browser on an Android phone, as the venue's voters use it.
WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 13; V2218A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 "
    "MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin "
    "NetType/WIFI Language/zh_CN ABI/arm64"
)
PHONES = {"360x640": (360, 640), "375x667": (375, 667)}


@contextlib.contextmanager
def serving(db: Path) -> Iterator[str]:
    """`sanshu serve` on a free loopback port; yields its base URL."""
    port = free_port()
    command = ["serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base), what="sanshu serve to answer /health")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=1):
            return True
    except OSError:
        return False


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def _phone_options(size: str, javascript: bool) -> dict:
    width, height = PHONES[size]
    return {
        "viewport": {"width": width, "height": height},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "locale": "zh-CN",
        "user_agent": WECHAT_UA,
        "java_script_enabled": javascript,
    }


def phone(browser, size: str = "360x640", *, javascript: bool = True):
    """A new page in a fresh phone context (its own storage) of the given size."""
    return browser.new_context(**_phone_options(size, javascript)).new_page()


def phone_with_font(playwright, profile: Path, font_px: int, size: str = "360x640"):
    """A phone whose owner set a bigger default font (the browser's own setting)."""
    (profile / "Default").mkdir(parents=True, exist_ok=True)
    prefs = {"webkit": {"webprefs": {"default_font_size": font_px}}}
    (profile / "Default" / "Preferences").write_text(json.dumps(prefs))
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, **_phone_options(size, True)
    )
    return context.new_page()


@contextlib.contextmanager
def holding_the_database(db: Path) -> Iterator[None]:
    """Another program holds the meeting database's write lock (the busy page)."""
    import sqlite3

    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def varied_grades(store) -> dict:
    """Every item graded, not all the same, within any quota: a valid ballot."""
    from core.ballots.items import form_items

    labels = ["好", "较好", "一般", "不了解"]
    return {item: labels[n % 4] for n, item in enumerate(form_items(store.meeting))}


def choose(page, store, grades: dict) -> None:
    """Tap each grade's button, as a finger does."""
    from core.web.form import field_names

    names = field_names(store.meeting)
    for item, grade in grades.items():
        page.locator(f"#{names[item]} label").filter(has_text=grade).first.tap()
