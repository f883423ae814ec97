"""The papers the office files and publishes, read back and held against
`sanshu tally --format json`: the 通报, the 排名表 (Word and Excel), the paper ballot,
every workbook's cells and print settings; rendered through LibreOffice where the
question is where a line falls on the page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from core.ballots.items import choice_labels, form_columns
from core.meeting.file import parse_meeting
from tests.conftest import DEMO_TEXT
from tests.office import text_of
from tui.cli import run


@pytest.fixture(scope="module")
def held(tmp_path_factory) -> Path:
    from core.office.demo import held_demo_meeting

    db = tmp_path_factory.mktemp("papers") / "demo.db"
    held_demo_meeting(db, DEMO_TEXT, "demo-meeting.toml")
    return db


@pytest.fixture(scope="module")
def tally(held) -> dict:
    out = held.parent / "tally.json"
    assert run(["tally", "--db", str(held), "--format", "json", "--out", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def table_rows(path: Path) -> list[list[str]]:
    return [
        [cell.text for cell in row.cells]
        for table in docx.Document(str(path)).tables
        for row in table.rows
    ]


def with_settings(text: str, **bulletin: str) -> str:
    lines = [f'{key} = "{value}"' for key, value in bulletin.items()]
    return text.replace('publish = "scores"\norder = "rank"\n', "\n".join(lines) + "\n", 1)


def test_the_bulletin_publishes_what_the_meeting_file_says(held, tally, tmp_path):
    out = tmp_path / "通报.docx"
    assert run(["bulletin", "--db", str(held), "--out", str(out)]) == 0
    rows = table_rows(out)
    assert rows[0] == ["名次", "述职对象", "综合得分", "评价等次"]
    expected = [
        [str(s["rank"]), s["name"], s["final_score"], s["final_grade"]] for s in tally["subjects"]
    ]
    assert rows[1:] == expected  # every figure exactly as `sanshu tally` reports it
    text = text_of(out)
    b = tally["ballots"]
    assert f"收回测评票{b['returned']}张（电子票 66 张、纸质票 6 张），有效票{b['valid']}张" in text
    assert "综合得分按会议测评得分占40%、日常考核得分占60%计算" in text
    good = [s["name"] for s in tally["subjects"] if s["final_grade"] == "好"]
    assert f"评为“好”的{len(good)}个：{'、'.join(good)}。" in text
    assert "信息中心：按得分计算为“较好”，确定为“一般”。" in text


def test_a_bulletin_of_grades_only_in_the_order_of_the_reports(tmp_path, clock):
    from core.office.demo import held_demo_meeting

    db = tmp_path / "g.db"
    held_demo_meeting(db, with_settings(DEMO_TEXT, publish="grades", order="agenda"), "g.toml")
    out = tmp_path / "通报.docx"
    assert run(["bulletin", "--db", str(db), "--out", str(out)]) == 0
    rows = table_rows(out)
    meeting = parse_meeting(DEMO_TEXT)
    order = [s.name for s in (*meeting.onsite, *meeting.written)]
    assert rows[0] == ["序号", "述职对象", "评价等次"]
    assert [r[1] for r in rows[1:]] == order
    assert "综合得分" not in " ".join(" ".join(r) for r in rows)  # no score is published
    assert "按述职顺序排列" in text_of(out)


def test_the_ranking_in_word_is_one_page_of_the_tallys_figures(held, tally, tmp_path):
    out = tmp_path / "排名表.docx"
    assert run(["ranking", "--db", str(held), "--out", str(out)]) == 0
    rows = table_rows(out)
    assert rows[0] == ["排名", "述职对象", "综合得分", "等次"]
    for row, subject in zip(rows[1:], tally["subjects"], strict=True):
        grade = subject["final_grade"] + ("*" if subject["override_reason"] else "")
        assert row == [str(subject["rank"]), subject["name"], subject["final_score"], grade]
    text = text_of(out)
    assert "2024年1月30日" in text and "机关第一会议室" in text
    # The table belongs to the meeting: dated like the 通报 and the letters (the
    # [documents] 成文日期), not the day it happened to be printed.
    assert "制表日期：2024年2月5日" in text
    assert "* 经机关党组研究调整等次：信息中心（计算等次“较好”，确定为“一般”）。" in text


def test_without_a_documents_date_the_ranking_carries_the_meetings_date(tmp_path):
    from core.office.demo import held_demo_meeting

    db = tmp_path / "d.db"
    held_demo_meeting(db, DEMO_TEXT.replace("date = 2024-02-05\n", "", 1), "d.toml")
    for suffix in ("docx", "xlsx"):
        out = tmp_path / f"排名表.{suffix}"
        assert run(["ranking", "--db", str(db), "--out", str(out)]) == 0
        if suffix == "docx":
            text = text_of(out)
        else:
            sheet = load_workbook(out).active
            text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
        assert "制表日期：2024年1月30日" in text, suffix


def test_the_tally_table_says_its_grade_columns_add_up_every_criterion(held, tally, tmp_path):
    """12 ballots and 好 23 are not a contradiction when the heading says what is counted."""
    out = tmp_path / "tally.txt"
    assert run(["tally", "--db", str(held), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    criteria = len(parse_meeting(DEMO_TEXT).criteria)
    heading = f"等次分布（各项合计）：各等次列为{criteria}个测评项目的次数之和，不是票数"
    assert heading in text
    assert text.index(heading) < text.index("述职对象")  # above the columns it explains


def test_the_ranking_in_excel_holds_numbers_and_prints_on_one_page(held, tally, tmp_path):
    out = tmp_path / "排名表.xlsx"
    assert run(["ranking", "--db", str(held), "--out", str(out)]) == 0
    sheet = load_workbook(out).active
    top = next(r for r in range(1, 10) if sheet.cell(row=r, column=1).value == "排名")
    for index, subject in enumerate(tally["subjects"], top + 1):
        rank, name, score = (sheet.cell(row=index, column=c) for c in (1, 2, 3))
        assert rank.value == subject["rank"] and isinstance(rank.value, int)
        assert name.value == subject["name"]
        assert isinstance(score.value, float) and f"{score.value:.2f}" == subject["final_score"]
        assert score.number_format == "0.00"
    assert_prints(sheet, one_page=True)


def assert_prints(sheet, *, one_page: bool = False) -> None:
    """A4, one page wide (and tall), a print area, the page and the total at the foot."""
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == (1 if one_page else 0)
    assert sheet.print_area, sheet.title
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_every_workbook_prints_with_numbers_as_numbers(held, tmp_path):
    """汇总 and friends, 评议情况汇总表, the roster template and the report check: A4 one
    page wide, print area, "第 N 页 共 M 页", numbers stored as numbers."""
    results = tmp_path / "结果.xlsx"
    assert run(["tally", "--db", str(held), "--format", "xlsx", "--out", str(results)]) == 0
    book = load_workbook(results)
    for sheet in book.worksheets:
        assert (
            sheet.page_setup.fitToWidth == 1 and sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
        )
    assert run(["feedback", "--db", str(held), "--out", str(tmp_path / "反馈")]) == 0
    summary = load_workbook(tmp_path / "反馈" / "评议情况汇总表.xlsx")
    for sheet in summary.worksheets:
        assert_prints(sheet, one_page=True)
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, str):
                    assert not cell.value.replace(".", "", 1).isdigit(), (
                        sheet.title,
                        cell.coordinate,
                    )
    roster = tmp_path / "名单.xlsx"
    assert (
        run(["roster", "template", "--out", str(roster), "--from", "data/demo-meeting.toml"]) == 0
    )
    for sheet in load_workbook(roster).worksheets:
        assert_prints(sheet)
    daily = load_workbook(roster)["述职对象"]["E2"]
    assert isinstance(daily.value, float)


def test_the_final_score_has_a_formula_on_the_detail_sheet(held, tally, tmp_path):
    results = tmp_path / "结果.xlsx"
    assert run(["tally", "--db", str(held), "--format", "xlsx", "--out", str(results)]) == 0
    detail = load_workbook(results)["明细"]
    rows = [[c.value for c in row] for row in detail.iter_rows()]
    top = next(i for i, r in enumerate(rows) if r[0] == "述职对象")
    header = rows[top]
    formula, final = header.index("综合得分（公式）"), header.index("综合得分")
    assert header[formula - 1] == "日常考核"
    firsts = [r for r in rows[top + 1 :] if r[final] is not None]
    assert len(firsts) == 21
    by_name = {s["name"]: s for s in tally["subjects"]}
    for row in firsts:
        r = rows.index(row) + 1
        assert row[formula] == f'=IF(J{r}="","",J{r}*0.4+L{r}*0.6)'
        assert f"{row[final]:.2f}" == by_name[row[0]]["final_score"]


def test_the_paper_ballot_is_the_phone_forms_order_one_page_per_category(held, tmp_path):
    out = tmp_path / "纸质测评票.docx"
    assert run(["ballots", "paper", "--db", str(held), "--out", str(out)]) == 0
    meeting = parse_meeting(DEMO_TEXT)
    document = docx.Document(str(out))
    assert len(document.tables) == len(meeting.categories)
    text = text_of(out)
    for category in meeting.categories:
        assert f"测评人类别：{category.name}" in text
    assert "姓名" not in text.replace("请勿填写姓名", "")  # no name field
    assert (
        "填写说明：请对每个述职对象的每一测评项目，在一个等次栏内划“√”（好 / 较好 / 一般 / 差）"
        in text
    )
    assert "对所有述职对象评同一等次的票无效" in text
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    columns = form_columns(meeting)
    labels = list(choice_labels(meeting))
    assert rows[0][2 : 2 + len(columns) * len(labels) : len(labels)] == list(columns)
    assert rows[1][2:-1] == labels * len(columns)
    assert rows[0][-1] == "意见建议"  # a comment line per subject
    order = [s.name for s in (*meeting.onsite, *meeting.written)]
    assert [r[1] for r in rows[2:]] == order  # the phone form's and the clerk's order
    assert [r[0] for r in rows[2:]] == [str(n) for n in range(1, 22)]
    assert all(len(r) == 2 + len(columns) * len(labels) + 1 for r in rows[2:])


def test_the_paper_ballot_for_one_category_and_a_mistyped_one(held, tmp_path, capsys):
    out = tmp_path / "票.docx"
    args = ["ballots", "paper", "--db", str(held), "--out", str(out), "--category", "党员代表"]
    assert run(args) == 0
    assert len(docx.Document(str(out)).tables) == 1
    assert run([*args[:-1], "党员"]) == 1
    assert "党员代表" in capsys.readouterr().err  # the categories there are


def test_the_numeric_layout_prints_a_score_box(tmp_path, clock):
    from core.meeting.store import MeetingStore

    text = DEMO_TEXT.replace('layout = "per_criterion"', 'layout = "numeric"', 1)
    db = tmp_path / "n.db"
    MeetingStore.create(db, text, "n.toml", clock=clock).close()
    out = tmp_path / "票.docx"
    assert run(["ballots", "paper", "--db", str(db), "--out", str(out)]) == 0
    rows = [[c.text for c in row.cells] for row in docx.Document(str(out)).tables[0].rows]
    assert rows[1][2:-1] == ["分数"] * 3 and "填写 0–100 的分数" in text_of(out)


soffice = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")


def pdf_pages(paths: list[Path], folder: Path) -> dict[str, list[str]]:
    """Each document's pages as text, through LibreOffice."""
    from core.office.pdf import to_pdfs

    pages = {}
    for path, pdf in zip(paths, to_pdfs(paths, folder), strict=True):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        # pdftotext puts a space between a digit and a Chinese character: take them out.
        pages[path.name] = [page.replace(" ", "") for page in text.split("\f")[:-1]]
    return pages


