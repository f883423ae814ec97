"""The meeting file understands the clerk: the values a clerk writes in Chinese are
read, each has one canonical spelling, and every mistake is reported once, at its
place, saying where to fix it."""

from __future__ import annotations

import datetime as dt

import pytest

from core.i18n import set_language
from core.meeting.file import MeetingFileError, parse_meeting, read_meeting
from core.meeting.model import Mode
from tests.conftest import DEMO_TEXT
from tests.test_meetingfile import one_problem

CRITERIA = 'criteria = ["抓基层党建工作", "履行管党治党政治责任", "执行廉洁自律"]\n'


def _mutated(old: str, new: str) -> str:
    assert old in DEMO_TEXT, f"the demo no longer contains {old!r}"
    return DEMO_TEXT.replace(old, new, 1)


# (the demo's text, a clerk's spelling of it, what the meeting then holds)
SPELLINGS = {
    "mode 书面": (
        'mode = "onsite"\norder = 4',
        'mode = "书面"\norder = 4',
        lambda m: m.subject("人事室").mode == Mode.WRITTEN,
    ),
    "mode 现场": (
        'name = "秘书处"\nunit = "办公厅秘书处"\nmode = "written"',
        'name = "秘书处"\nunit = "办公厅秘书处"\nmode = "现场"',
        lambda m: m.subject("秘书处").mode == Mode.ONSITE,
    ),
    "mode 书面述职": (
        'mode = "onsite"\norder = 4',
        'mode = "书面述职"\norder = 4',
        lambda m: m.subject("人事室").mode == Mode.WRITTEN,
    ),
    "duration 6分钟": (
        'duration = "8:00"',
        'duration = "6分钟"',
        lambda m: m.timing("report").duration == 360,
    ),
    "duration 6分30秒": (
        'duration = "8:00"',
        'duration = "6分30秒"',
        lambda m: m.timing("report").duration == 390,
    ),
    "duration 90秒": (
        'warning = "1:00"',
        'warning = "90秒"',
        lambda m: m.timing("report").warning == 90,
    ),
    "duration full-width ８：００": (
        'duration = "8:00"',
        'duration = "１０：００"',
        lambda m: m.timing("report").duration == 600,
    ),
    "duration 1小时": (
        'duration = "15:00"',
        'duration = "1小时"',
        lambda m: m.timing("scoring").duration == 3600,
    ),
    "expected 4人": (
        "expected = 7\n",
        'expected = "4人"\n',
        lambda m: m.categories[0].expected == 4,
    ),
    "expected ４ 名": (
        "expected = 7\n",
        'expected = "４ 名"\n',
        lambda m: m.categories[0].expected == 4,
    ),
    "date 2024年1月30日": (
        "date = 2024-01-30",
        'date = "2024年1月30日"',
        lambda m: m.date == dt.date(2024, 1, 30),
    ),
    "rectify_days 90天": (
        "rectify_days = 90",
        'rectify_days = "60天"',
        lambda m: m.feedback.rectify_days == 60,
    ),
    "number_start 3号": (
        "number_start = 1",
        'number_start = "3号"',
        lambda m: m.documents.number_start == 3,
    ),
    "min_chars 800字": (
        "min_chars = 800",
        'min_chars = "600字"',
        lambda m: m.reports.min_chars == 600,
    ),
}


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_a_clerks_spelling_is_understood(name):
    old, new, holds = SPELLINGS[name]
    meeting = parse_meeting(_mutated(old, new), "demo.toml")
    assert holds(meeting)


