"""The projector follows the podium in every phase."""

from __future__ import annotations

from textual.widgets import Digits, Static

from core.ballots.items import form_items
from core.ballots.storing import BallotEntry, store_ballot
from core.ballots.tokens import issue_tokens
from core.record.entries import Record
from tests.conftest import laid_out, settle
from tui.display import DisplayApp
from tui.widgets.phase_timer import PhaseTimer


def shown(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_report_phase_shows_subject_and_a_running_timer(demo_db, clock, store):
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=(200, 60)) as pilot:
        store.toggle_timer()
        clock.advance(125)
        await settle(pilot)
        assert shown(app, "#phase") == "述职　·　法工委"
        assert shown(app, "#unit") == "法制工作委员会"
        timer = app.query_one(PhaseTimer)
        assert timer.has_class("-big")  # a projector gets the block letters
        assert app.query_one(Digits).value == "5:55"


async def test_the_question_being_asked_is_shown(demo_db, clock, store):
    record = Record(store)
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        store.move(2)
        question = record.add_question("法工委", "高天庚", "如何提升党支部理论学习的实效性？")
        await settle(pilot)
        assert not app.query_one("#asking", Static).display
        record.mark_asking(question)
        await settle(pilot)
        assert shown(app, "#phase") == "询问　·　法工委"
        assert "正在询问 · 高天庚" in shown(app, "#asking")
        assert "如何提升党支部理论学习的实效性？" in shown(app, "#asking")
        assert app.query_one(PhaseTimer).has_class("-big")  # block letters even at 80x24


async def test_scoring_shows_turnout_and_the_qr_code(demo_db, clock, store):
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        store.set_poll("open")
        store.move(12)
        slip = issue_tokens(store, "党员代表", 1)[0]
        grades = {item: "较好" for item in form_items(store.meeting)}
        store_ballot(store, slip.token, BallotEntry(grades))
        await settle(pilot)
        assert shown(app, "#phase") == "测评"
        assert "全部" in shown(app, "#unit")
        assert "已提交 1/72" in shown(app, "#turnout")
        assert "党员代表" in shown(app, "#turnout") and "1/20" in shown(app, "#turnout")
        assert "█" in shown(app, "#qr")
        assert shown(app, "#address").startswith("http")


async def test_results_stay_hidden_until_scoring_closes(demo_db, clock, store):
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        store.move(13)
        await settle(pilot)
        assert shown(app, "#phase") == "结果"
        assert "测评结束后显示结果" in shown(app, "#stage-note")


OPERATOR_TEXT = ["按空格", "空格", "未开始", "计时中", "已暂停", "下一项", "PgDn", "退出"]


def screen_text(app) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static) if widget.display)


async def test_no_operator_text_and_no_dangling_separator(demo_db, clock, store):
    record = Record(store)
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=(64, 18)) as pilot:
        for step in range(3):  # report (idle), commentary, questions
            if step:
                store.move(1)
            await settle(pilot)
            text = screen_text(app)
            assert not [word for word in OPERATOR_TEXT if word in text], text
        record.mark_asking(record.add_question("法工委", "", "如何加强年轻干部教育？"))
        await settle(pilot)
        assert shown(app, "#asking").startswith("正在询问\n")  # nobody named: no "正在询问 ·"


async def test_the_projector_follows_the_hosts_blank_key(demo_db, clock, store):
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=(64, 18)) as pilot:
        store.set_projector_blank(True)
        await settle(pilot)
        assert app.screen.has_class("-blank")
        assert not app.query_one("#body").display and not app.query_one("#title-bar").display
        store.set_projector_blank(False)
        await settle(pilot)
        assert not app.screen.has_class("-blank")


async def test_the_qr_code_is_as_large_as_the_screen_allows(demo_db, clock, store):
    store.move(12)
    store.set_poll("open")
    sizes = {}
    for size in [(64, 18), (200, 60)]:
        app = DisplayApp(demo_db, clock=clock)
        async with app.run_test(size=size) as pilot:
            await laid_out(pilot, "#qr")
            lines = shown(app, "#qr").splitlines()
            sizes[size] = (len(lines), max(len(line) for line in lines))
            assert sizes[size][0] <= size[1] - 2  # fits under the title, above the address
    assert sizes[(200, 60)][0] >= 2 * sizes[(64, 18)][0]  # the big screen gets a big code


async def test_clicker_keys_never_close_or_change_the_projector(demo_db, clock, store):
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=(64, 18)) as pilot:
        await pilot.press("escape", "f5", "pagedown", "pageup", "b", "full_stop")
        await pilot.pause()
        assert app.is_running
        assert store.state().position == 0 and not store.projector_blank()


async def test_ranking_columns_hold_still_from_the_first_frame_and_across_pages(
    demo_db, clock, store
):
    """The columns are as wide as the widest cell of any page from the moment the
    tally is shown (not when the table next goes idle), so no frame cuts the names
    and turning the page does not move them (the flaky projector snapshot, #14)."""
    from rich.cells import cell_len
    from textual.widgets import DataTable

    from core.ballots.demo import fill_demo_ballots
    from tui.widgets.results import ResultsView

    fill_demo_ballots(store)
    store.move(13)
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=(64, 18)) as pilot:
        await settle(pilot)
        view = app.query_one(ResultsView)
        table = app.query_one(DataTable)
        longest = max(cell_len(s.name) for s in view.tally.subjects)

        def widths() -> list[int]:
            return [column.get_render_width(table) for column in table.ordered_columns]

        first_page = widths()
        assert view.page.count > 1
        assert first_page[1] >= longest + 2  # the name column: every name, padded
        view.select(len(view.tally.subjects) - 1)  # the host moved to the last page
        assert view.page.number == view.page.count - 1
        assert widths() == first_page  # measured before any idle, the same on every page
