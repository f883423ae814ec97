"""The ballot service through real HTTP (aiohttp's test client)."""

from __future__ import annotations

import asyncio
import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.ballots.items import OVERALL, form_items
from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from core.web.app import create_app
from core.web.form import form_fields
from tests.conftest import DEMO_TEXT


@pytest.fixture
async def client(demo_db, clock):
    app = create_app(demo_db, clock=clock)
    async with TestClient(TestServer(app)) as client:
        yield client


@pytest.fixture
def slip(store):
    store.set_poll("open")
    return issue_tokens(store, "党员代表", 1)[0]


def full_ballot(store, grade: str = "好", comments=None, **overrides) -> dict[str, str]:
    """A post body; `overrides` maps (subject, criterion) or a field name to a value."""
    grades = dict.fromkeys(form_items(store.meeting), grade)
    # A varied, valid ballot: the demo has no quota, but a real voter would not
    # give everyone the same grade.
    grades[("人事室", store.meeting.criteria[0])] = "较好"
    fields = form_fields(store.meeting, grades, comments or {})
    fields.update(overrides)
    return fields


def field(store, subject: str, criterion: str) -> str:
    return form_fields(store.meeting, {(subject, criterion): ""}).popitem()[0]


async def test_the_form_lists_every_subject_and_grade(client, store, slip):
    response = await client.get(f"/v/{slip.token}")
    html = await response.text()
    assert response.status == 200
    assert "党员代表" in html
    order = [html.index(s.name) for s in (*store.meeting.onsite, *store.meeting.written)]
    assert order == sorted(order)  # on-site first, then written, in order
    for label in ["好", "较好", "一般", "差", "不了解"]:
        assert f'value="{label}"' in html
    assert html.count('type="radio"') == 21 * 3 * 5
    # Works without JavaScript: a plain post of radio buttons; the only script is inline.
    assert '<form method="post"' in html and "<script src" not in html


async def test_submit_stores_the_ballot_and_shows_a_receipt(client, store, slip):
    response = await client.post(
        f"/v/{slip.token}", data=full_ballot(store, comments={"法工委": "很好"})
    )
    assert response.status == 200
    html = await response.text()
    receipt = re.search(r"回执号：([0-9A-Z]{5}-[0-9A-Z]{5})", html).group(1)
    assert store.db.execute("SELECT category, source, counted FROM ballots").fetchone() == (
        "党员代表",
        "web",
        1,
    )
    # The receipt is published from a table of its own, linked to no ballot.
    assert store.db.execute("SELECT receipt FROM receipts").fetchall() == [(receipt,)]
    assert store.db.execute("SELECT count(*) FROM scores").fetchone()[0] == 63
    assert store.db.execute("SELECT text FROM comments").fetchone()[0] == "很好"


async def test_the_short_code_works_like_the_link(client, store, slip):
    typed = f"{slip.code[:5].lower()} {slip.code[5:]}"  # as a person types it
    response = await client.post("/", data={"code": typed}, allow_redirects=False)
    assert response.status == 303
    response = await client.get(response.headers["Location"])
    assert response.status == 200 and "党员代表" in await response.text()


async def test_missing_grade_keeps_every_choice_and_marks_the_gap(client, store, slip):
    fields = full_ballot(store, comments={"教科文卫办": "建议加强学习"})
    del fields[field(store, "法工委", store.meeting.criteria[1])]
    fields[field(store, "秘书处", store.meeting.criteria[2])] = "一般"
    response = await client.post(f"/v/{slip.token}", data=fields)
    html = await response.text()
    assert response.status == 422
    assert "还有 1 项没有选择" in html
    assert 'value="一般" checked' in html  # the voter's choices are kept
    assert "建议加强学习" in html
    assert html.count('class="row error"') == 1
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 0


