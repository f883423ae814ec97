"""The clerk's console: every action, drafts that survive, the podium following live."""

from __future__ import annotations

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input, ListView, Select, Static

from core.ballots.turnout import turnout
from core.meeting.store import MeetingStore
from core.record.entries import Record
from tests.conftest import seen_database, wait_until
from tui.clerk import ClerkApp
from tui.host import HostApp
from tui.paper import BallotGrid, ConfirmPaper
from tui.widgets.confirm import Confirm
from tui.widgets.entry import EntryArea, EntryEditor


async def type_text(pilot, text: str) -> None:
    """Type as the terminal driver delivers it: one key event per character, the
    character attached, full-width punctuation included (what an IME commits)."""
    for char in text:
        pilot.app.post_message(events.Key(_character_to_key(char), char))
        await pilot.pause()


async def test_focus_starts_in_the_question_box_and_enter_logs_it(demo_db, clock):
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.focused.id == "question-text"
        app.query_one("#asker", Input).value = "高天庚"
        await type_text(pilot, "如何坚持全过程人民民主，确保立法更好体现人民意志？")
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one("#question-text", EntryArea).text == ""
    questions = Record(MeetingStore(demo_db)).questions("法工委")
    assert [(q.asker, q.text, q.state) for q in questions] == [
        ("高天庚", "如何坚持全过程人民民主，确保立法更好体现人民意志？", "queued")
    ]


async def test_commentary_needs_a_commenter_and_is_saved_with_the_time(demo_db, clock):
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f2")
        assert app.focused.id == "commentary-text"
        await type_text(pilot, "要持续擦亮支部党建品牌")
        await pilot.press("enter")
        assert Record(app.store).commentary() == []  # nobody named: nothing saved…
        assert (
            app.query_one("#commentary-text", EntryArea).text == "要持续擦亮支部党建品牌"
        )  # …or lost
        app.query_one("#commenter", Input).value = "李清"
        app.query_one("#commentary-text", EntryArea).focus()
        await pilot.press("enter")
        await pilot.pause()
    (entry,) = Record(MeetingStore(demo_db)).commentary("法工委")
    assert (entry.commenter, entry.text, entry.at) == ("李清", "要持续擦亮支部党建品牌", clock())


@pytest.mark.slow  # more than ~2 s on a 2-core machine
async def test_queue_actions_asking_answer_reorder_withdraw_edit(demo_db, clock, store):
    record = Record(store)
    first = record.add_question("法工委", "高天庚", "第一问")
    second = record.add_question("法工委", "纪委书记", "第二问")
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        queue = app.query_one("#question-list", ListView)
        queue.focus()
        await pilot.pause()
        queue.index = 1
        await pilot.press("left_square_bracket")  # move the second question up
        assert [q.id for q in record.questions("法工委")] == [second, first]
        queue.index = 1
        await pilot.press("a")
        assert {q.id: q.state for q in record.questions("法工委")}[first] == "asking"
        await pilot.press("enter")
        assert isinstance(app.screen, EntryEditor)
        await type_text(pilot, "三个注重")
        await pilot.press("enter")
        await pilot.pause()
        answered = {q.id: q for q in record.questions("法工委")}[first]
        assert (answered.state, answered.answer) == ("answered", "三个注重")
        queue.index = 0
        await pilot.press("e")
        assert isinstance(app.screen, EntryEditor)
        await type_text(pilot, "（补充）")
        await pilot.press("enter")
        await pilot.pause()
        assert {q.id: q.text for q in record.questions("法工委")}[second] == "第二问（补充）"
        queue.index = 0
        await pilot.press("w")
        assert {q.id: q.state for q in record.questions("法工委")}[second] == "withdrawn"


async def test_switching_subject_mid_entry_loses_nothing(demo_db, clock):
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_text(pilot, "未写完的问题")
        app.query_one("#subject", Select).value = "人事室"
        await pilot.pause()
        assert app.subject == "人事室"
        assert app.query_one("#question-text", EntryArea).text == ""
        app.query_one("#subject", Select).value = "法工委"
        await pilot.pause()
        assert app.query_one("#question-text", EntryArea).text == "未写完的问题"


async def test_the_clerk_follows_the_podium(demo_db, clock, store):
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(3):
            store.move(+1)
        following = app.query_one("#following", Static)
        await wait_until(
            pilot, lambda: "教科文卫办" in str(following.render()) and app.subject == "教科文卫办"
        )
        assert app.subject == "教科文卫办"
        assert "述职 · 教科文卫办" in str(app.query_one("#following", Static).render())


