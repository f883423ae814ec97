"""Attendance: the meeting file's list, the clerk's marks (store, screen, command line),
a busy database, the sign-in sheet and the minutes naming who came."""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import DataTable

from core.meeting.store import MeetingStore
from core.record.attendance import Mark, parse_mark, read_roll, set_mark
from core.store import StoreError
from tests.conftest import wait_until
from tests.office import text_of
from tui.attendance import AttendanceApp, AttendanceScreen
from tui.cli import run


def marks(db) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT name, mark FROM attendance"))


def test_the_roll_follows_the_meeting_file_and_every_mark_is_audited(store):
    roll = read_roll(store)
    assert roll.expected == 76 and roll.groups()[0] == "党组成员"
    assert roll.groups()[-1] == "列席人员" and roll.count(None) == 76
    set_mark(store, "李清", Mark.PRESENT)
    set_mark(store, "丁雅琴", Mark.LEAVE, "因公出差")
    set_mark(store, "李清", Mark.ABSENT)  # changed: one row, the latest mark
    set_mark(store, "潘思远", Mark.PRESENT)
    set_mark(store, "潘思远", None)  # cleared
    roll = read_roll(store)
    assert (roll.count(Mark.ABSENT), roll.count(Mark.LEAVE), roll.count(None)) == (1, 1, 74)
    assert [e.note for e in roll.with_mark(Mark.LEAVE)] == ["因公出差"]
    kinds = [e.kind for e in store.events() if e.kind.startswith("attendance.")]
    assert kinds == ["attendance.marked"] * 4 + ["attendance.cleared"]
    with pytest.raises(StoreError, match="不在会议文件的参会人员名单中"):
        set_mark(store, "路人甲", Mark.PRESENT)


@pytest.mark.parametrize("typed", ["出席", "present", " Present ", "请假", "缺席", "absent"])
def test_a_mark_is_read_as_typed(typed):
    assert parse_mark(typed) in (Mark.PRESENT, Mark.LEAVE, Mark.ABSENT)


def test_a_mistyped_mark_is_refused():
    with pytest.raises(StoreError, match="出席"):
        parse_mark("迟到")


