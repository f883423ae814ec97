"""`sanshu demo --with-ballots` is a meeting that was run: its papers read as the
office will get them (times, host, commentary, questions, answers, attendance)."""

from __future__ import annotations

import os
import time

import pytest

from core.meeting.store import MeetingStore
from core.record.attendance import Mark, read_roll
from core.record.entries import Record
from tui.cli import run


@pytest.fixture
def beijing():
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_the_demo_was_held_and_its_minutes_say_so(tmp_path, monkeypatch, beijing):
    from tui.cli import meeting as cli

    monkeypatch.setattr(cli, "run_host", lambda _path: None)  # the console is tested elsewhere
    db = tmp_path / "demo.db"
    assert run(["demo", "--with-ballots", "--db", str(db)]) == 0
    with MeetingStore(db) as store:
        state = store.state()
        assert state.poll == "closed" and state.step.phase == "results"
        roll = read_roll(store)
        assert (roll.count(Mark.PRESENT), roll.count(Mark.LEAVE), roll.count(Mark.ABSENT)) == (
            74,
            1,
            1,
        )
        record = Record(store)
        for subject in store.meeting.onsite:
            assert len(record.commentary(subject.name)) == 2
            assert [q.state for q in record.questions(subject.name)][:2] == ["answered"] * 2
    out = tmp_path / "记录.md"
    assert run(["minutes", "--db", str(db), "--out", str(out)]) == 0
    minutes = out.read_text("utf-8")
    assert "未进行" not in minutes  # every phase was held, with its time
    assert "**时　　间**：2024年1月30日 09:00—10:31" in minutes
    assert "**主持人**：张明远" in minutes and "**记录人**：王记录" in minutes
    assert "应到 76 人，出席 74 人，请假 1 人，缺席 1 人" in minutes
    assert "述职用时 8:35（计划 8:00，超时 0:35）" in minutes
    assert "请假：丁雅琴（因公出差）" in minutes and "未答复" in minutes
    assert "信息中心：计算等次 较好，最终等次 一般" in minutes
