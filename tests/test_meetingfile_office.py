"""The meeting-file fields the office's papers use: host, recorder, quorum."""

from __future__ import annotations

from fractions import Fraction

import pytest

from core.meeting.file import MeetingFileError, parse_meeting
from tests.conftest import DEMO_TEXT

PLAIN = DEMO_TEXT.replace('host = "张明远"', "", 1)  # the demo names its host


def with_head(lines: str) -> str:
    return PLAIN.replace('organiser = "', f'{lines}\norganiser = "', 1)


def test_host_recorder_and_quorum_are_optional():
    plain = parse_meeting(PLAIN)
    assert (plain.host, plain.recorder, plain.quorum) == ("", "", None)
    meeting = parse_meeting(with_head('host = "张主任"\nrecorder = " 王记录 "\nquorum = "2/3"'))
    assert (meeting.host, meeting.recorder, meeting.quorum) == ("张主任", "王记录", Fraction(2, 3))
    assert parse_meeting(with_head("quorum = 0.8")).quorum == Fraction(4, 5)


@pytest.mark.parametrize("value", ['"most"', "1.5", "-0.1"])
def test_a_bad_quorum_is_named(value):
    with pytest.raises(MeetingFileError) as caught:
        parse_meeting(with_head(f"quorum = {value}"))
    assert any("meeting.quorum" in line for line in caught.value.lines())