async def test_the_podium_shows_the_clerks_entries(demo_db, clock):
    host = HostApp(demo_db, clock=clock, manage_service=False)
    async with host.run_test(size=(160, 48)) as pilot:
        clerk = Record(MeetingStore(demo_db, actor="clerk", clock=clock))
        asked = clerk.add_question("法工委", "高天庚", "如何推动党建与业务深度融合？")
        clerk.add_question("法工委", "", "如何加强年轻干部教育？")
        clerk.mark_asking(asked)
        clerk.add_commentary("法工委", "李清", "点评要点")
        questions = host.query_one("#questions-panel")
        await wait_until(
            pilot,
            lambda: (
                "点评要点" in str(host.query_one("#commentary-panel").render())
                and "高天庚" in str(questions.render())
            ),
            timeout=5.0,
        )
        assert "▶1. 高天庚：如何推动党建与业务深度融合？" in str(questions.render())
        assert questions.border_subtitle == "已回答 0/2"
        assert host.query_one("#commentary-panel").border_subtitle == "点评 1 条"
        assert "李清：点评要点" in str(host.query_one("#commentary-panel").render())


@pytest.mark.slow  # more than ~2 s on a 2-core machine
async def test_paper_ballot_is_entered_by_keys_and_counts_after_a_second_person(
    demo_db, clock, store
):
    store.set_poll("open")
    app = ClerkApp(demo_db, clock=clock, clerk="王记录")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        grid = app.query_one(BallotGrid)
        assert app.focused is grid
        cells = len(grid.subjects) * len(grid.columns_)
        await pilot.press(*(["1", "2", "3"] * (cells // 3)))
        await pilot.press("backspace", "0")  # correct the last cell to 不了解
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert turnout(store)["党组成员"] == (0, 7)  # not counted yet
        pending = app.query_one("#paper-pending", ListView)
        pending.focus()
        pending.index = 0
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmPaper)
        assert app.screen.query_one(BallotGrid).grades[("老干部处", "执行廉洁自律")] == "不了解"
        await type_text(pilot, "王记录")  # the same person may not confirm…
        await pilot.press("enter")
        await pilot.pause()
        assert turnout(store)["党组成员"] == (0, 7)
        assert isinstance(app.screen, ConfirmPaper)  # …and the right person types here
        assert "王记录" not in app.screen.query_one("#confirmer", Input).value
        await type_text(pilot, "李核对")
        await pilot.press("enter")
        await pilot.pause()
    assert turnout(store)["党组成员"] == (1, 7)
    source, by = store.db.execute("SELECT source, entered_by FROM ballots").fetchone()
    assert (source, by) == ("paper", "王记录")


async def test_the_selection_stays_on_the_same_question_after_every_action(demo_db, clock, store):
    record = Record(store)
    ids = [record.add_question("法工委", "", f"第{n}问") for n in (1, 2, 3)]
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        queue = app.query_one("#question-list", ListView)
        queue.focus()
        await pilot.pause()
        queue.index = 1
        for key in ["a", "right_square_bracket", "left_square_bracket", "w", "u"]:
            await pilot.press(key)
            await pilot.pause()
            assert queue.highlighted_child is not None, key
            assert queue.highlighted_child.entry_id == ids[1], key  # the clerk still sees it
        store_other = MeetingStore(demo_db, actor="clerk2", clock=clock)
        Record(store_other).answer(ids[1], "答")  # answered from elsewhere: still selected

        def shown_answered() -> bool:
            highlighted = queue.highlighted_child.query_one(Static)
            return seen_database(app) and "已回答" in str(highlighted.render())

        await wait_until(pilot, shown_answered)
        assert queue.highlighted_child.entry_id == ids[1]


async def test_delete_and_withdraw_can_be_undone(demo_db, clock, store):
    record = Record(store)
    question = record.add_question("法工委", "高天庚", "第一问")
    record.mark_asking(question)
    record.add_commentary("法工委", "李清", "点评要点")
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        queue = app.query_one("#question-list", ListView)
        queue.focus()
        await pilot.pause()
        await pilot.press("w")
        assert record.questions("法工委")[0].state == "withdrawn"
        await pilot.press("u")
        assert record.questions("法工委")[0].state == "asking"  # as it was
        await pilot.press("f2")
        comments = app.query_one("#commentary-list", ListView)
        comments.focus()
        await pilot.pause()
        await pilot.press("delete")
        assert record.commentary("法工委") == []
        await pilot.press("u")
        assert [c.text for c in record.commentary("法工委")] == ["点评要点"]


async def test_ctrl_q_with_an_unsaved_draft_asks(demo_db, clock):
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_text(pilot, "未写完")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, Confirm)
        assert "法工委" in str(app.screen.query_one(Static).render())
        await pilot.press("n")
        assert app.is_running
        app.query_one("#question-text", EntryArea).load_text("")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_a_blank_paper_ballot_needs_an_explicit_choice(demo_db, clock, store):
    store.set_poll("open")
    app = ClerkApp(demo_db, clock=clock, clerk="王记录")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, Confirm)
        await pilot.press("ctrl+s")  # a second Ctrl+S does not save it
        await pilot.press("n")
        await pilot.pause()
        assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 0
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert store.db.execute("SELECT count(*) FROM ballots").fetchone()[0] == 1


