"""Meeting files: numbers bounded, control characters refused, huge or binary
files refused with a clear message; any printable name is fine."""

from __future__ import annotations

import pytest

from core.meeting.file import MeetingFileError, load_meeting, parse_meeting
from core.text import clean_text, control_chars
from tests.conftest import DEMO_TEXT
from tui.cli import run


def _problems(text: str) -> str:
    with pytest.raises(MeetingFileError) as caught:
        parse_meeting(text, "m.toml")
    return "\n".join(caught.value.lines())


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("weight = 0.25\nexpected = 7", "weight = nan\nexpected = 7", "有限的数字"),
        ("weight = 0.25\nexpected = 7", "weight = inf\nexpected = 7", "有限的数字"),
        ("weight = 0.25\nexpected = 7", "weight = 1e400\nexpected = 7", "有限的数字"),
        ("expected = 7\n", "expected = 10001\n", "最多 10000 名"),
        ("expected = 7\n", "expected = 99999999999999999\n", "数值过大"),
        ("weight = 0.25\nexpected = 7", f'weight = "{"1" * 5000}"\nexpected = 7', "数值过大"),
    ],
)
def test_numbers_are_bounded(old, new, words):
    assert old in DEMO_TEXT
    assert words in _problems(DEMO_TEXT.replace(old, new, 1))


def test_control_characters_in_names_are_refused():
    text = DEMO_TEXT.replace('name = "法工委"', 'name = "法工\\u001b[31m委"', 1)
    problems = _problems(text)
    assert "subjects[1].name" in problems and "控制字符" in problems and "U+001B" in problems


def test_colons_and_emoji_in_names_pass():
    text = DEMO_TEXT.replace('name = "法工委"', 'name = "法:工委 🏛️"', 1)
    assert parse_meeting(text).onsite[0].name == "法:工委 🏛️"


def test_check_on_a_huge_or_binary_file_is_a_clear_message(tmp_path, capsys):
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"# " + b"x" * (2 * 1024 * 1024))
    binary = tmp_path / "photo.toml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert run(["check", str(huge)]) == 1
    assert capsys.readouterr().err.strip() == "文件 huge.toml 超过 1 MB，未读取"
    assert run(["check", str(binary)]) == 1
    assert "不是文本文件" in capsys.readouterr().err
    with pytest.raises(MeetingFileError):
        load_meeting(binary)


def test_clean_text_keeps_words_and_line_breaks_only():
    assert clean_text("意见\r\n建议\t一\x1b[31m二\x00\u202e三 👍") == "意见\n建议 一[31m二三 👍"
    assert clean_text("a\nb", keep_newlines=False) == "a b"
    assert control_chars("法:工委 🏛️") == []
    assert control_chars("a\x07b\u2028") == ["U+0007", "U+2028"]


def test_an_integer_of_thousands_of_digits_is_a_clear_message(tmp_path, capsys):
    path = tmp_path / "m.toml"
    path.write_text(DEMO_TEXT.replace("expected = 7\n", "expected = " + "9" * 5000 + "\n", 1))
    assert run(["check", str(path)]) == 1
    assert "数千位" in capsys.readouterr().err