async def test_one_ballot_per_token_and_a_retry_is_told_it_worked(client, store, slip):
    first = await client.post(f"/v/{slip.token}", data=full_ballot(store))
    receipt = re.search(r"回执号：([0-9A-Z-]+)", await first.text()).group(1)
    again = await client.post(f"/v/{slip.token}", data=full_ballot(store, "一般"))
    html = await again.text()
    # A double tap or a dropped connection: the voter's ballot is in, and this browser
    # sees its receipt again for a while.
    assert again.status == 200 and f"回执号：{receipt}" in html and "notice error" not in html
    client.session.cookie_jar.clear()  # another browser with the same slip: a kind word only
    again = await client.post(f"/v/{slip.token}", data=full_ballot(store, "一般"))
    html = await again.text()
    assert again.status == 200 and "您的测评票已成功提交，无需再次提交" in html
    assert "notice error" not in html and receipt not in html
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 1
    grades = {g for (g,) in store.db.execute("SELECT DISTINCT grade FROM scores")}
    assert grades == {"好", "较好"}  # the second post changed nothing
    reopened = await client.get(f"/v/{slip.token}")
    assert reopened.status == 200 and "无需再次提交" in await reopened.text()


async def test_concurrent_double_submission_stores_exactly_one(client, store, slip):
    responses = await asyncio.gather(
        *[client.post(f"/v/{slip.token}", data=full_ballot(store)) for _ in range(10)]
    )
    pages = [await r.text() for r in responses]
    assert [r.status for r in responses] == [200] * 10
    receipt = store.db.execute("SELECT receipt FROM receipts").fetchone()[0]
    # Whichever tap's page the phone shows, the voter hears that the ballot is in; the
    # receipt reaches the stored post's page and, at most once more, a retry's.
    shown = [page for page in pages if "回执号：" in page]
    assert 1 <= len(shown) <= 2 and all(receipt in page for page in shown)
    assert sum("无需再次提交" in page for page in pages) == 10 - len(shown)
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("prepare", "status", "words"),
    [
        (lambda store, slip: None, 404, "测评码无效"),
        (lambda store, slip: store.set_poll("closed"), 403, "测评已经结束"),
    ],
)
async def test_refusals_are_clear_chinese_pages(client, store, slip, prepare, status, words):
    prepare(store, slip)
    token = "NOT-A-REAL-TOKEN" if status == 404 else slip.token
    response = await client.get(f"/v/{token}")
    html = await response.text()
    assert response.status == status and words in html
    assert "Traceback" not in html


async def test_not_yet_open_and_revoked(client, store):
    slip = issue_tokens(store, "党组成员", 1)[0]
    response = await client.get(f"/v/{slip.token}")
    assert response.status == 403 and "测评尚未开始" in await response.text()
    store.set_poll("open")
    from core.ballots.tokens import revoke_token

    assert revoke_token(store, slip.code)
    response = await client.get(f"/v/{slip.token}")
    assert response.status == 403 and "已作废" in await response.text()


async def test_unknown_fields_and_grades_are_rejected(client, store, slip):
    extra = full_ballot(store, s99c1="好")
    response = await client.post(f"/v/{slip.token}", data=extra)
    assert response.status == 400 and "无法识别" in await response.text()
    bad_grade = full_ballot(store, **{field(store, "法工委", store.meeting.criteria[0]): "优秀"})
    response = await client.post(f"/v/{slip.token}", data=bad_grade)
    assert response.status == 422 and "选项无效" in await response.text()
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 0