# Each a realistic mistake: (file text, the one path reported, words of its message).
ONCE = {
    # A bad head-count used to drop the category's weight too: a false weight sum.
    "bad expected": (
        _mutated("expected = 7\n", 'expected = "四人"\n'),
        "categories[1].expected",
        "应为整数",
    ),
    "bad weight": (
        _mutated("weight = 0.25", 'weight = "四分之一"'),
        "categories[1].weight",
        "应为数字",
    ),
    "missing weight": (
        _mutated("weight = 0.25\n", ""),
        "categories[1].weight",
        "缺少必填项",
    ),
    "bad name of a category a subject weighs": (
        _mutated("expected = 7\n", "expected = -1\n").replace(
            'mode = "onsite"\norder = 1\n',
            'mode = "onsite"\norder = 1\nweights = { "党组成员" = 0.5, "党员代表" = 0.5 }\n',
            1,
        ),
        "categories[1].expected",
        "不能为负数",
    ),
    "criteria under [meeting]": (
        DEMO_TEXT.replace(CRITERIA, "", 1).replace(
            'venue = "机关第一会议室"\n', f'venue = "机关第一会议室"\n{CRITERIA}', 1
        ),
        "meeting.criteria",
        "criteria 应写在文件开头、第一个 [表] 之前：写在 [meeting] 之后的字段都属于 [meeting]",
    ),
    "criteria at the end of the file": (
        DEMO_TEXT.replace(CRITERIA, "", 1) + "\n" + CRITERIA,
        "attendees[7].criteria",
        "写在 [[attendees]] 之后的字段都属于 [[attendees]]",
    ),
    "a rule under the wrong table": (
        _mutated('method = "weighted"\n', 'method = "weighted"\nall_same_invalid = true\n'),
        "scoring.combination.all_same_invalid",
        "此字段应写在 [scoring.validity] 下",
    ),
    "the title under [grades]": (
        _mutated('title = "市人大常委会机关2023年度述职述责述廉会议"\n', "").replace(
            'abstain = "不了解"', 'abstain = "不了解"\ntitle = "某县人大常委会述职会议"', 1
        ),
        "grades.title",
        "此字段应写在 [meeting] 下",
    ),
    "a misspelled table": (
        _mutated("[meeting]", "[meting]"),
        "meting",
        "是否应为 meeting",
    ),
    "a misspelled field": (
        _mutated('venue = "机关第一会议室"', 'venu = "机关第一会议室"'),
        "meeting.venu",
        "是否应为 venue",
    ),
    "bad points of a grade a band names": (
        _mutated('{ label = "好", points = 100 }', '{ label = "好", points = "一百" }'),
        "grades.scale[1].points",
        "应为数字",
    ),
    "bad mode of the only on-site subject": (
        DEMO_TEXT.replace('mode = "onsite"', 'mode = "written"').replace(
            'mode = "written"', 'mode = "现埸"', 1
        ),
        "subjects[1].mode",
        '实为 "现埸"',
    ),
    "bad combination weight": (
        _mutated(
            "weights = { meeting = 0.4, daily = 0.6 }",
            'weights = { meeting = "四成", daily = 0.6 }',
        ),
        "scoring.combination.weights.meeting",
        "应为数字",
    ),
    "seconds over 59": (
        _mutated('duration = "8:00"', 'duration = "6分90秒"'),
        "phases.report.duration",
        "应为秒数",
    ),
}


@pytest.mark.parametrize("name", sorted(ONCE))
def test_each_mistake_is_reported_once_at_its_place(name):
    set_language("zh")
    text, path, words = ONCE[name]
    problem = one_problem(text)
    assert problem.path == path and words in problem.message, problem


def test_a_syntax_error_shows_the_line_and_a_caret_under_the_place():
    set_language("zh")
    text = _mutated('title = "市人大常委会', "title = 市人大常委会")
    number = text.splitlines().index('title = 市人大常委会机关2023年度述职述责述廉会议"') + 1
    with pytest.raises(MeetingFileError) as caught:
        parse_meeting(text, "demo.toml")
    first, shown, caret = caught.value.lines()
    assert first.startswith(f"demo.toml:{number}: TOML 语法错误")
    assert shown == f'  {number} | title = 市人大常委会机关2023年度述职述责述廉会议"'
    # The caret stands under the first character TOML could not read: 市, after "title = ".
    assert caret == "  " + " " * len(str(number)) + " | " + " " * len("title = ") + "^"


def test_a_caret_after_chinese_counts_two_cells_a_character():
    text = _mutated('name = "党组成员"\nweight = 0.25', 'name = "党组成员" weight = 0.25')
    with pytest.raises(MeetingFileError) as caught:
        parse_meeting(text, "demo.toml")
    _, shown, caret = caught.value.lines()
    assert shown.endswith('name = "党组成员" weight = 0.25')
    # name = "党组成员" is 8 ASCII cells + 4 wide characters (8 cells) + the quote and space
    assert caret.index("^") - caret.index("|") - 2 == len('name = "') + 8 + len('" ')


@pytest.mark.parametrize(
    ("old", "new", "path", "written"),
    [
        ('duration = "8:00"', 'duration = "6分钟"', "phases.report.duration", "6:00"),
        ('duration = "8:00"', 'duration = "6分30秒"', "phases.report.duration", "6:30"),
        ('duration = "8:00"', 'duration = "８：００"', "phases.report.duration", "8:00"),
        ("expected = 7\n", 'expected = "4人"\n', "categories[1].expected", 4),
        ("date = 2024-01-30", 'date = "2024年1月30日"', "meeting.date", dt.date(2024, 1, 30)),
        ('mode = "onsite"', 'mode = "书面"', "subjects[1].mode", "written"),
        ("rectify_days = 90", 'rectify_days = "60天"', "feedback.rectify_days", 60),
        ("number_start = 1", 'number_start = "3号"', "documents.number_start", 3),
    ],
)
def test_each_spelling_has_one_canonical_form(old, new, path, written):
    assert read_meeting(_mutated(old, new)).respelled == {path: written}


def test_canonical_spellings_are_left_as_they_are():
    """The demo is written canonically: seconds (300) and "8:00" alike."""
    text = _mutated('duration = "5:00"', "duration = 300")
    assert read_meeting(text).respelled == {}


def test_messages_in_english_say_the_same():
    set_language("en")
    try:
        text, _, _ = ONCE["criteria under [meeting]"]
        with pytest.raises(MeetingFileError) as caught:
            parse_meeting(text, "demo.toml")
        assert caught.value.lines() == [
            "demo.toml: meeting.criteria: criteria belongs at the top of the file, before the "
            "first [table]: every field after [meeting] belongs to [meeting]"
        ]
    finally:
        set_language("zh")
