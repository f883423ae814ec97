"""A voter's phone, for real: headless Chromium against `sanshu serve`, at the
two smallest phone screens voters bring (360x640 and 375x667), with and without
JavaScript."""

from __future__ import annotations

import os
import shutil

import pytest

from core.ballots.items import form_items
from core.ballots.slips import ballot_url
from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from core.web.form import field_names
from tests.conftest import DEMO_TEXT
from tests.phone import choose, phone, phone_with_font, serving, varied_grades

# CI installs Debian's chromium and must run this; elsewhere a missing browser skips.
pytestmark = [
    pytest.mark.skipif(
        not shutil.which("chromium") and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (.ci/run installs it)",
    ),
    pytest.mark.browser,
]
MAX_FORM_HEIGHT = 5_400  # 8 screens of 667 px, where the first release needed 17
CATEGORY = "支部书记和支委委员"


@pytest.fixture
def server(demo_db):
    with serving(demo_db) as base:
        yield base


@pytest.fixture
def link(server, store):
    store.set_poll("open")
    return ballot_url(server, issue_tokens(store, CATEGORY, 1)[0].token)


@pytest.fixture
def quota_store(tmp_path, clock):
    """The demo meeting with a top-grade quota: at most 7 「好」 per criterion."""
    path = tmp_path / "quota.db"
    text = DEMO_TEXT.replace(
        "all_same_invalid = true", 'all_same_invalid = true\ntop_grade_quota = "1/3"'
    )
    MeetingStore.create(path, text, "quota.toml", clock=clock).close()
    store = MeetingStore(path, clock=clock)
    store.set_poll("open")
    yield store
    store.close()


ROW_LAYOUTS = """() => [...document.querySelectorAll('.row')].map(row => {
    const spans = [...row.querySelectorAll('.choice span')];
    const boxes = spans.map(s => s.getBoundingClientRect());
    return {tops: boxes.map(b => Math.round(b.top)), widths: boxes.map(b => b.width),
            heights: boxes.map(b => b.height),
            texts: spans.map(s => {  // the label on one line, not clipped
                const range = document.createRange(); range.selectNodeContents(s);
                const oneLine = range.getClientRects().length === 1;
                return oneLine && s.scrollWidth <= s.clientWidth;
            })};
})"""


def row_layouts(page) -> list[dict]:
    """Where each grade button of each row is, and whether its label fits."""
    return page.evaluate(ROW_LAYOUTS)


def submit(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="提交测评票").click()


@pytest.mark.parametrize("size", ["360x640", "375x667"])
def test_the_demo_ballot_is_compact_and_every_row_fits_one_line(browser, link, size):
    page = phone(browser, size)
    page.goto(link)
    assert page.evaluate("document.documentElement.scrollHeight") <= MAX_FORM_HEIGHT
    rows = row_layouts(page)
    assert len(rows) == 63
    for row in rows:
        assert len(set(row["tops"])) == 1  # five choices on one line
        assert max(row["widths"]) - min(row["widths"]) < 1  # of equal width
        assert min(row["heights"]) >= 44  # a finger's tap target
        assert all(row["texts"])  # 不了解 is neither wrapped nor clipped


@pytest.mark.parametrize("size", ["360x640", "375x667"])
def test_the_subject_stays_on_screen_while_its_criteria_are_graded(browser, link, size):
    page = phone(browser, size)
    page.goto(link)
    # Scroll until card 5's first criterion has gone under the top edge.
    page.evaluate("scrollBy(0, document.getElementById('s5c2').getBoundingClientRect().top - 40)")
    header = page.locator("#s5 .head")
    assert "第 5 / 21 个" in header.inner_text()
    box = header.bounding_box()
    assert abs(box["y"]) < 1  # pinned to the top of the screen
    assert page.locator("#s5c1").bounding_box()["y"] < 0  # its first row scrolled away


def test_the_rules_come_before_the_first_card(browser, link):
    page = phone(browser, "375x667")
    page.goto(link)
    rules = page.locator(".rules").inner_text()
    for words in ["好 / 较好 / 一般 / 差", "「不了解」不计分", "同一等次的票无效", "无记名"]:
        assert words in rules
    assert page.locator(".rules").bounding_box()["y"] < page.locator("#s1").bounding_box()["y"]