async def test_garbage_and_huge_bodies_get_pages_and_the_service_keeps_serving(client, slip):
    response = await client.post(
        f"/v/{slip.token}",
        data=b"\xff\x00garbage",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status in (400, 422)
    response = await client.post(f"/v/{slip.token}", data={"s1note": "x" * 400_000})
    assert response.status == 413 and "过大" in await response.text()
    response = await client.get("/no/such/page")
    assert response.status == 404 and "页面不存在" in await response.text()
    assert (await client.get(f"/v/{slip.token}")).status == 200


async def test_results_are_never_on_the_voter_pages(client, store, slip):
    await client.post(f"/v/{slip.token}", data=full_ballot(store))
    html = await (await client.get(f"/v/{slip.token}/done")).text()
    assert "回执号" in html and "得分" not in html and "排名" not in html


def _meeting_with(tmp_path, clock, old: str, new: str):
    assert old in DEMO_TEXT
    path = tmp_path / "rules.db"
    MeetingStore.create(path, DEMO_TEXT.replace(old, new), "rules.toml", clock=clock).close()
    store = MeetingStore(path, clock=clock)
    store.set_poll("open")
    return path, store


async def test_top_grade_quota_and_all_same_are_enforced(tmp_path, clock):
    path, store = _meeting_with(
        tmp_path,
        clock,
        "all_same_invalid = true",
        'all_same_invalid = true\ntop_grade_quota = "1/3"',
    )
    slip = issue_tokens(store, "党组成员", 1)[0]
    async with TestClient(TestServer(create_app(path, clock=clock))) as client:
        response = await client.post(f"/v/{slip.token}", data=full_ballot(store))
        html = await response.text()
        assert response.status == 422
        assert "最多 7 个" in html  # 21 subjects / 3
        fair = field(store, "人事室", "抓基层党建工作")
        everything_fair = full_ballot(store, "一般", **{fair: "一般"})
        response = await client.post(f"/v/{slip.token}", data=everything_fair)
        assert response.status == 422 and "同一等次" in await response.text()
        assert 'value="一般" checked' in await response.text()


async def test_revision_until_close_when_the_meeting_allows_it(tmp_path, clock):
    path, store = _meeting_with(tmp_path, clock, "allow_revision = false", "allow_revision = true")
    slip = issue_tokens(store, "党组成员", 1)[0]
    async with TestClient(TestServer(create_app(path, clock=clock))) as client:
        first = await client.post(f"/v/{slip.token}", data=full_ballot(store))
        assert "测评结束前可以" in await (await client.get(f"/v/{slip.token}")).text()
        second = await client.post(f"/v/{slip.token}", data=full_ballot(store, "一般"))
        assert first.status == second.status == 200
        assert "修改已保存" in await second.text()
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 1
    grades = {g for (g,) in store.db.execute("SELECT DISTINCT grade FROM scores")}
    assert grades == {"一般", "较好"}


def test_overall_layout_has_one_item_per_subject(tmp_path, clock):
    _, store = _meeting_with(tmp_path, clock, 'layout = "per_criterion"', 'layout = "overall"')
    assert form_items(store.meeting)[:2] == (("法工委", OVERALL), ("教科文卫办", OVERALL))


async def test_the_form_is_small_on_a_weak_network(client, slip):
    response = await client.get(
        f"/v/{slip.token}", headers={"Accept-Encoding": "gzip"}, auto_decompress=False
    )
    body = await response.read()
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(body) < 10_000  # a full 21-subject ballot form
    assert response.headers["Cache-Control"] == "no-store"


async def test_a_dropped_thank_you_page_still_shows_the_receipt_once(client, store, slip):
    # The ballot is stored, but the phone never loads the page after the redirect.
    lost = await client.post(f"/v/{slip.token}", data=full_ballot(store), allow_redirects=False)
    assert lost.status == 303
    receipt = store.db.execute("SELECT receipt FROM receipts").fetchone()[0]
    client.session.cookie_jar.clear()  # nor did it keep what the redirect carried
    retry = await (await client.get(f"/v/{slip.token}")).text()
    assert f"回执号：{receipt}" in retry
    again = await (await client.get(f"/v/{slip.token}")).text()
    assert "无需再次提交" in again and receipt not in again  # shown once, then forgotten


def test_a_receipt_waits_in_memory_only_a_few_minutes():
    from core.web.limits import ReceiptHandoff

    now = [0.0]
    handoff = ReceiptHandoff(ttl_s=600, clock=lambda: now[0])
    handoff.keep("a", "AAAAA-BBBBB")
    handoff.keep("b", "CCCCC-DDDDD")
    assert handoff.take("a") == "AAAAA-BBBBB" and handoff.take("a") is None
    now[0] = 601
    assert handoff.take("b") is None
