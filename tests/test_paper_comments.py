"""A paper voter's 意见建议 is kept (#20 §6): the clerk types it per subject beside the
grades, the second person sees it when confirming, and it reaches the comment sheet
and the letters like a phone's comment: anonymous, in no order that follows entry."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from textual.widgets import Input, ListView

from core.ballots.items import form_items
from core.ballots.paper import confirm_paper_ballot, enter_paper_ballot
from core.ballots.results import close_scoring
from core.ballots.storing import BallotEntry
from tests.office import text_of
from tests.test_clerk import type_text
from tui.clerk import ClerkApp
from tui.cli import run
from tui.paper import BallotGrid, CommentBox, ConfirmPaper

TYPED = "调研成果转化要再加快。"  # entered second, sorts after the other
EARLIER = "加强立法调研。"  # entered first by another clerk


@pytest.mark.slow  # more than ~2 s on a 2-core machine
async def test_a_paper_ballots_comment_reaches_the_letter(demo_db, clock, store, tmp_path):
    store.set_poll("open")
    # One paper ballot entered before, with a comment on the same subject (教科文卫办).
    items = form_items(store.meeting)
    first = enter_paper_ballot(
        store,
        "党员代表",
        BallotEntry(dict.fromkeys(items, "好"), {"教科文卫办": EARLIER}),
        "张录入",
    )
    confirm_paper_ballot(store, first.ballot_id, "李核对")

    app = ClerkApp(demo_db, clock=clock, clerk="王记录")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        grid = app.query_one(BallotGrid)
        row = grid.subjects.index("教科文卫办")
        grid.move_cursor(row=row, column=len(grid.columns_))  # the 意见建议 column
        await pilot.press("enter")
        assert isinstance(app.screen, CommentBox)
        await type_text(pilot, TYPED)
        await pilot.press("enter")
        await pilot.pause()
        assert grid.comments == {"教科文卫办": TYPED}
        assert str(grid.get_cell("教科文卫办", "comment")) == "调研成果转化要再加快…"
        grid.move_cursor(row=0, column=0)
        cells = len(grid.subjects) * len(grid.columns_)
        await pilot.press(*(["1", "2", "3"] * (cells // 3)))
        await pilot.press("ctrl+s")
        await pilot.pause()
        pending = app.query_one("#paper-pending", ListView)
        pending.focus()
        pending.index = 0
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmPaper)  # the second person checks the comment too
        assert app.screen.query_one(BallotGrid).comments == {"教科文卫办": TYPED}
        await type_text(pilot, "李核对")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmPaper)
        assert app.screen.query_one("#paper-by", Input) is not None
    close_scoring(store)

    out = tmp_path / "反馈"
    assert run(["feedback", "--db", str(demo_db), "--out", str(out)]) == 0
    letter = text_of(next(out.glob("*-教科文卫办-*.docx")))
    assert EARLIER in letter and TYPED in letter
    assert letter.index(EARLIER) < letter.index(TYPED)  # by text, not by entry
    assert "王记录" not in letter and "张录入" not in letter  # anonymous
    other = text_of(next(out.glob("*-法工委-*.docx")))
    assert TYPED not in other
    results = tmp_path / "结果.xlsx"
    assert run(["tally", "--db", str(demo_db), "--format", "xlsx", "--out", str(results)]) == 0
    sheet = load_workbook(results)["意见建议"]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(r)]
    assert any("教科文卫办" in map(str, r) and TYPED in map(str, r) for r in rows)