@soffice
@pytest.mark.slow
def test_no_signature_stands_alone_on_a_page(held, tmp_path):
    """All 21 letters and the 通报 through LibreOffice: the page with the 署名 and the
    成文日期 also holds the end of the text; the 版记 is on that page too."""
    letters = tmp_path / "反馈"
    assert run(["feedback", "--db", str(held), "--out", str(letters)]) == 0
    bulletin = tmp_path / "通报.docx"
    assert run(["bulletin", "--db", str(held), "--out", str(bulletin)]) == 0
    paths = [*sorted(letters.glob("*.docx")), bulletin]
    pages = pdf_pages(paths, tmp_path / "pdf")
    for name, document in pages.items():
        last = document[-1]
        assert "2024年2月5日印发" in last, name
        lines = [line.strip() for line in last.splitlines() if line.strip()]
        signature = max(i for i, line in enumerate(lines) if line == "中共市人大常委会机关党组")
        assert signature >= 1 and "整改落实情况。" in "".join(lines[:signature]), name


@soffice
def test_the_bulletins_table_is_not_split_after_its_first_row(held, tally, tmp_path):
    """The 通报's ranked table (21 rows, shorter than a page) stays on one page with its
    header, whatever the text above it leaves on the page before."""
    bulletin = tmp_path / "通报.docx"
    assert run(["bulletin", "--db", str(held), "--out", str(bulletin)]) == 0
    pages = pdf_pages([bulletin], tmp_path / "pdf")["通报.docx"]
    names = [s["name"] for s in tally["subjects"]]
    holding = [i for i, page in enumerate(pages) if "名次述职对象综合得分评价等次" in page]
    assert len(holding) == 1  # the header once: the table did not flow over a page
    assert all(name in pages[holding[0]] for name in names)


@soffice
@pytest.mark.slow
def test_the_one_page_papers_are_one_page(held, tmp_path):
    ranking = tmp_path / "排名表.docx"
    assert run(["ranking", "--db", str(held), "--out", str(ranking)]) == 0
    assert len(pdf_pages([ranking], tmp_path / "pdf")["排名表.docx"]) == 1
    ballot = tmp_path / "测评票.pdf"  # printed straight from the command
    assert run(["ballots", "paper", "--db", str(held), "--out", str(ballot)]) == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(ballot), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) == 6  # one A4 form per voter category, no blank page
    for page in pages:
        assert "测评人类别" in page and "老干部处" in page  # the whole form on its page


def test_without_libreoffice_a_pdf_is_refused_with_the_way_out(held, tmp_path, monkeypatch, capsys):
    from core.office import pdf

    monkeypatch.setattr(pdf, "soffice", lambda: None)
    out = tmp_path / "测评票.pdf"
    assert run(["ballots", "paper", "--db", str(held), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "LibreOffice" in error and ".docx" in error  # and what to do instead
    assert not out.exists()
