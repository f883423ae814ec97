"""The meeting file: the demo is valid, and every bad file gets a precise message."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from core.i18n import set_language
from core.meeting.file import MeetingFileError, Problem, parse_meeting
from tests.conftest import DEMO_TEXT


def test_demo_meeting_is_the_meeting_in_the_article():
    meeting = parse_meeting(DEMO_TEXT, "demo-meeting.toml")
    assert len(meeting.subjects) == 21
    assert [s.name for s in meeting.onsite] == ["法工委", "教科文卫办", "农业与农村办", "人事室"]
    assert len(meeting.written) == 17
    assert [c.name for c in meeting.categories] == [
        "党组成员",
        "机关党委委员",
        "机关纪委委员",
        "驻机关纪检监察组",
        "支部书记和支委委员",
        "党员代表",
    ]
    assert meeting.expected_voters == 72
    assert sum(c.weight for c in meeting.categories) == 1
    assert meeting.criteria == ("抓基层党建工作", "履行管党治党政治责任", "执行廉洁自律")
    assert [(g.label, g.points) for g in meeting.grades] == [
        ("好", 100),
        ("较好", 80),
        ("一般", 60),
        ("差", 40),
    ]
    assert meeting.abstain == "不了解"
    assert all(82 <= s.daily <= 97 for s in meeting.subjects)
    assert meeting.rules.combination == {"meeting": Fraction(2, 5), "daily": Fraction(3, 5)}
    assert [(b.min, b.grade) for b in meeting.rules.bands] == [
        (90, "好"),
        (80, "较好"),
        (60, "一般"),
        (0, "差"),
    ]
    rule = meeting.rules.share_rules[0]
    assert (rule.grades, rule.above, rule.grade) == (("差",), Fraction(1, 3), "差")
    assert meeting.rules.average_within_category
    timing = {p: meeting.timing(p) for p in ("report", "commentary", "questions")}
    assert [x.duration for x in timing.values()] == [480, 300, 480]
    assert all(x.warning == 60 for x in timing.values())


def _mutated(old: str, new: str, count: int = 1) -> str:
    assert old in DEMO_TEXT, f"the demo no longer contains {old!r}"
    return DEMO_TEXT.replace(old, new, count)


# Each bad file is the demo with one realistic mistake: (file text, path, message).
BAD_FILES = {
    "toml-syntax": (_mutated("[meeting]", "[meeting"), "", "TOML syntax error"),
    "missing-title": (
        _mutated('title = "市人大常委会机关2023年度述职述责述廉会议"\n', ""),
        "meeting.title",
        "required field is missing",
    ),
    "wrong-type": (
        _mutated("expected = 7\n", 'expected = "seven"\n'),
        "categories[1].expected",
        'expected an integer, got "seven"',
    ),
    "unknown-key": (
        _mutated('venue = "机关第一会议室"', 'venu = "机关第一会议室"'),
        "meeting.venu",
        "unknown field",
    ),
    "weights-sum": (
        _mutated("weight = 0.25", "weight = 0.30"),
        "categories",
        "category weights must sum to 1, got 1.05",
    ),
    "duplicate-subject": (
        _mutated('name = "综合处"', 'name = "秘书处"'),
        "subjects[6].name",
        "duplicate of subjects[5].name: 秘书处",
    ),
    "unknown-grade-in-rule": (
        _mutated('grades = ["差"]', 'grades = ["很差"]'),
        "scoring.share_rules[1].grades[1]",
        'unknown grade "很差"',
    ),
    "negative-duration": (
        _mutated('duration = "8:00"', "duration = -480"),
        "phases.report.duration",
        "must not be negative",
    ),
    "bad-mode": (
        _mutated('mode = "onsite"\norder = 3', 'mode = "live"\norder = 3'),
        "subjects[3].mode",
        'expected "onsite" / "written" / "现场" / "书面", got "live"',
    ),
    "empty-criteria": (
        _mutated(
            'criteria = ["抓基层党建工作", "履行管党治党政治责任", "执行廉洁自律"]', "criteria = []"
        ),
        "criteria",
        "needs at least one entry",
    ),
    "duplicate-grade": (
        _mutated('{ label = "较好", points = 80 }', '{ label = "好", points = 80 }'),
        "grades.scale[2].label",
        "duplicate of grades.scale[1].label",
    ),
    "abstain-is-a-grade": (
        _mutated('abstain = "不了解"', 'abstain = "差"'),
        "grades.abstain",
        'the abstain option "差" cannot also be a scored grade',
    ),
    "share-out-of-range": (
        _mutated('above = "1/3"', 'above = "4/3"'),
        "scoring.share_rules[1].above",
        "expected a share between 0 and 1",
    ),
    "warning-below-danger": (
        _mutated('warning = "1:00"\ndanger = "0:30"', 'warning = "0:20"\ndanger = "0:30"'),
        "phases.report.warning",
        "warning at 20 s must be greater than danger at 30 s",
    ),
    "bands-out-of-order": (
        _mutated("min = 80", "min = 95"),
        "scoring.bands",
        "from the highest minimum down",
    ),
    "daily-out-of-range": (
        _mutated("daily = 94.5", "daily = 194.5"),
        "subjects[1].daily",
        "expected a value from 0 to 100, got 194.5",
    ),
    "bad-date": (
        _mutated("date = 2024-01-30", 'date = "1月30日"'),
        "meeting.date",
        'expected a date (like 2024-01-30), got "1月30日"',
    ),
    "bad-duration-text": (
        _mutated('duration = "5:00"', 'duration = "五分钟"'),
        "phases.commentary.duration",
        'expected seconds, "minutes:seconds" or "6分钟"',
    ),
    "combination-without-meeting": (
        _mutated("weights = { meeting = 0.4, daily = 0.6 }", "weights = { daily = 1 }"),
        "scoring.combination.weights",
        "must include meeting",
    ),
    "no-onsite-subject": (
        DEMO_TEXT.replace('mode = "onsite"', 'mode = "written"'),
        "subjects",
        "at least one subject must report on site",
    ),
    "boolean-for-number": (
        _mutated("expected = 9", "expected = true"),
        "categories[2].expected",
        "expected an integer, got true",
    ),
}


def one_problem(text: str) -> Problem:
    """The one problem `sanshu check` finds in the text (failing on none or more)."""
    with pytest.raises(MeetingFileError) as caught:
        parse_meeting(text, "demo.toml")
    problems = caught.value.problems
    assert len(problems) == 1, caught.value.lines()
    return problems[0]


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_rejected_with_path_and_reason(name):
    """One realistic mistake, one message, at its place."""
    set_language("en")
    text, path, message = BAD_FILES[name]
    line = one_problem(text).render("demo.toml")
    expected_prefix = f"demo.toml: {path}: " if path else "demo.toml:"
    assert line.startswith(expected_prefix) and message in line, line


def test_syntax_error_names_the_line():
    text = DEMO_TEXT.replace("[meeting]", "[meeting", 1)
    line = text.splitlines().index("[meeting") + 1
    with pytest.raises(MeetingFileError) as caught:
        parse_meeting(text, "demo.toml")
    assert caught.value.lines()[0].startswith(f"demo.toml:{line}: ")


def test_every_problem_is_listed_at_once():
    text = _mutated('mode = "onsite"\norder = 3', 'mode = "live"\norder = 3').replace(
        "weight = 0.25", "weight = 0.5"
    )
    with pytest.raises(MeetingFileError) as caught:
        parse_meeting(text, "demo.toml")
    paths = [p.path for p in caught.value.problems]
    assert "subjects[3].mode" in paths and "categories" in paths


def test_messages_are_chinese_by_default():
    text = _mutated('mode = "onsite"\norder = 3', 'mode = "live"\norder = 3')
    with pytest.raises(MeetingFileError) as caught:
        parse_meeting(text, "demo.toml")
    assert caught.value.lines() == [
        'demo.toml: subjects[3].mode: 应为 "onsite" / "written" / "现场" / "书面"，实为 "live"'
    ]


def test_per_subject_overrides_and_fractions():
    text = _mutated(
        'mode = "onsite"\norder = 1\ndaily = 94.5',
        'mode = "onsite"\norder = 1\ndaily = 94.5\nphases = { report = { duration = "10:00" } }\n'
        'weights = { "党组成员" = "1/3", "机关党委委员" = "2/3" }',
    )
    meeting = parse_meeting(text, "demo.toml")
    subject = meeting.subject("法工委")
    assert meeting.timing("report", subject).duration == 600
    assert meeting.timing("report", subject).warning == 60  # inherited from the defaults
    assert meeting.timing("commentary", subject).duration == 300
    assert subject.weights == {"党组成员": Fraction(1, 3), "机关党委委员": Fraction(2, 3)}


def test_the_documented_example_is_valid():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "meeting-file.md").read_text("utf-8")
    example = doc.split("```toml\n")[-1].split("```")[0]
    meeting = parse_meeting(example, "example.toml")
    assert meeting.rules.trim.enabled and meeting.rules.trim.more_than == 5
    assert meeting.rules.validity.top_grade_quota == Fraction(1, 3)
    assert meeting.rules.validity.blank == "invalid"
    assert meeting.rules.combination["target"] == Fraction(7, 10)
    assert meeting.timing("report", meeting.subject("张局长")).duration == 900
    assert meeting.timing("report").auto_start
    assert meeting.poll.allow_revision
