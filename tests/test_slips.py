"""Printable slips: each voter category's stack starts on its own page."""

from __future__ import annotations

import re

from core.ballots.slips import SLIPS_PER_PAGE, slips_html
from core.ballots.tokens import Slip


def test_each_category_starts_a_new_page_named_in_its_header():
    # Interleaved on purpose: issuing later slips for a category must not mix stacks.
    slips = [
        Slip(f"T{n:025d}", f"{n:010d}", "党组成员" if n % 3 else "党员代表") for n in range(25)
    ]
    html, pages = slips_html("测试会议", "http://192.168.1.20:8700", slips)
    sections = re.findall(r'<section class="page">(.*?)</section>', html, re.S)
    assert pages == len(sections) == 3  # 9 → 1 page, 16 → 2 pages
    headers = [re.search(r"<h2>(.*?)<small>", s).group(1) for s in sections]
    # Categories in the order their first slip came.
    assert headers == ["党员代表 · 第 1 / 1 页", "党组成员 · 第 1 / 2 页", "党组成员 · 第 2 / 2 页"]
    for section, category in zip(sections, ["党员代表", "党组成员", "党组成员"], strict=True):
        on_page = re.findall(r'<div class="category">(.*?)</div>', section)
        assert set(on_page) == {category} and len(on_page) <= SLIPS_PER_PAGE
