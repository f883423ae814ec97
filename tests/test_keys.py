"""One key table for every console (#19 §9): the meeting's clicker keys from its file,
checked like the rest of it; `sanshu keys` reads a pressed key; the `?` / F1 help
panel of every console (#24 §5)."""

from __future__ import annotations

import pytest
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from core.i18n import set_language
from core.meeting.file import MeetingFileError, parse_meeting
from core.meeting.store import MeetingStore
from tests.conftest import DEMO_TEXT, settle, wait_until
from tui.clerk import ClerkApp
from tui.display import DisplayApp
from tui.host import HostApp
from tui.keytest import KeysApp
from tui.ledger import LedgerApp
from tui.widgets.help import HelpPanel

CLICKER = """
[keys]
next = ["F5", "→"]            # this clicker's "next slide"
previous = "Shift+F5"
blank = ["."]
"""


def test_the_meeting_file_names_keys_as_a_person_does():
    meeting = parse_meeting(DEMO_TEXT + CLICKER)
    assert meeting.keys == {
        "next": ("f5", "right"),
        "previous": ("shift+f5",),
        "blank": ("full_stop",),
    }


@pytest.mark.parametrize(
    ("keys", "where", "message"),
    [
        ('next = "PgDnn"', "keys.next", '不认识的按键 "PgDnn"'),
        ('next = "space"', "keys.next", "按键 space 已用于“开始/暂停”"),
        ('blank = "q"', "keys.blank", "按键 q 已用于“退出”"),
        ('results = "b"', "keys.results", "按键 b 已用于“keys.blank”"),
        ("scoring = []", "keys.scoring", "应为一个按键名或按键名列表"),
        ("scoring = 5", "keys.scoring", "应为一个按键名或按键名列表"),
        ('stop = "esc"', "keys.stop", "未知的字段"),
    ],
)
def test_a_bad_key_is_named_with_where_and_why(keys, where, message):
    with pytest.raises(MeetingFileError) as refused:
        parse_meeting(DEMO_TEXT + "\n[keys]\n" + keys + "\n", "m.toml")
    lines = refused.value.lines()
    assert len(lines) == 1, lines  # one mistake, one line
    assert lines[0].startswith(f"m.toml: {where}: ") and message in lines[0], lines


@pytest.fixture
def clicker_db(tmp_path, clock):
    path = tmp_path / "clicker.db"
    MeetingStore.create(path, DEMO_TEXT + CLICKER, "clicker.toml", clock=clock).close()
    return path


async def test_the_remapped_clicker_walks_the_agenda(clicker_db, clock):
    app = HostApp(clicker_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("f5")  # the first press starts the clock
        assert app.state.step.timer.running
        clock.advance(2)
        await pilot.press("f5")
        assert app.state.position == 1
        clock.advance(2)
        await pilot.press("pagedown")  # no longer this meeting's key
        assert app.state.position == 1
        clock.advance(2)
        await pilot.press("shift+f5")
        assert app.state.position == 0
        await pilot.press("full_stop")
        assert app.store.projector_blank()
        await pilot.press("b")  # not this meeting's blank key
        assert app.store.projector_blank()
        await wait_until(pilot, lambda: app.query(FooterKey))
        footer = " ".join(str(key.render()) for key in app.query(FooterKey))
        assert "F5" in footer and "PgDn" not in footer


async def test_sanshu_keys_says_what_each_key_is_read_as(clicker_db):
    app = KeysApp(MeetingStore(clicker_db).meeting.keys, str(clicker_db))
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.press("f5")
        assert "下一步" in str(app.query_one("#last", Static).render())
        await pilot.press("pagedown")
        assert "主持台不处理这个键" in str(app.query_one("#last", Static).render())
        await pilot.press("q")  # read, not acted on: q would quit the podium
        assert app.is_running and "退出" in str(app.query_one("#last", Static).render())


def help_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_help_opens_with_the_keys_and_the_phase_and_esc_closes_it(demo_db, clock, lang):
    set_language(lang)  # labels are looked up when shown, not when the module loaded
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.query(FooterKey))
        footer = " ".join(str(key.render()) for key in app.query(FooterKey))
        assert ("? 帮助" if lang == "zh" else "? Help") in footer
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpPanel)
        text = help_text(app)
        if lang == "zh":
            assert "PgDn / →" in text and "下一步" in text and "述职：" in text
            assert str(demo_db) in text  # the database's path, while the podium runs
        else:
            assert "PgDn / →" in text and "Next" in text and "Report:" in text
        await pilot.press("space")  # the meeting's keys do nothing behind it
        assert not app.store.state().step.timer.started
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpPanel)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpPanel)


@pytest.mark.parametrize("console", [ClerkApp, LedgerApp, DisplayApp])
async def test_every_console_has_its_help(demo_db, clock, console):
    app = console(demo_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpPanel))
        assert "会议数据库" in help_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpPanel)


async def test_a_question_mark_typed_by_the_clerk_stays_in_the_box(demo_db, clock):
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", "question_mark")
        assert not isinstance(app.screen, HelpPanel)
        assert app.query_one("#question-text").text == "a?"


def test_the_demo_files_commented_keys_are_valid_and_the_defaults():
    """The demo file shows the [keys] section commented out: uncommented, it is the
    defaults, so an organiser can start from it."""
    from core.meeting.file.keys import CLICKER_DEFAULTS

    fields = ("[keys]", "next ", "previous ", "blank ", "scoring ", "results ")
    block = [line[2:] for line in DEMO_TEXT.splitlines() if line[2:].startswith(fields)]
    assert block[0] == "[keys]" and len(block) == 6
    assert parse_meeting(DEMO_TEXT + "\n" + "\n".join(block)).keys == CLICKER_DEFAULTS


async def test_at_80_columns_the_footer_shows_blanking_and_help_tells_plus_from_minus(
    demo_db, clock
):
    """b (the room's screen) is on the footer of an 80-column podium, and + and - say
    which way they move the clock."""
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.query(FooterKey))
        whole = [str(key.render()) for key in app.query(FooterKey) if key.region.right <= 80]
        assert any("b" in text and "黑屏" in text for text in whole), whole
        await pilot.press("question_mark")
        text = help_text(app)
        assert "加30秒" in text and "减30秒" in text