async def test_ctrl_c_outside_a_text_box_is_a_chinese_hint(demo_db, clock):
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        app.query_one("#question-list", ListView).focus()
        await pilot.press("ctrl+c")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert messages == ["退出请按 Ctrl+Q"]
        assert app.is_running


async def test_footer_offers_the_ledger_key_on_a_list_only(demo_db, clock):
    """`l` drafts a rectification item from the selected entry: the footer says so
    while a list has the focus, and not while the clerk types (there `l` is a letter)."""
    from textual.widgets._footer import FooterKey

    def offered(app: ClerkApp) -> bool:
        return "列入台账" in [key.description for key in app.query(FooterKey)]

    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 32)) as pilot:
        await wait_until(pilot, lambda: len(app.query(FooterKey)) > 0)
        assert not offered(app)
        for focus, shown in [
            ("#question-list", True),
            ("#question-text", False),
            ("#commentary-list", True),
        ]:
            app.query_one(focus).focus()
            await wait_until(pilot, lambda shown=shown: offered(app) == shown)
            assert offered(app) == shown, focus


@pytest.mark.slow  # real typing pace: about 6 s
async def test_typing_at_thirty_characters_a_second_loses_and_misplaces_nothing(
    demo_db, clock, store
):
    """#19 §11: the clerk types fast (30 characters a second, the pace is the behaviour
    under test, so it is real time) while the console saves drafts every 0.3 s and the
    podium moves on; every character lands in the box it was typed into."""
    import asyncio

    from textual.widgets import TextArea

    question = "请问，在立法工作中如何坚持全过程人民民主，确保每一项立法都更好体现人民意志？"
    remark = "要进一步发挥示范引领作用，持续擦亮支部党建品牌，把学习成果转化为工作实效。"

    async def type_fast(text: str) -> None:
        for char in text:
            pilot.app.post_message(events.Key(_character_to_key(char), char))
            await asyncio.sleep(1 / 30)

    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_fast(question[:20])
        store.move(1)  # the podium moves on mid-sentence (same subject: 点评)
        await type_fast(question[20:])
        await wait_until(pilot, lambda: app.query_one("#question-text", TextArea).text == question)
        await pilot.press("enter")
        await pilot.press("f2")
        app.query_one("#commenter", Input).focus()
        await type_fast("李清")
        await pilot.press("tab")
        await type_fast(remark)
        await wait_until(pilot, lambda: app.query_one("#commentary-text", TextArea).text == remark)
        assert app.query_one("#commenter", Input).value == "李清"
        await pilot.press("enter")
        await wait_until(pilot, lambda: not app.query_one("#commentary-text", TextArea).text)
    record = Record(MeetingStore(demo_db))
    assert [q.text for q in record.questions("法工委")] == [question]
    assert [(c.commenter, c.text) for c in record.commentary("法工委")] == [("李清", remark)]


