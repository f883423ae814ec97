"""Colours follow meaning on any grade scale (#19 §4): on a 3-grade scale (满意 / 基本满意 /
不满意 + 不了解) the best grade is green, the worst red, 不了解 grey and never red; the
legend shows exactly the bars' colours; the host's selected row keeps its colours."""

from __future__ import annotations

import random

from rich.text import Text

from core.ballots.items import form_items
from core.ballots.results import load_tally
from core.ballots.storing import BallotEntry, store_ballot
from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from tests.conftest import DEMO_TEXT, settle
from tui.host import HostApp
from tui.tally_view import distribution_bar
from tui.widgets.results import legend

THREE = (
    DEMO_TEXT.replace(
        """  { label = "好", points = 100 },
  { label = "较好", points = 80 },
  { label = "一般", points = 60 },
  { label = "差", points = 40 },""",
        """  { label = "满意", points = 100 },
  { label = "基本满意", points = 70 },
  { label = "不满意", points = 40 },""",
    )
    .replace('grade = "好"', 'grade = "满意"')
    .replace('grade = "较好"', 'grade = "基本满意"')
    .replace('min = 60\ngrade = "一般"', 'min = 50\ngrade = "基本满意"')
    .replace('grade = "差"', 'grade = "不满意"')
    .replace('grades = ["差"]', 'grades = ["不满意"]')
)


def colours(text: Text) -> list[tuple[str, str]]:
    """(characters, colour) of each coloured run."""
    return [(text.plain[s.start : s.end], str(s.style)) for s in text.spans]


def test_a_three_grade_scale_has_colours_by_meaning(tmp_path, clock):
    db = tmp_path / "three.db"
    store = MeetingStore.create(db, THREE, "three.toml", clock=clock)
    store.set_poll("open")
    rng = random.Random(3)
    labels = ["满意", "基本满意", "不满意", "不了解"]
    for slip in issue_tokens(store, "党员代表", 12):
        grades = {item: rng.choice(labels) for item in form_items(store.meeting)}
        store_ballot(store, slip.token, BallotEntry(grades))
    store.set_poll("closed")
    tally = load_tally(store)
    shown = legend(tally)
    # Each swatch's colour, keyed by the label written after it.
    keyed = {
        shown.plain[span.end :].split()[0]: str(span.style)
        for span in shown.spans
        if shown.plain[span.start : span.end] == "██"
    }
    assert keyed == {"满意": "green", "基本满意": "yellow", "不满意": "red", "不了解": "grey50"}
    for subject in tally.subjects:
        bar = distribution_bar(tally, subject, 40)
        used = {colour for _, colour in colours(bar)}
        assert used <= set(keyed.values())  # every colour in a bar is in the legend
        for label, colour in keyed.items():  # and means the same grade there
            cells = sum(len(chars) for chars, c in colours(bar) if c == colour)
            share = subject.counts.get(label, 0) / sum(subject.counts.values())
            assert abs(cells - 40 * share) <= 1, (subject.name, label)
    store.close()


async def test_the_selected_row_keeps_its_bar_colours(demo_db, clock, store):
    from textual.widgets import DataTable

    from core.ballots.demo import fill_demo_ballots

    fill_demo_ballots(store)
    store.move(13)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = app.query_one("#ranking", DataTable)
        assert table.cursor_foreground_priority == "renderable"  # the cells' own colours
        row = table.get_row_at(table.cursor_row)
        assert str(row[0]).startswith("▶")  # marked another way
        assert {str(s.style) for s in row[-1].spans} >= {"green"}
