"""The ballot form's fields, view-model and limits, through real HTTP where a
voter depends on it (core/web/form.py)."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.ballots.items import form_items
from core.ballots.tokens import issue_tokens
from core.ballots.validity import ballot_problems
from core.meeting.store import MeetingStore
from core.web.app import MAX_BODY, create_app
from core.web.form import (
    COMMENT_LIMIT,
    SUMMARY_SUBJECTS,
    ballot_form,
    comment_names,
    field_names,
    form_fields,
    largest_body,
    parse_form,
    rules_lines,
)
from tests.conftest import DEMO_TEXT


def meeting_db(tmp_path, clock, *replacements: tuple[str, str], name: str = "m"):
    text = DEMO_TEXT
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / f"{name}.db"
    MeetingStore.create(path, text, "m.toml", clock=clock).close()
    store = MeetingStore(path, clock=clock)
    store.set_poll("open")
    return path, store


def varied(meeting, labels=("好", "较好", "一般", "不了解")) -> dict:
    return {item: labels[n % len(labels)] for n, item in enumerate(form_items(meeting))}


async def test_any_printable_name_votes_end_to_end(tmp_path, clock):
    """A subject `法:工委`, an emoji and a `:` in a criterion: fields are ids."""
    path, store = meeting_db(
        tmp_path,
        clock,
        ('name = "法工委"', 'name = "法:工委"'),
        ('name = "秘书处"', 'name = "秘书处🌟"'),
        ('"执行廉洁自律"]', '"执行廉洁自律：a:b <&>"]'),
    )
    meeting = store.meeting
    assert all(re.fullmatch(r"s\d+c\d+", name) for name in field_names(meeting).values())
    slip = issue_tokens(store, "党组成员", 1)[0]
    grades = varied(meeting)
    comments = {"法:工委": "好 <b>", "秘书处🌟": "👍"}
    async with TestClient(TestServer(create_app(path, clock=clock))) as client:
        page = await (await client.get(f"/v/{slip.token}")).text()
        assert "法:工委" in page and "秘书处🌟" in page and "a:b &lt;&amp;&gt;" in page
        response = await client.post(
            f"/v/{slip.token}", data=form_fields(meeting, grades, comments)
        )
        assert response.status == 200 and "提交成功" in await response.text()
    stored = store.db.execute(
        "SELECT s.name, c.name, sc.grade FROM scores sc JOIN subjects s ON s.id = sc.subject_id "
        "JOIN criteria c ON c.id = sc.criterion_id"
    ).fetchall()
    assert {(s, c): g for s, c, g in stored} == grades
    texts = store.db.execute(
        "SELECT s.name, text FROM comments JOIN subjects s ON s.id = comments.subject_id"
    ).fetchall()
    assert dict(texts) == comments


def test_field_names_do_not_depend_on_the_text_of_names(tmp_path, clock):
    _, plain = meeting_db(tmp_path, clock, name="plain")
    _, renamed = meeting_db(
        tmp_path,
        clock,
        ('name = "法工委"', 'name = "法制工作委员会"'),
        ('"抓基层党建工作"', '"抓基层党建"'),
        name="renamed",
    )
    assert list(field_names(plain.meeting).values()) == list(field_names(renamed.meeting).values())
    assert list(comment_names(plain.meeting).values()) == list(
        comment_names(renamed.meeting).values()
    )


def test_parse_form_reads_ids_and_names_what_it_does_not_know(store):
    meeting = store.meeting
    grades = varied(meeting)
    fields = [*form_fields(meeting, grades, {"人事室": "x" * 900}).items(), ("s99c1", "好")]
    entry, unknown = parse_form(meeting, fields)
    assert entry.grades == grades
    assert entry.comments == {"人事室": "x" * COMMENT_LIMIT}
    assert unknown == ["s99c1"]
    blank, _ = parse_form(meeting, [])
    assert set(blank.grades) == set(form_items(meeting)) and not any(blank.grades.values())


def test_the_rules_are_the_meetings_own(tmp_path, clock, store):
    first, second = rules_lines(store.meeting)
    assert "好 / 较好 / 一般 / 差" in first and "「不了解」不计分" in first
    assert "最多" not in first  # the demo has no quota
    assert "同一等次的票无效" in second and "无记名" in second and "不可更改" in second
    _, quota = meeting_db(tmp_path, clock, ("all_same_invalid = true", 'top_grade_quota = "1/3"'))
    first, second = rules_lines(quota.meeting)
    assert "每项评为「好」的最多 7 个" in first  # a third of 21
    assert "同一等次" not in second
    assert ballot_form(quota.meeting, parse_form(quota.meeting, [])[0]).top_limit == 7


def test_every_problem_is_listed_with_a_link_per_item(store):
    meeting = store.meeting
    grades = varied(meeting)
    missing = list(grades)[::10]  # 7 gaps in 7 subjects
    entry, _ = parse_form(
        meeting, form_fields(meeting, {i: g for i, g in grades.items() if i not in missing}).items()
    )
    form = ballot_form(meeting, entry, ballot_problems(meeting, entry.grades, on_screen=True))
    (problem,) = form.problems
    linked = [link.anchor for group in problem.links for link in group.items]
    names = field_names(meeting)
    assert linked == [names[i] for i in missing]
    marked = [row.field for card in form.cards for row in card.rows if row.marked]
    assert marked == linked
    assert [card.number for card in form.cards] == list(range(1, 22))


def test_an_all_same_ballot_marks_every_chosen_item(store):
    meeting = store.meeting
    entry, _ = parse_form(
        meeting, form_fields(meeting, dict.fromkeys(form_items(meeting), "一般")).items()
    )
    form = ballot_form(meeting, entry, ballot_problems(meeting, entry.grades, on_screen=True))
    assert [p.hint for p in form.problems] == ["请至少改动一项（标红的为全部已选项目）。"]
    assert all(row.marked for card in form.cards for row in card.rows)


@pytest.fixture
async def client(demo_db, clock, store):
    store.set_poll("open")
    async with TestClient(TestServer(create_app(demo_db, clock=clock))) as client:
        yield client


async def test_the_largest_ballot_the_form_allows_is_accepted(client, store):
    meeting = store.meeting
    assert largest_body(meeting) * 2 < MAX_BODY  # room to spare
    slip = issue_tokens(store, "党员代表", 1)[0]
    comments = {s.name: "测" * COMMENT_LIMIT for s in meeting.subjects}  # 9 bytes each, encoded
    body = form_fields(meeting, varied(meeting, ("不了解", "较好", "一般")), comments)
    response = await client.post(f"/v/{slip.token}", data=body)
    assert response.status == 200 and "提交成功" in await response.text()
    lengths = {n for (n,) in store.db.execute("SELECT length(text) FROM comments")}
    assert lengths == {COMMENT_LIMIT}


async def test_an_oversized_post_leads_back_to_the_form(client, store):
    slip = issue_tokens(store, "党员代表", 1)[0]
    response = await client.post(f"/v/{slip.token}", data={"s1note": "测" * 40_000})
    html = await response.text()
    assert response.status == 413 and "缩短意见建议" in html
    assert f'href="/v/{slip.token}"' in html
    assert (await client.get(f"/v/{slip.token}")).status == 200


async def test_a_refused_post_redirects_to_its_draft(client, store):
    slip = issue_tokens(store, "党员代表", 1)[0]
    grades = varied(store.meeting)
    del grades[("法工委", "抓基层党建工作")]
    response = await client.post(
        f"/v/{slip.token}", data=form_fields(store.meeting, grades), allow_redirects=False
    )
    assert response.status == 303 and response.headers["Location"] == f"/v/{slip.token}"
    again = await client.get(f"/v/{slip.token}")  # a reload, or Back from a later page
    html = await again.text()
    assert again.status == 422 and "还有 1 项没有选择" in html
    assert html.count(" checked") == 62
    grades[("法工委", "抓基层党建工作")] = "好"
    done = await client.post(f"/v/{slip.token}", data=form_fields(store.meeting, grades))
    assert "提交成功" in await done.text()
    back = await client.get(f"/v/{slip.token}")
    assert back.status == 200 and "提交成功" in await back.text()  # this browser: the receipt
    client.session.cookie_jar.clear()
    back = await client.get(f"/v/{slip.token}")
    assert back.status == 200 and "已成功提交" in await back.text()


async def test_large_text_survives_a_refused_post(client, store):
    slip = issue_tokens(store, "党员代表", 1)[0]
    response = await client.post(f"/v/{slip.token}?size=large", data={})
    html = await response.text()
    assert str(response.url).endswith("?size=large") and 'class="large"' in html


async def test_switching_text_size_without_script_keeps_the_choices(client, store):
    """The 大字 button posts the form: the choices wait in memory, nothing is stored,
    and the larger form shows them without calling anything wrong."""
    slip = issue_tokens(store, "党员代表", 1)[0]
    items = form_items(store.meeting)
    chosen = {items[0]: "较好", items[4]: "一般"}
    body = form_fields(store.meeting, chosen) | {"size": "large"}
    switched = await client.post(f"/v/{slip.token}", data=body, allow_redirects=False)
    assert switched.status == 303
    assert switched.headers["Location"] == f"/v/{slip.token}?size=large"
    page = await client.get(f"/v/{slip.token}?size=large")
    html = await page.text()
    assert page.status == 200 and 'class="large"' in html
    assert html.count(" checked") == 2 and "notice error" not in html
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 0
    back = await client.post(f"/v/{slip.token}", data=body | {"size": "standard"})
    assert 'class="large"' not in await back.text()


async def test_a_mistyped_code_gets_the_box_again(client, store):
    slip = issue_tokens(store, "党员代表", 1)[0]
    wrong = slip.code[:9] + ("0" if slip.code[9] != "0" else "1")
    response = await client.post("/", data={"code": wrong})
    html = await response.text()
    assert response.status == 404 and "测评码无效" in html
    assert 'name="code"' in html and f'value="{wrong}"' in html
    right = await client.post("/", data={"code": slip.code})
    assert right.status == 200 and "党员代表" in await right.text()


async def test_a_numeric_ballot_is_a_box_per_criterion(tmp_path, clock):
    path, store = meeting_db(tmp_path, clock, ('layout = "per_criterion"', 'layout = "numeric"'))
    meeting = store.meeting
    slip = issue_tokens(store, "党组成员", 1)[0]
    assert "每项填写 0–100 分" in rules_lines(meeting)[0]
    scores = {item: str(60 + n % 40) for n, item in enumerate(form_items(meeting))}
    async with TestClient(TestServer(create_app(path, clock=clock))) as client:
        html = await (await client.get(f"/v/{slip.token}")).text()
        assert html.count('type="number"') == 63 and 'type="radio"' not in html
        scores[("法工委", "抓基层党建工作")] = "101"
        refused = await client.post(f"/v/{slip.token}", data=form_fields(meeting, scores))
        assert refused.status == 422 and 'class="row error"' in await refused.text()
        scores[("法工委", "抓基层党建工作")] = "99.5"
        done = await client.post(f"/v/{slip.token}", data=form_fields(meeting, scores))
        assert "提交成功" in await done.text()


async def test_the_blank_form_is_the_same_page_for_every_voter_of_a_category(client, store):
    """Nothing in it names the slip, so the service may render it once per category."""
    first, second = issue_tokens(store, "党员代表", 2)
    pages = [await (await client.get(f"/v/{s.token}")).text() for s in (first, second)]
    assert pages[0] == pages[1]
    assert first.token not in pages[0]


async def test_a_submitted_ballot_redirects_to_its_thank_you_page(client, store):
    slip = issue_tokens(store, "党员代表", 1)[0]
    body = form_fields(store.meeting, varied(store.meeting))
    response = await client.post(f"/v/{slip.token}", data=body, allow_redirects=False)
    assert response.status == 303  # a reload of what follows never re-posts
    assert response.headers["Location"].startswith(f"/v/{slip.token}/done")
    page = await (await client.get(response.headers["Location"])).text()
    receipt = re.search(r"回执号：([0-9A-Z]{5}-[0-9A-Z]{5})", page).group(1)
    # The redirect carried the receipt to this browser alone, for ten minutes at most,
    # on this slip's address only.
    cookie = response.cookies["receipt"]
    assert cookie.value == receipt and cookie["path"] == f"/v/{slip.token}"
    assert cookie["max-age"] == "600" and cookie["httponly"] and cookie["samesite"] == "Strict"
    back = await (await client.get(f"/v/{slip.token}")).text()  # Back to the form
    assert f"回执号：{receipt}" in back
    client.session.cookie_jar.clear()  # another browser, or ten minutes later
    back = await (await client.get(f"/v/{slip.token}")).text()
    assert "已成功提交" in back and "回执号：" not in back


def test_drafts_are_bounded_in_number_and_age():
    from core.ballots.storing import BallotEntry
    from core.web.form import Drafts

    now = [0.0]
    drafts = Drafts(limit=2, max_age=60, clock=lambda: now[0])
    for token_id in (1, 2, 3):
        drafts.keep(token_id, BallotEntry({}))
    assert drafts.get(1) is None and drafts.get(2) is not None  # the oldest went first
    drafts.drop(2)
    assert drafts.get(2) is None
    now[0] = 61
    assert drafts.get(3) is None  # too old


async def test_an_unknown_link_offers_the_code_box(client):
    response = await client.get("/v/NOT-A-REAL-TOKEN")
    html = await response.text()
    assert response.status == 404 and "测评码无效" in html
    assert re.search(r'<a href="/"[^>]*>输入测评码</a>', html)


def test_a_quota_problem_per_criterion_links_its_own_items(tmp_path, clock):
    _, store = meeting_db(tmp_path, clock, ("all_same_invalid = true", 'top_grade_quota = "1/3"'))
    meeting = store.meeting
    grades = dict.fromkeys(form_items(meeting), "较好")
    tops = [item for item in form_items(meeting) if item[1] != meeting.criteria[2]][:18]
    grades.update(dict.fromkeys(tops, "好"))  # 9 「好」 in each of the first two criteria
    entry, _ = parse_form(meeting, form_fields(meeting, grades).items())
    form = ballot_form(meeting, entry, ballot_problems(meeting, entry.grades, on_screen=True))
    assert len(form.problems) == 2
    names = field_names(meeting)
    for problem, criterion in zip(form.problems, meeting.criteria[:2], strict=True):
        assert criterion in problem.message
        linked = [link.anchor for group in problem.links for link in group.items]
        expected = [names[i] for i in tops if i[1] == criterion]
        # One line per subject, at most eight; the rest counted (and red on the form).
        assert linked == expected[:SUMMARY_SUBJECTS]
        assert problem.more == len(expected) - SUMMARY_SUBJECTS == 1