@pytest.mark.slow  # more than ~2 s on a 2-core machine
def test_without_javascript_a_refused_ballot_links_every_missing_item(browser, link, store):
    page = phone(browser, "360x640", javascript=False)
    page.goto(link)
    assert page.locator("#bar").is_hidden()
    grades = varied_grades(store)
    missing = [item for n, item in enumerate(grades) if n % 9 == 4]  # 7 gaps
    choose(page, store, {i: g for i, g in grades.items() if i not in missing})
    submit(page)
    assert "还有 7 项没有选择" in page.content()
    names = field_names(store.meeting)
    links = page.locator("#problems a[href^='#s'][href*='c']")
    assert sorted(links.evaluate_all("ls => ls.map(l => l.hash.slice(1))")) == sorted(
        names[i] for i in missing
    )
    for item in missing:
        row = page.locator(f"#{names[item]}")
        assert "error" in row.get_attribute("class")
        assert (
            row.locator(".label").evaluate("e => getComputedStyle(e).color") == "rgb(180, 35, 44)"
        )
    # A link in the list takes the voter to the item, clear of its pinned card header.
    page.locator("#problems a[href*='c']").first.click()
    target = page.locator(f"#{names[missing[0]]}").bounding_box()
    card = names[missing[0]].split("c")[0]
    header = page.locator(f"#{card} .head").bounding_box()
    assert header["y"] + header["height"] <= target["y"] < 640
    # Every choice made survived the round trip.
    first = next(i for i in grades if i not in missing)
    assert page.locator(f'input[name="{names[first]}"][value="{grades[first]}"]').is_checked()
    choose(page, store, {i: grades[i] for i in missing})
    submit(page)
    assert "提交成功" in page.content()
    receipt = page.locator(".receipt").inner_text()
    # Reload and Back show that the ballot is in, never a resubmission; this phone is
    # shown its receipt again for a few minutes.
    page.reload()
    assert receipt in page.content()
    page.go_back()
    assert receipt in page.content() and page.locator("#ballot").count() == 0
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 1


@pytest.mark.slow  # more than ~2 s on a 2-core machine
def test_without_javascript_an_all_same_ballot_marks_the_items_red(browser, link, store):
    page = phone(browser, "375x667", javascript=False)
    page.goto(link)
    choose(page, store, dict.fromkeys(form_items(store.meeting), "一般"))
    submit(page)
    assert "同一等次" in page.content()
    assert page.locator(".row.error").count() == 63
    assert page.locator('input[value="一般"]:checked').count() == 63


@pytest.mark.slow  # more than ~2 s on a 2-core machine
def test_with_javascript_the_bar_counts_and_a_reload_keeps_every_choice(browser, quota_store):
    store = quota_store
    with serving(store.path) as base:
        page = phone(browser, "360x640")
        page.goto(ballot_url(base, issue_tokens(store, CATEGORY, 1)[0].token))
        bar = page.locator("#bar")
        assert bar.is_visible() and "已选 0 / 63 · 「好」 0 / 7" in bar.inner_text()
        grades = dict(list(varied_grades(store).items())[:41])
        choose(page, store, grades)
        columns = store.meeting.criteria
        tops = max(sum(1 for (_, c), g in grades.items() if g == "好" and c == k) for k in columns)
        assert f"已选 41 / 63 · 「好」 {tops} / 7" in bar.inner_text()
        assert "over" not in bar.get_attribute("class")
        page.locator("textarea[name=s2note]").evaluate("t => t.closest('details').open = true")
        page.locator("textarea[name=s2note]").fill("建议加强学习")
        page.reload()
        assert "已选 41 / 63" in bar.inner_text()
        names = field_names(store.meeting)
        for item, grade in grades.items():
            assert page.locator(f'input[name="{names[item]}"][value="{grade}"]').is_checked()
        assert page.locator("textarea[name=s2note]").input_value() == "建议加强学习"
        # "Next blank" takes the voter to the first item not yet chosen.
        page.get_by_role("link", name="下一个未填").click()
        blank = next(names[i] for i in form_items(store.meeting) if i not in grades)
        box = page.locator(f"#{blank}").bounding_box()
        assert 0 < box["y"] < 640
        # An eighth 「好」 for one criterion: the counter turns red before submitting.
        first_column = [i for i in form_items(store.meeting) if i[1] == columns[0]]
        choose(page, store, dict.fromkeys(first_column[:8], "好"))
        more = 8 + sum(1 for i in first_column[8:] if grades.get(i) == "好")
        assert f"「好」 {more} / 7" in bar.inner_text() and "over" in bar.get_attribute("class")


