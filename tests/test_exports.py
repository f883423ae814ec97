"""The result papers read back: the workbook's sheets, CSV, JSON, the text table."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from core.ballots.demo import fill_demo_ballots
from core.ballots.items import form_items
from core.ballots.results import load_tally
from core.ballots.storing import BallotEntry, store_ballot
from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from tests.conftest import DEMO_TEXT
from tui.cli import run


@pytest.fixture
def voted_db(demo_db, clock):
    """The demo meeting with its 72 sample ballots (two invalid), scoring closed, and
    a few comments."""
    with MeetingStore(demo_db, clock=clock) as store:
        fill_demo_ballots(store)
        first, second = (r[0] for r in store.db.execute("SELECT id FROM ballots LIMIT 2"))
        subject = store.ids("subjects")["法工委"]
        store.db.execute(
            "INSERT INTO comments (ballot_id, subject_id, text) VALUES (?, ?, '建议加强学习'), "
            "(?, ?, '台账要细化')",
            [first, subject, second, subject],
        )
        store.db.conn.commit()
    return demo_db


def export(db, tmp_path, fmt: str, *extra: str):
    out = tmp_path / f"r.{fmt}"
    assert run(["tally", "--db", str(db), "--format", fmt, "--out", str(out), *extra]) == 0
    return out


def rows_of(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


def header_index(sheet, first: str) -> int:
    """1-based row number of the table header starting with `first`."""
    for number, row in enumerate(rows_of(sheet), 1):
        if row and row[0] == first:
            return number
    raise AssertionError(f"no header {first} in {sheet.title}")


def test_summary_counts_are_integers_and_shares_percent(voted_db, tmp_path):
    book = load_workbook(export(voted_db, tmp_path, "xlsx"))
    assert book.sheetnames == ["汇总", "明细", "票数", "意见建议", "得分图"]
    sheet = book["汇总"]
    top = header_index(sheet, "排名")
    header = [c.value for c in sheet[top]]
    assert header[header.index("不了解") : header.index("不了解") + 2] == ["不了解", "不了解占比"]
    for r in range(top + 1, top + 22):
        row = {h: sheet.cell(row=r, column=i) for i, h in enumerate(header, 1)}
        for label in ("好", "较好", "一般", "差", "不了解"):
            count, share = row[label], row[f"{label}占比"]
            assert isinstance(count.value, int) and count.number_format == "0"
            assert share.number_format == "0.0%" and 0 <= share.value <= 1
        shares = sum(row[f"{g}占比"].value for g in ("好", "较好", "一般", "差", "不了解"))
        assert shares == pytest.approx(1)  # 不了解 included: shares add up
        assert row["综合得分"].number_format == "0.00"
    # The computed grade, the final grade and the override reason side by side.
    i = header.index("计算等次")
    assert header[i : i + 3] == ["计算等次", "最终等次", "调整理由"]


def test_summary_prints_on_a4_landscape_with_its_header_on_every_page(voted_db, tmp_path):
    sheet = load_workbook(export(voted_db, tmp_path, "xlsx"))["汇总"]
    top = header_index(sheet, "排名")
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == f"${top}:${top}"
    assert sheet.freeze_panes == f"C{top + 1}"
    texts = [row[0] for row in rows_of(sheet) if isinstance(row[0], str)]
    assert texts[0] == "市人大常委会机关2023年度述职述责述廉会议 测评结果汇总表"
    assert any("2024年1月30日" in x and "机关第一会议室" in x for x in texts)
    assert any("党组成员 7/7" in x and "党员代表 20/20" in x for x in texts)
    assert any("无效 2 张" in x and "所有对象等次相同 2" in x for x in texts)
    assert any(x.startswith("制表单位：机关党组") and "制表日期" in x for x in texts)
    # A Chinese header fits its column (two width units a character).
    assert sheet.column_dimensions["B"].width >= 2 * len("监察司法委办")


def test_every_score_is_recomputable_from_the_detail_sheet(voted_db, tmp_path):
    """Σ weight × mean ÷ Σ weight per criterion, then the mean of the criteria, rounded
    half up, gives the 测评得分 on 汇总 for every subject."""
    book = load_workbook(export(voted_db, tmp_path, "xlsx"))
    detail = book["明细"]
    top = header_index(detail, "述职对象")
    header = [c.value for c in detail[top]]
    assert header[:7] == [
        "述职对象",
        "测评项目",
        "测评人类别",
        "有效票",
        "计分票",
        "平均分",
        "权重",
    ]
    groups: dict[str, dict[str, list]] = {}
    formulas = 0
    for row in detail.iter_rows(min_row=top + 1):
        subject, criterion, _category, _valid, _scored, mean, weight = (c.value for c in row[:7])
        groups.setdefault(subject, {}).setdefault(criterion, []).append((mean, weight))
        formulas += isinstance(row[7].value, str) and row[7].value.startswith("=")
    assert len(groups) == 21 and formulas == 21 * 3
    summary = book["汇总"]
    s_top = header_index(summary, "排名")
    s_header = [c.value for c in summary[s_top]]
    scores = {
        r[1]: r[s_header.index("测评得分")] for r in rows_of(summary)[s_top:] if r[1] in groups
    }
    for subject, criteria in groups.items():
        criterion_scores = []
        for rows in criteria.values():
            used = [(Fraction(m), Fraction(w)) for m, w in rows if m is not None and w]
            total = sum(w for _, w in used)
            criterion_scores.append(sum(w * m for m, w in used) / total)
        recomputed = sum(criterion_scores) / len(criterion_scores)
        rounded = Decimal(float(recomputed)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert float(rounded) == scores[subject], subject


def test_ballots_sheet_lists_invalid_reasons_paper_and_turnout(voted_db, tmp_path):
    sheet = load_workbook(export(voted_db, tmp_path, "xlsx"))["票数"]
    table = {r[0].strip(): r[1] for r in rows_of(sheet) if r[0] and r[1] is not None}
    with MeetingStore(voted_db) as store:
        issued = load_tally(store).ballots.issued  # slips printed (how: the service's rule)
    assert table["发出（测评码）"] == issued and table["收回"] == 72
    assert table["有效"] == 70 and table["无效"] == 2
    assert table["其中：纸质票"] == 6 and table["其中：导入"] == 0
    assert table["无效原因：所有对象等次相同"] == 2
    assert table["党员代表"] == 20  # expected, then returned and %
    row = next(r for r in rows_of(sheet) if r[0] == "党员代表")
    assert row[1:4] == [20, 20, 1]


def test_comments_sheet_and_json_carry_comments_without_voters(voted_db, tmp_path):
    sheet = load_workbook(export(voted_db, tmp_path, "xlsx"))["意见建议"]
    found = [r for r in rows_of(sheet) if r[0] == "法工委"]
    assert [r[2] for r in found] == ["台账要细化", "建议加强学习"]  # sorted, not by ballot
    assert all(len([v for v in r if v is not None]) == 3 for r in found)
    data = json.loads(export(voted_db, tmp_path, "json").read_text(encoding="utf-8"))
    assert data["comments"]["法工委"] == ["台账要细化", "建议加强学习"]
    assert data["ballots"]["invalid_reasons"] == {"所有对象等次相同": 2}
    assert data["turnout"]["党员代表"] == {"returned": 20, "expected": 20}
    assert data["provisional"] is False and data["warnings"] == []


def test_chart_axis_is_honest_with_rank_one_on_top(voted_db, tmp_path):
    """The score axis starts at 0 (a bar's length is its score: 84 does not look a fifth
    of 95), every bar carries its value, rank 1 at the top."""
    book = load_workbook(export(voted_db, tmp_path, "xlsx"))
    sheet = book["得分图"]
    assert len(sheet._charts) == 1
    # openpyxl does not read charts back: check the chart's XML in the file.
    from zipfile import ZipFile

    with ZipFile(tmp_path / "r.xlsx") as archive:
        xml = archive.read("xl/charts/chart1.xml").decode()
    assert '<orientation val="maxMin"/>' in xml  # categories reversed: rank 1 at the top
    assert '<min val="0"/>' in xml and '<max val="100"/>' in xml  # demo: 84.47 … 95.66
    assert '<showVal val="1"/>' in xml  # each bar labelled with its score
    assert '<tickLblSkip val="1"/>' in xml  # every subject labelled
    names = [sheet.cell(row=r, column=1).value for r in range(4, 25)]
    assert names[0] == "研究室" and len(names) == 21  # rank order


def test_results_are_refused_while_scoring_is_open_unless_provisional(
    demo_db, store, tmp_path, capsys
):
    store.set_poll("open")
    for slip in issue_tokens(store, "党组成员", 2):
        store_ballot(store, slip.token, BallotEntry(dict.fromkeys(form_items(store.meeting), "好")))
    out = tmp_path / "r.xlsx"
    code = run(["tally", "--db", str(demo_db), "--format", "xlsx", "--out", str(out)])
    assert code != 0 and not out.exists()
    assert "--provisional" in capsys.readouterr().err
    for fmt in ("xlsx", "csv", "json", "table"):
        path = export(demo_db, tmp_path, fmt, "--provisional")
        if fmt == "xlsx":
            book = load_workbook(path)
            titles = [book[name]["A1"].value for name in book.sheetnames]
            assert all("临时结果（测评尚未结束）" in title for title in titles)
        else:
            assert "临时结果（测评尚未结束）" in path.read_text(encoding="utf-8-sig")


def test_a_category_without_ballots_and_a_low_turnout_warn_in_every_format(tmp_path, clock):
    text = DEMO_TEXT.replace('organiser = "', 'quorum = "2/3"\norganiser = "', 1)
    db = tmp_path / "q.db"
    MeetingStore.create(db, text, "q.toml", clock=clock).close()
    with MeetingStore(db, clock=clock) as store:
        store.set_poll("open")
        for slip in issue_tokens(store, "党员代表", 5):
            store_ballot(
                store, slip.token, BallotEntry(dict.fromkeys(form_items(store.meeting), "较好"))
            )
        store.set_poll("closed")
    for fmt in ("xlsx", "csv", "json", "table"):
        path = export(db, tmp_path, fmt)
        if fmt == "xlsx":
            sheet = load_workbook(path)["汇总"]
            text = "\n".join(str(r[0]) for r in rows_of(sheet) if r[0])
        else:
            text = path.read_text(encoding="utf-8-sig")
        assert "“党组成员”类别未收回测评票" in text, fmt
        assert "低于会议规定的 66.7%" in text, fmt


def test_table_written_to_a_file_has_no_bar_art(voted_db, tmp_path):
    text = export(voted_db, tmp_path, "table").read_text(encoding="utf-8")
    assert "研究室" in text and "█" not in text and "\x1b[" not in text


def test_a_long_override_reason_gets_a_row_tall_enough_to_print(voted_db, tmp_path):
    reason = "党组研究：年度内发生一起信息安全事件，按规定最终等次调整为一般"
    assert (
        run(["tally", "override", "信息中心", "一般", "--reason", reason, "--db", str(voted_db)])
        == 0
    )
    sheet = load_workbook(export(voted_db, tmp_path, "xlsx"))["汇总"]
    top = header_index(sheet, "排名")
    header = [c.value for c in sheet[top]]
    row = next(
        r for r in range(top + 1, top + 22) if sheet.cell(row=r, column=2).value == "信息中心"
    )
    values = {h: sheet.cell(row=row, column=i).value for i, h in enumerate(header, 1)}
    assert (values["计算等次"], values["最终等次"], values["调整理由"]) == ("较好", "一般", reason)
    assert sheet.cell(row=row, column=header.index("调整理由") + 1).alignment.wrap_text
    assert sheet.row_dimensions[row].height >= 2 * 15  # wrapped onto several lines, not spilt


def test_results_shown_while_open_are_marked_provisional(tmp_path, clock):
    text = DEMO_TEXT.replace("hide_results_until_close = true", "hide_results_until_close = false")
    db = tmp_path / "open.db"
    MeetingStore.create(db, text, "open.toml", clock=clock).close()
    with MeetingStore(db, clock=clock) as store:
        store.set_poll("open")
        for slip in issue_tokens(store, "党组成员", 1):
            grades = dict.fromkeys(form_items(store.meeting), "好")
            store_ballot(store, slip.token, BallotEntry(grades))
    data = json.loads(export(db, tmp_path, "json").read_text(encoding="utf-8"))
    assert data["provisional"] is True and "临时结果（测评尚未结束）" in data["title"]
