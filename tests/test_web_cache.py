"""Work once, serve many: the empty form of a voter category is rendered and
compressed once; refused posts and revisions are rendered with the voter's own
choices. Revisions apply in order."""

from __future__ import annotations

import asyncio
import gzip

from core.ballots.items import form_items
from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from core.web import rendering as web_app
from core.web.app import create_app
from core.web.form import form_fields
from tests.conftest import DEMO_TEXT
from tests.served import served


def _count_renders(monkeypatch) -> list[str]:
    rendered: list[str] = []
    real = web_app.service_html

    def counting(service, name, **context):
        rendered.append(name)
        return real(service, name, **context)

    monkeypatch.setattr(web_app, "service_html", counting)
    return rendered


async def test_the_empty_form_is_rendered_once_per_category(demo_db, store, clock, monkeypatch):
    store.set_poll("open")
    members = issue_tokens(store, "党员代表", 3)
    leader = issue_tokens(store, "党组成员", 1)[0]
    rendered = _count_renders(monkeypatch)
    categories = len(store.meeting.categories)
    async with served(create_app(demo_db, clock=clock)) as client:
        # Each category's form is rendered as the service starts, before any voter.
        assert rendered.count("ballot.html") == categories
        bodies = []
        for slip in members:
            response = await client.get(f"/v/{slip.token}", headers={"Accept-Encoding": "gzip"})
            assert response.status == 200
            bodies.append(await response.read())
        assert bodies[0] == bodies[1] == bodies[2]
        assert all(slip.token not in bodies[0].decode() for slip in members)  # no token inside
        other = await client.get(f"/v/{leader.token}")
        assert "党组成员" in await other.text()
        assert rendered.count("ballot.html") == categories
        # A client that takes no gzip gets the same page, plain.
        plain = await client.get(
            f"/v/{members[0].token}", headers={"Accept-Encoding": "identity"}, auto_decompress=False
        )
        assert "Content-Encoding" not in plain.headers
        packed = await client.get(
            f"/v/{members[0].token}", headers={"Accept-Encoding": "gzip"}, auto_decompress=False
        )
        assert gzip.decompress(await packed.read()) == await plain.read()
        assert rendered.count("ballot.html") == categories


async def test_a_refused_post_is_rendered_with_its_own_choices(demo_db, store, clock, monkeypatch):
    store.set_poll("open")
    slip, other = issue_tokens(store, "党员代表", 2)
    async with served(create_app(demo_db, clock=clock)) as client:
        await client.get(f"/v/{slip.token}")
        fields = form_fields(store.meeting, dict.fromkeys(form_items(store.meeting)[:5], "好"))
        response = await client.post(f"/v/{slip.token}", data=fields)
        assert response.status == 422
        html = await response.text()
        assert html.count('value="好" checked') == 5
        back = await (await client.get(f"/v/{slip.token}")).text()
        assert back.count('value="好" checked') == 5  # Back from the refusal: the draft
        fresh = await (await client.get(f"/v/{other.token}")).text()
        assert '" checked' not in fresh  # the cached form holds nobody's choices


async def test_revisions_apply_in_order_and_the_form_shows_what_stands(tmp_path, clock):
    path = tmp_path / "revise.db"
    text = DEMO_TEXT.replace("allow_revision = false", "allow_revision = true")
    MeetingStore.create(path, text, "revise.toml", clock=clock).close()
    store = MeetingStore(path, clock=clock)
    store.set_poll("open")
    slip = issue_tokens(store, "党员代表", 1)[0]
    items = form_items(store.meeting)
    variants = []
    for n in range(20):  # twenty taps, each a different ballot
        grades = dict.fromkeys(items, "好")
        grades[items[n]] = "一般"
        variants.append(form_fields(store.meeting, grades))
    async with served(create_app(path, clock=clock)) as client:
        responses = await asyncio.gather(
            *[client.post(f"/v/{slip.token}", data=v) for v in variants]
        )
        pages = [await r.text() for r in responses]
        assert all(r.status == 200 for r in responses)
        receipts = {p.split("回执号：")[1][:11] for p in pages}
        assert len(receipts) == 1  # one ballot, one receipt, whatever the order
        stored = {
            (s, c)
            for s, c, g in store.db.execute(
                "SELECT subject_id, criterion_id, grade FROM scores WHERE grade = '一般'"
            )
        }
        assert len(stored) == 1  # exactly one post stands, whole, not a mixture
        form = await (await client.get(f"/v/{slip.token}")).text()
        assert form.count('value="一般" checked') == 1
    assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 1
    store.close()