@pytest.mark.slow  # more than ~2 s on a 2-core machine
def test_with_javascript_a_double_tap_sends_one_post(browser, link, store):
    page = phone(browser, "375x667")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(link)
    choose(page, store, varied_grades(store))
    assert "已选 63 / 63" in page.locator("#bar").inner_text()
    page.get_by_role("link", name="全部选好，去提交").click()
    assert page.get_by_role("button", name="提交测评票").is_visible()
    with page.expect_navigation():
        # Two taps within one frame, as an impatient finger on slow Wi-Fi does.
        label = page.evaluate(
            """() => { const b = document.getElementById('submit');
                       b.click(); const text = b.textContent; b.click(); return text; }"""
        )
    assert label == "正在提交…"
    assert len(posts) == 1
    assert "提交成功" in page.content()
    # The phone forgets the choices once the ballot is stored.
    page.go_back()
    assert "提交成功" in page.content() and page.locator("#ballot").count() == 0
    assert page.evaluate("localStorage.length") == 0
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 1


@pytest.mark.slow  # more than ~2 s on a 2-core machine
@pytest.mark.parametrize("javascript", [False, True])
def test_large_text_keeps_the_choices_made_so_far(browser, link, javascript):
    page = phone(browser, "360x640", javascript=javascript)
    page.goto(link)
    page.locator("#s1c1 label").filter(has_text="较好").tap()
    page.locator("#s2c2 label").filter(has_text="一般").tap()
    size = page.evaluate("getComputedStyle(document.querySelector('.choice span')).fontSize")
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="大字").click()
    larger = page.evaluate("getComputedStyle(document.querySelector('.choice span')).fontSize")
    assert float(larger[:-2]) > float(size[:-2]) * 1.2
    widths = page.evaluate(
        "[...document.querySelectorAll('.choice span')].every(s => s.scrollWidth <= s.clientWidth)"
    )
    assert widths  # larger text still fits its buttons
    assert page.locator('#s1c1 input[value="较好"]').is_checked()
    assert page.locator('#s2c2 input[value="一般"]').is_checked()
    assert page.locator(".notice.error").count() == 0  # switching size is not a refusal
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="标准字号").click()
    assert page.evaluate("document.documentElement.className") == ""
    assert page.locator('#s2c2 input[value="一般"]').is_checked()
    page.context.close()


def test_the_phones_own_font_size_is_honoured(playwright, link, tmp_path):
    page = phone_with_font(playwright, tmp_path / "profile", 22)
    page.goto(link)
    body = float(page.evaluate("getComputedStyle(document.body).fontSize")[:-2])
    assert body > 22  # 17 px on a phone with the default 16 px
    clipped = page.evaluate(
        """[...document.querySelectorAll('.choice span, .label, .head .pos')]
             .filter(e => e.scrollWidth > e.clientWidth).length"""
    )
    assert clipped == 0  # bigger text, nothing cut off or overlapping
    page.context.close()


@pytest.mark.parametrize("javascript", [False, True])
def test_an_oversized_ballot_goes_back_to_the_form_with_the_choices(browser, link, javascript):
    page = phone(browser, "375x667", javascript=javascript)
    page.goto(link)
    page.locator("#s1c1 label").filter(has_text="较好").tap()
    page.locator("#s2c2 label").filter(has_text="一般").tap()
    # Past what the form allows: the browser's own limit is taken away first.
    page.evaluate(
        """document.querySelectorAll('textarea').forEach(t => {
             t.removeAttribute('maxlength'); t.value = '测'.repeat(5000); })"""
    )
    submit(page)
    assert "提交的内容过大" in page.content()
    if javascript:
        page.get_by_role("link", name="返回测评票").click()
    else:
        page.go_back()  # the voter's Back button: the link needs script to go back
    page.wait_for_load_state()
    assert page.locator('#s1c1 input[value="较好"]').is_checked()
    assert page.locator('#s2c2 input[value="一般"]').is_checked()


def test_long_grade_names_still_fit_one_line_per_criterion(browser, tmp_path, clock):
    """优秀 / 称职 / 基本称职 / 不称职: the criterion goes above, the choices stay on a line."""
    text = DEMO_TEXT
    for old, new in [("好", "优秀"), ("较好", "称职"), ("一般", "基本称职"), ("差", "不称职")]:
        text = text.replace(f'label = "{old}"', f'label = "{new}"')
        text = text.replace(f'grade = "{old}"', f'grade = "{new}"')
    text = text.replace('grades = ["差"]', 'grades = ["不称职"]')
    path = tmp_path / "titles.db"
    MeetingStore.create(path, text, "titles.toml", clock=clock).close()
    with MeetingStore(path, clock=clock) as store:
        store.set_poll("open")
        token = issue_tokens(store, CATEGORY, 1)[0].token
    with serving(path) as base:
        page = phone(browser, "360x640")
        page.goto(ballot_url(base, token))
        for row in row_layouts(page):
            assert len(set(row["tops"])) == 1 and all(row["texts"])
            assert min(row["heights"]) >= 44
