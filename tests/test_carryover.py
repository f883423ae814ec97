"""Next year: open items and results come over; the podium's line; the clerk marks answered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.ballots.demo import fill_demo_ballots
from core.ballots.results import load_tally, set_override
from core.ledger.carryover import carried_items, carried_status, mark_answered, status_line
from core.ledger.ledger import Ledger
from core.meeting.store import MeetingStore
from tests.conftest import DEMO_TEXT, settle
from tui.cli import run


@pytest.fixture
def last_year(tmp_path: Path) -> Path:
    path = tmp_path / "2023.db"
    with MeetingStore.create(path, DEMO_TEXT, "demo-meeting.toml") as store:
        fill_demo_ballots(store)
        set_override(store, "信息中心", "差", "信息安全管理存在严重问题")
        ledger = Ledger(store)
        ledger.add(
            "法工委", source="点评", problem="调研成果转化不够", deadline=dt.date(2024, 6, 30)
        )
        ledger.add("法工委", source="询问", problem="风险点排查不全", owner="张主任")
        done = ledger.add("人事室", problem="培训针对性不强")
        ledger.close(done, dt.date(2024, 5, 20))
        ledger.add("老干部处", problem="走访慰问不够")
    return path


@pytest.fixture
def next_toml(tmp_path: Path) -> Path:
    text = DEMO_TEXT.replace("2023年度", "2024年度").replace(
        "date = 2024-01-30", "date = 2025-01-28"
    )
    text = text[: text.index('[[subjects]]\nname = "老干部处"')]  # one subject fewer
    path = tmp_path / "next.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_open_items_and_results_are_carried_over(last_year, next_toml, tmp_path, capsys):
    new = tmp_path / "2024.db"
    code = run(["init", str(next_toml), "--carry-over", str(last_year), "--db", str(new)])
    assert code == 0
    err = capsys.readouterr().err
    assert "带入 2 项" in err and "老干部处" in err
    with MeetingStore(last_year) as last:
        last_result = {r.name: r for r in load_tally(last).subjects}["信息中心"]
    with MeetingStore(new) as store:
        items = Ledger(store).items()
        assert [(i.subject, i.seq, i.problem) for i in items] == [
            ("法工委", 1, "调研成果转化不够"),
            ("法工委", 2, "风险点排查不全"),
        ]  # the closed one stays behind, and so does the subject no longer reviewed
        assert items[0].deadline == dt.date(2024, 6, 30) and items[1].owner == "张主任"
        assert items[0].carried_from == "市人大常委会机关2023年度述职述责述廉会议"
        status = carried_status(store, "法工委")
        assert (status.carried, status.open, status.answered) == (2, 2, 0)
        poor = carried_status(store, "信息中心")
        assert poor.carried == 0
        assert poor.last.final_grade == "差" == last_result.final_grade
        assert poor.last.override_reason == "信息安全管理存在严重问题"
        assert poor.last.rank == last_result.rank
        assert [e.kind for e in store.events("carryover.")] == ["carryover.imported"]


def test_the_clerk_marks_carried_items_answered(last_year, next_toml, tmp_path):
    new = tmp_path / "2024.db"
    run(["init", str(next_toml), "--carry-over", str(last_year), "--db", str(new)])
    with MeetingStore(new, actor="clerk") as store:
        first = carried_items(store, "法工委")[0]
        mark_answered(store, first.id)
        status = carried_status(store, "法工委")
        assert (status.carried, status.open, status.answered) == (2, 2, 1)
        assert "上年整改 2 项 · 未销号 2 · 已答复 1" in status_line(status)
        Ledger(store).close(first.id)
        assert carried_status(store, "法工委").open == 1
        assert store.events("ledger.answered")[0].actor == "clerk"


def test_a_bad_last_year_creates_nothing(next_toml, tmp_path, capsys):
    not_a_meeting = tmp_path / "x.db"
    not_a_meeting.write_bytes(b"not sqlite")
    new = tmp_path / "2024.db"
    assert run(["init", str(next_toml), "--carry-over", str(not_a_meeting), "--db", str(new)]) == 1
    assert not new.exists()
    assert (
        run(["init", str(next_toml), "--carry-over", str(tmp_path / "无.db"), "--db", str(new)])
        == 1
    )
    assert "找不到上年" in capsys.readouterr().err
    assert not new.exists()


def test_results_are_not_carried_while_last_scoring_is_open(tmp_path, next_toml, capsys):
    last = tmp_path / "open.db"
    with MeetingStore.create(last, DEMO_TEXT, "demo-meeting.toml") as store:
        store.set_poll("open")
        Ledger(store).add("法工委", problem="x")
    new = tmp_path / "2024.db"
    assert run(["init", str(next_toml), "--carry-over", str(last), "--db", str(new)]) == 0
    assert "未带入上年结果" in capsys.readouterr().err
    with MeetingStore(new) as store:
        status = carried_status(store, "法工委")
        assert status.carried == 1 and status.last is None


async def test_the_podium_shows_carried_and_open_on_the_report_phase(
    last_year, next_toml, tmp_path
):
    from textual.widgets import Static

    from tui.host import HostApp

    new = tmp_path / "2024.db"
    run(["init", str(next_toml), "--carry-over", str(last_year), "--db", str(new)])
    app = HostApp(new, manage_service=False)
    async with app.run_test(size=(120, 40)) as pilot:
        note = str(app.query_one("#stage-note", Static).render())
        assert "上年整改 2 项 · 未销号 2 · 已答复 0" in note and "上年等次" in note
        with MeetingStore(new, actor="clerk") as clerk:
            mark_answered(clerk, carried_items(clerk, "法工委")[0].id)
        await settle(pilot)  # the clerk's change shows (within half a second, README)
        assert "已答复 1" in str(app.query_one("#stage-note", Static).render())
        with MeetingStore(new) as other:
            other.move(+1)  # 点评: the line belongs to the report phase only
        await settle(pilot)
        assert "上年整改" not in str(app.query_one("#stage-note", Static).render())