def burst(app, keys) -> None:
    """Keys as tmux send-keys or a paste delivers them: all queued at once, none handled
    yet (`keys` are characters or Textual key names)."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key), key))
        else:
            app.post_message(events.Key(key, None))


async def test_text_typed_before_the_podium_moves_on_stays_with_its_subject(demo_db, clock, store):
    """The podium moves on while the clerk's keys are still queued: what was typed
    before the move stays whole with 法工委 (a kept draft, said so), what comes after is
    for the new subject, and Enter logs it there."""
    from core.record.drafts import load_draft

    before = "第一个问题：请介绍一下今年立法工作的主要亮点"  # 24 characters
    after = "教科文卫办：如何推进文化惠民工程落地见效"  # 20 characters
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        said: list[str] = []
        app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign]
        burst(app, before)
        for _ in range(3):
            store.move(+1)  # 述职 · 教科文卫办
        app.watch_database()  # the poll notices it with the burst still queued
        burst(app, after)
        box = app.query_one("#question-text", EntryArea)
        await wait_until(pilot, lambda: box.text == after, what="the new subject's text")
        assert app.subject == "教科文卫办"
        assert load_draft(app.store, app.clerk, "question-text", "法工委") == before
        assert any("法工委" in note for note in said)
        await pilot.press("enter")
        await wait_until(pilot, lambda: Record(app.store).questions("教科文卫办"))
        app.query_one("#subject", Select).value = "法工委"
        await wait_until(pilot, lambda: box.text == before, what="the kept draft back")
        burst(app, "？")  # typing goes on at the end of the kept draft
        await wait_until(pilot, lambda: box.text == before + "？")
    record = Record(MeetingStore(demo_db))
    assert [q.text for q in record.questions("教科文卫办")] == [after]
    assert record.questions("法工委") == []


async def test_commentary_refusal_keeps_the_focus_and_nothing_typed_is_lost(demo_db, clock):
    """Enter without a commenter refuses in one line and leaves the cursor where the
    clerk types; Enter in 点评人 moves on to 点评要点; a fast burst that goes back to the
    name, fills it and Tabs on to the comment puts every character where it was typed."""
    remark = "要进一步发挥示范引领作用持续擦亮支部党建品牌把学习成果转化为工作实效真抓实干"  # 40
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        said: list[str] = []
        app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign]
        text = app.query_one("#commentary-text", EntryArea)
        name = app.query_one("#commenter", Input)
        burst(app, ["f2", *"要点一", "enter", *"，要点二"])  # F2 and typing at once
        await wait_until(pilot, lambda: text.text == "要点一，要点二")
        assert app.focused is text and name.value == ""
        assert any("点评人" in note for note in said)
        # back to the name, clear it, a name, Enter moves on to the comment
        burst(app, ["shift+tab", "ctrl+u", *"李清", "enter", *"。"])
        await wait_until(pilot, lambda: text.text == "要点一，要点二。")
        assert name.value == "李清" and app.focused is text
        text.load_text("")
        # the tester's burst: Shift+Tab, Ctrl+U, a name, Tab, a 40-character comment
        burst(app, ["shift+tab", "ctrl+u", *"王建国", "tab", *remark])
        await wait_until(pilot, lambda: text.text == remark, what="the whole comment")
        assert name.value == "王建国" and app.focused is text
        # back to the name: Enter moves on to the comment, Enter there saves it
        burst(app, ["shift+tab", "enter", "enter"])
        await wait_until(pilot, lambda: Record(app.store).commentary("法工委"))
        await wait_until(pilot, lambda: text.text == "")
    (entry,) = Record(MeetingStore(demo_db)).commentary("法工委")
    assert (entry.commenter, entry.text) == ("王建国", remark)


async def test_the_paper_check_fits_80_columns_with_every_criterion_named_whole(
    demo_db, clock, store
):
    """The check dialog's grid cannot scroll: long criteria (履行管党治党政治责任) wrap in
    their headings instead of the last one being cut ("执行廉洁自")."""
    from core.ballots.items import form_items
    from core.ballots.paper import enter_paper_ballot
    from core.ballots.storing import BallotEntry

    store.set_poll("open")
    grades = {item: "较好" for item in form_items(store.meeting)}
    stored = enter_paper_ballot(store, "党员代表", BallotEntry(grades), "王记录")
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConfirmPaper(app.store, stored.ballot_id, "党员代表"))
        grid = await wait_until(pilot, lambda: app.screen.query_one("#confirm-grid", BallotGrid))
        await wait_until(pilot, lambda: grid.row_count and grid.size.width > 0)
        assert grid.virtual_size.width <= grid.size.width, (grid.virtual_size, grid.size)
        headings = ["".join(str(c.label).split("\n")) for c in grid.columns.values()]
        assert set(app.store.meeting.criteria) <= set(headings)
