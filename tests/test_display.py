"""The projector follows the podium in every phase."""

from __future__ import annotations

from textual.widgets import Digits, Static

from core.ballots import BallotEntry, form_items, issue_tokens, store_ballot
from core.record import Record
from tui.display import DisplayApp
from tui.widgets.phase_timer import PhaseTimer


def shown(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_report_phase_shows_subject_and_a_running_timer(demo_db, clock, store):
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=(200, 60)) as pilot:
        store.toggle_timer()
        clock.advance(125)
        await pilot.pause(0.5)
        assert shown(app, "#phase") == "述职"
        assert shown(app, "#subject") == "法工委"
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
        await pilot.pause(0.5)
        assert not app.query_one("#asking", Static).display
        record.mark_asking(question)
        await pilot.pause(0.5)
        assert shown(app, "#phase") == "询问"
        assert "正在询问 · 高天庚" in shown(app, "#asking")
        assert "如何提升党支部理论学习的实效性？" in shown(app, "#asking")
        assert not app.query_one(PhaseTimer).has_class("-big")  # 80x24 keeps the compact clock


async def test_scoring_shows_turnout_and_the_qr_code(demo_db, clock, store):
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        store.set_poll("open")
        store.move(12)
        slip = issue_tokens(store, "党员代表", 1)[0]
        grades = {item: "较好" for item in form_items(store.meeting)}
        store_ballot(store, slip.token, BallotEntry(grades))
        await pilot.pause(0.5)
        assert shown(app, "#phase") == "测评"
        assert "已提交 1/72" in shown(app, "#turnout")
        assert "党员代表" in shown(app, "#turnout") and "1/20" in shown(app, "#turnout")
        assert app.query_one("#qr", Static).display
        assert "█" in shown(app, "#qr")


async def test_results_stay_hidden_until_scoring_closes(demo_db, clock, store):
    app = DisplayApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        store.move(13)
        await pilot.pause(0.5)
        assert shown(app, "#phase") == "结果"
        assert "测评结束后显示结果" in shown(app, "#turnout")
