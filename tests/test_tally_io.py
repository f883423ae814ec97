"""Tally exports, imported ballots and daily scores, overrides, and the results screen."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from rich.console import Console
from textual.widgets import DataTable, Static

from core.ballots.items import form_items
from core.ballots.results import load_tally
from core.ballots.storing import BallotEntry, store_ballot
from core.ballots.tokens import issue_tokens
from tests.conftest import settle
from tui.cli import run
from tui.host import HostApp

C1 = "抓基层党建工作"


def vote(store, category: str, grade: str, n: int = 1) -> None:
    for slip in issue_tokens(store, category, n):
        grades = {item: grade for item in form_items(store.meeting)}
        grades[("法工委", C1)] = "好"
        store_ballot(store, slip.token, BallotEntry(grades))


def test_csv_has_a_bom_and_shares_apart_from_scores(demo_db, store, tmp_path):
    store.set_poll("open")
    vote(store, "党员代表", "较好", 2)
    store.set_poll("closed")
    out = tmp_path / "t.csv"
    assert run(["tally", "--db", str(demo_db), "--format", "csv", "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))[1:]  # under the title
    assert rows[0][:5] == ["排名", "述职对象", "方式", "好", "好占比"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["述职对象"] == "法工委" and first["好"] == "2" and first["好占比"] == "33.3%"
    assert first["综合得分"] == "91.37"


def test_daily_import_and_override(demo_db, store, tmp_path, capsys):
    book = Workbook()
    book.active.append(["述职对象", "日常考核得分"])
    book.active.append(["法工委", 88])
    book.active.append(["不存在的处", 90])
    book.active.append(["人事室", "一百"])
    path = tmp_path / "daily.xlsx"
    book.save(path)
    assert run(["daily", "import", "--db", str(demo_db), str(path)]) == 1
    err = capsys.readouterr().err
    assert "第 3 行 A 列：没有名为 “不存在的处” 的述职对象" in err and "第 4 行 B 列" in err
    book.active.delete_rows(3, 2)
    book.save(path)
    assert run(["daily", "import", "--db", str(demo_db), str(path), "--partial"]) == 0
    store.set_poll("open")
    vote(store, "党员代表", "较好")
    fa = next(s for s in load_tally(store).subjects if s.name == "法工委")
    assert fa.daily_score == 88
    assert (
        run(["tally", "override", "法工委", "好", "--reason", "党组研究决定", "--db", str(demo_db)])
        == 0
    )
    fa = next(s for s in load_tally(store).subjects if s.name == "法工委")
    assert (fa.computed_grade, fa.final_grade, fa.override_reason) == ("较好", "好", "党组研究决定")
    assert store.events("tally.override")[0].payload["reason"] == "党组研究决定"
    assert run(["tally", "override", "法工委", "优秀", "--reason", "x", "--db", str(demo_db)]) == 1


async def test_results_on_the_podium_only_after_scoring_closes(demo_db, clock, store):
    store.set_poll("open")
    vote(store, "党组成员", "好", 2)
    vote(store, "党员代表", "差", 3)
    store.move(13)  # at the results (t itself works only once scoring is closed)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert not app.screen.has_class("-results")
        assert "测评结束后显示结果" in str(app.query_one("#stage-note", Static).render())
        store.set_poll("closed")
        await settle(pilot)
        assert app.screen.has_class("-results")
        table = app.query_one("#ranking", DataTable)
        assert table.row_count == 21
        first = [str(c) for c in table.get_row_at(0)]
        assert first[:2] == ["▶1", "法工委"]  # the selected row is marked
        poor = [str(c) for c in table.get_row_at(table.get_row_index("人事室"))]
        assert poor[2] == "差" and "约谈提醒" in poor[4]
        await pilot.press("down")
        console = Console(width=60, record=True, file=io.StringIO())
        console.print(app.query_one("#breakdown", Static).content)
        breakdown = console.export_text()
        second = str(table.get_row_at(1)[1])
        assert f"{second} · 分项得分" in breakdown
        assert "党组成员" in breakdown and "抓基层党建工作" in breakdown


def test_an_exponent_in_a_daily_score_is_refused_at_once(tmp_path, demo_db):
    """1e10000000 is short but would take seconds to convert exactly: refused by spelling."""
    import time

    path = tmp_path / "daily.csv"
    path.write_text("述职对象,得分\n法工委,1e10000000\n", encoding="utf-8")
    started = time.perf_counter()
    assert run(["daily", "import", "--db", str(demo_db), str(path)]) == 1
    assert time.perf_counter() - started < 3  # a hang, not a benchmark


def breakdown_text(app) -> str:
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(app.query_one("#breakdown", Static).content)
    return console.export_text()


async def test_the_room_never_sees_the_score_of_a_category_under_three_ballots(
    demo_db, clock, store
):
    """The one 驻机关纪检监察组 voter's category score would be that voter's grades, and
    with the weights and the overall score a hidden category can be worked out from the
    others: below three ballots in any category, no category's score is on screen."""
    store.set_poll("open")
    vote(store, "党组成员", "较好", 3)
    vote(store, "党员代表", "较好", 3)
    vote(store, "驻机关纪检监察组", "差", 1)
    store.set_poll("closed")
    store.move(13)
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        shown = breakdown_text(app)
        assert "有类别不足 3 票，为保护无记名，各类别得分不在屏幕上显示" in shown
        rows = {line.split()[0]: line.split()[1:] for line in shown.splitlines() if line.strip()}
        assert rows["驻机关纪检监察组"] == ["1", "—"]
        assert rows["党组成员"] == ["3", "—"]  # not shown either: it would give the 1 away
    store.set_poll("open", reason="两名同志迟到补投")
    vote(store, "驻机关纪检监察组", "差", 2)
    store.set_poll("closed")
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        shown = breakdown_text(app)
        assert "不足" not in shown
        rows = {line.split()[0]: line.split()[1:] for line in shown.splitlines() if line.strip()}
        assert rows["驻机关纪检监察组"][0] == "3" and rows["党组成员"][0] == "3"
        assert rows["党组成员"][1] != "—"


def test_the_out_files_extension_chooses_the_format(demo_db, store, tmp_path, capsys):
    """`tally --out 结果.xlsx` writes a workbook (it wrote a text table named .xlsx,
    which Excel and `tally --check` then called damaged); a clashing --format is refused."""
    from openpyxl import load_workbook

    store.set_poll("open")
    vote(store, "党员代表", "较好", 2)
    store.set_poll("closed")
    book = tmp_path / "结果.xlsx"
    assert run(["tally", "--db", str(demo_db), "--out", str(book)]) == 0
    assert load_workbook(book).sheetnames  # a text file named .xlsx does not load
    assert run(["tally", "--db", str(demo_db), "--check", str(book)]) == 0
    data = tmp_path / "结果.json"
    assert run(["tally", "--db", str(demo_db), "--out", str(data)]) == 0
    assert data.read_text(encoding="utf-8").lstrip().startswith("{")
    capsys.readouterr()
    assert run(["tally", "--db", str(demo_db), "--format", "csv", "--out", str(book)]) == 2
    assert "扩展名不一致" in capsys.readouterr().err
