"""The phase timer is computed from stored instants."""

from __future__ import annotations

from core.meeting import timer as timers
from core.meeting.timer import Timer, format_seconds, level


def test_countdown_pause_resume_adjust_reset():
    tm = timers.start(Timer(duration=480), now=100.0)
    assert tm.remaining(160.0) == 420
    tm = timers.pause(tm, now=160.0)
    assert tm.remaining(999.0) == 420  # paused: the clock moving changes nothing
    tm = timers.start(tm, now=200.0)
    assert tm.remaining(230.0) == 390
    tm = timers.adjust(tm, 30)
    assert tm.remaining(230.0) == 420
    tm = timers.reset(tm)
    assert not tm.started and tm.remaining(500.0) == 480


def test_overtime_goes_negative_and_keeps_counting():
    tm = timers.start(Timer(duration=60), now=0.0)
    assert tm.remaining(75.0) == -15
    assert format_seconds(tm.remaining(75.0)) == "-0:15"
    assert level(tm, 75.0, warning=30, danger=10) == "overtime"


def test_colour_levels_follow_thresholds():
    tm = timers.start(Timer(duration=480), now=0.0)
    assert level(Timer(duration=480), 0.0, 60, 30) == "idle"
    assert level(tm, 100.0, 60, 30) == "normal"
    assert level(tm, 420.0, 60, 30) == "warning"  # exactly 60 s left
    assert level(tm, 450.0, 60, 30) == "danger"
    assert level(tm, 480.0, 60, 30) == "danger"  # zero is not yet overtime


def test_format_rounds_a_countdown_up():
    assert format_seconds(480) == "8:00"
    assert format_seconds(479.2) == "8:00"
    assert format_seconds(0.4) == "0:01"
    assert format_seconds(0) == "0:00"
    assert format_seconds(-0.5) == "0:00"
    assert format_seconds(-61) == "-1:01"