def test_the_command_line_marks_and_lists(demo_db, capsys):
    assert run(["attendance", "mark", "李清", "王建国", "--as", "出席", "--db", str(demo_db)]) == 0
    assert (
        run(
            [
                "attendance",
                "mark",
                "丁雅琴",
                "--as",
                "leave",
                "--note",
                "病假",
                "--db",
                str(demo_db),
            ]
        )
        == 0
    )
    assert marks(demo_db) == {"李清": "present", "王建国": "present", "丁雅琴": "leave"}
    assert run(["attendance", "mark", "王建国", "--as", "clear", "--db", str(demo_db)]) == 0
    assert run(["attendance", "mark", "某某", "--as", "出席", "--db", str(demo_db)]) == 1
    assert "不在会议文件的参会人员名单中" in capsys.readouterr().err
    assert run(["attendance", "list", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert "丁雅琴" in out and "请假（病假）" in out
    assert "应到 76 人：出席 1，请假 1，缺席 0，未登记 74" in out


async def test_the_clerk_marks_by_key_and_finds_a_name(demo_db, clock):
    app = AttendanceApp(demo_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_until(
            pilot, lambda: isinstance(app.screen, AttendanceScreen) and app.screen
        )
        table = screen.query_one(DataTable)
        assert screen.selected == "张明远"
        await pilot.press("1")  # 出席, and on to the next
        await wait_until(pilot, lambda: marks(demo_db) == {"张明远": "present"})
        assert screen.selected == "李清"
        await pilot.press("2", "3")
        await wait_until(pilot, lambda: marks(demo_db).get("王建国") == "absent")
        assert marks(demo_db)["李清"] == "leave"
        await pilot.press("up", "0")  # 王建国 cleared
        await wait_until(pilot, lambda: "王建国" not in marks(demo_db))
        assert "出席 1" in str(screen.query_one("#att-counts").render())
        await pilot.press("slash", *"丁雅琴", "enter")
        assert table.row_count == 1 and screen.selected == "丁雅琴"
        await pilot.press("2")
        await wait_until(pilot, lambda: marks(demo_db).get("丁雅琴") == "leave")


async def test_marks_made_elsewhere_show_on_the_screen(demo_db, clock):
    app = AttendanceApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_until(
            pilot, lambda: isinstance(app.screen, AttendanceScreen) and app.screen
        )
        with MeetingStore(demo_db, clock=clock) as other:
            set_mark(other, "孙立新", Mark.ABSENT)
        table = screen.query_one(DataTable)
        await wait_until(pilot, lambda: str(table.get_cell("孙立新", "mark")) == "缺席")


@pytest.mark.fault
async def test_a_busy_database_keeps_the_mark_and_the_screen_answers(demo_db, clock):
    """Another program holds the write lock: the key still marks (on screen, kept), the
    screen says so in one line and keeps answering; once the lock goes the mark is
    stored without another key."""
    app = AttendanceApp(demo_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_until(
            pilot, lambda: isinstance(app.screen, AttendanceScreen) and app.screen
        )
        holder = sqlite3.connect(demo_db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("1")
            note = screen.query_one("#att-note")
            await wait_until(pilot, lambda: "数据库正忙" in str(note.render()))
            assert str(screen.query_one(DataTable).get_cell("张明远", "mark")).startswith("出席")
            await pilot.press("2")  # still answering: the next person
            assert screen.selected == "王建国"
            assert marks(demo_db) == {}
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await wait_until(pilot, lambda: marks(demo_db) == {"张明远": "present", "李清": "leave"})
        await wait_until(pilot, lambda: str(screen.query_one("#att-note").render()) == "")


def test_the_sign_in_sheet_lists_everyone_by_group(demo_db, tmp_path):
    with MeetingStore(demo_db) as store:
        set_mark(store, "丁雅琴", Mark.LEAVE, "因公出差")  # known before the sheet is printed
        expected = [name for group in store.meeting.attendees for name in group.people]
    out = tmp_path / "签到表.docx"
    assert run(["attendance", "--db", str(demo_db), "--out", str(out)]) == 0
    text = text_of(out)
    assert "市人大常委会机关2023年度述职述责述廉会议\n签到表" in text
    assert "党组成员（7人）" in text and "列席人员（4人）" in text
    for name in expected:
        assert name in text
    row = next(line for line in text.splitlines() if "丁雅琴" in line)
    assert "丁雅琴 | 请假" in row  # the box to sign says why nobody will
    assert "应到76人" in text and "{{" not in text


def test_without_a_list_there_is_no_sheet_and_the_minutes_count_ballots(tmp_path, clock, capsys):
    from tests.conftest import DEMO_TEXT

    text = DEMO_TEXT[: DEMO_TEXT.index("[[attendees]]")]
    db = tmp_path / "m.db"
    MeetingStore.create(db, text, "m.toml", clock=clock).close()
    assert run(["attendance", "--db", str(db), "--out", str(tmp_path / "s.docx")]) == 1
    assert "[[attendees]]" in capsys.readouterr().err
    assert run(["minutes", "--db", str(db), "--out", str(tmp_path / "m.md")]) == 0
    minutes = (tmp_path / "m.md").read_text("utf-8")
    assert "应到 72 人，实到 0 人（以收回测评票计）" in minutes
    assert "会议文件未列参会人员名单" in minutes


def test_the_minutes_name_who_attended_with_the_counts(demo_db, tmp_path):
    with MeetingStore(demo_db) as store:
        for name in ("张明远", "李清", "高天庚"):
            set_mark(store, name, Mark.PRESENT)
        set_mark(store, "丁雅琴", Mark.LEAVE, "因公出差")
        set_mark(store, "潘思远", Mark.ABSENT)
    out = tmp_path / "记录.docx"
    assert run(["minutes", "--db", str(demo_db), "--out", str(out)]) == 0
    text = text_of(out)
    assert "应到/实到：应到 76 人，出席 3 人，请假 1 人，缺席 1 人，未登记 71 人" in text
    assert "党组成员（2人）：张明远、李清" in text
    assert "驻机关纪检监察组（1人）：高天庚" in text
    assert "请假：丁雅琴（因公出差）" in text and "缺席：潘思远" in text


async def test_the_clerks_console_opens_the_sign_in_list_with_f5(demo_db, clock):
    """In the clerk's console F5 opens the sign-in list; a mark is stored; Esc goes
    back to the record where it was."""
    from textual.widgets._footer import FooterKey

    from tui.clerk import ClerkApp

    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 32)) as pilot:
        before = app.screen
        await pilot.press("f5")
        screen = await wait_until(
            pilot, lambda: isinstance(app.screen, AttendanceScreen) and app.screen
        )
        await wait_until(pilot, lambda: screen.selected == "张明远")
        await pilot.press("1")
        await wait_until(pilot, lambda: marks(demo_db) == {"张明远": "present"})
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is before)
        footer = [key.description for key in app.query(FooterKey)]
        assert "签到" in footer  # the footer names the key


async def test_a_name_typed_right_after_slash_lands_whole_in_the_search_box(demo_db, clock):
    """`/` then the name in one burst (a fast typist, tmux send-keys): no character of
    the name is lost; Enter and a digit in the same burst mark the person found."""
    from textual import events
    from textual.keys import _character_to_key
    from textual.widgets import Input

    def burst(keys) -> None:
        for key in keys:
            if len(key) == 1:
                app.post_message(events.Key(_character_to_key(key), key))
            else:
                app.post_message(events.Key(key, None))

    app = AttendanceApp(demo_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_until(
            pilot, lambda: isinstance(app.screen, AttendanceScreen) and app.screen
        )
        find = screen.query_one(Input)
        burst(["/", *"杨慧敏"])
        await wait_until(pilot, lambda: find.value == "杨慧敏", what="the whole name")
        assert screen.selected == "杨慧敏"
        burst(["escape", "/", "ctrl+u", *"丁雅琴", "enter", "2"])
        await wait_until(pilot, lambda: marks(demo_db).get("丁雅琴") == "leave")
        assert find.value == "丁雅琴" and marks(demo_db) == {"丁雅琴": "leave"}
