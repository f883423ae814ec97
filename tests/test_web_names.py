"""Any printable name votes end to end: a meeting file with `:` and emoji in
subject and category names passes `check` and is voted through HTTP, filling the
form as a browser does (whatever the field names are)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from core.ballots.tokens import issue_tokens
from core.meeting.file import parse_meeting
from core.meeting.store import MeetingStore
from core.web.app import create_app
from tests.conftest import DEMO_TEXT
from tests.served import served

pytest.importorskip("core.web.form", reason="field names by id arrive with core/web/form.py")

SUBJECT = "法:工委 🏛️"
CATEGORY = "党员:代表 😀"


class _Fields(HTMLParser):
    """The first choice of every radio group, as a voter tapping the first button."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "radio":
            self.fields.setdefault(attrs["name"], attrs["value"])


async def test_colons_and_emoji_in_names_vote_end_to_end(tmp_path, clock):
    text = DEMO_TEXT.replace('name = "法工委"', f'name = "{SUBJECT}"', 1)
    text = text.replace('name = "党员代表"', f'name = "{CATEGORY}"', 1)
    assert parse_meeting(text).onsite[0].name == SUBJECT
    path = tmp_path / "names.db"
    MeetingStore.create(path, text, "names.toml", clock=clock).close()
    with MeetingStore(path, clock=clock) as store:
        store.set_poll("open")
        slip = issue_tokens(store, CATEGORY, 1)[0]
    async with served(create_app(path, clock=clock)) as client:
        form = await client.get(f"/v/{slip.token}")
        html = await form.text()
        assert SUBJECT in html and CATEGORY in html
        parser = _Fields()
        parser.feed(html)
        fields = dict(parser.fields)
        # Vary one answer, so the ballot is not all the same grade.
        last = list(fields)[-1]
        fields[last] = "较好"
        response = await client.post(f"/v/{slip.token}", data=fields)
        assert response.status == 200 and "回执号：" in await response.text()
    with MeetingStore(path, clock=clock) as store:
        assert store.db.execute("SELECT category FROM ballots").fetchone()[0] == CATEGORY
        subject_id = store.ids("subjects")[SUBJECT]
        graded = store.db.execute("SELECT count(*) FROM scores WHERE subject_id = ?", [subject_id])
        assert graded.fetchone()[0] == 3
