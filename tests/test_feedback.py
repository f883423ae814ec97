"""Feedback letters read back with python-docx: the tally's numbers for the demo meeting
with ballots and an override, the record, the comments, the 差 paragraph; the summary
workbook; the editable template."""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from core.ballots.demo import fill_demo_ballots
from core.ballots.items import form_items
from core.ballots.points import report
from core.ballots.results import load_tally, set_override
from core.ballots.storing import BallotEntry, store_ballot
from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from core.office.document import chinese_date
from core.office.letters import deadline
from core.record.entries import Record
from tests.conftest import DEMO_TEXT, FakeClock
from tests.office import text_of
from tui.cli import run


@pytest.fixture(scope="module")
def held_db(tmp_path_factory) -> Path:
    """The demo meeting after it was held: ballots (with a comment), the record, an override."""
    path = tmp_path_factory.mktemp("held") / "demo.db"
    with MeetingStore.create(path, DEMO_TEXT, "demo-meeting.toml", clock=FakeClock()) as store:
        store.set_poll("open")
        slip = issue_tokens(store, "党员代表", 1)[0]
        grades = {item: "较好" for item in form_items(store.meeting)}
        grades[("法工委", "执行廉洁自律")] = "好"
        store_ballot(store, slip.token, BallotEntry(grades, {"法工委": "希望加强调研成果转化"}))
        store.set_poll("closed")
        store.db.execute("UPDATE state SET poll = 'not_open'")  # the demo ballots open it again
        fill_demo_ballots(store)
        record = Record(store)
        record.add_commentary("法工委", "李清", "理论学习抓得实，调研成果转化不够。")
        asked = record.add_question("法工委", "高天庚", "廉政风险点排查发现了哪些问题？")
        record.answer(asked, "共排查风险点9个，已全部制定防控措施。")
        record.add_question("法工委", "机关纪委书记", "如何落实一岗双责？")
        set_override(store, "信息中心", "差", "信息安全管理存在严重问题")
    return path


@pytest.fixture(scope="module")
def letters(held_db: Path) -> Path:
    """`sanshu feedback` run once for the tests that only read what it wrote."""
    out = held_db.parent / "反馈"
    assert run(["feedback", "--db", str(held_db), "--out", str(out)]) == 0
    return out


@pytest.fixture
def held(held_db: Path):
    with MeetingStore(held_db) as store:
        yield store


def _letter(folder: Path, subject: str) -> Path:
    (path,) = folder.glob(f"*-{subject}-*.docx")
    return path


def test_letters_carry_the_tally_numbers_exactly(held, letters):
    assert len(list(letters.glob("*.docx"))) == 21
    tally = load_tally(held)
    digits = held.meeting.rules.digits
    for result in tally.subjects:
        path = _letter(letters, result.name)
        text = text_of(path)
        assert f"会议测评得分{report(result.meeting_score, digits)}分" in text
        assert f"日常考核得分{report(result.daily_score, digits)}分" in text
        assert f"综合得分{report(result.final_score, digits)}分" in text
        assert f"第{result.rank}名" in text
        assert f"评价等次为“{result.final_grade}”" in text
        rows = {
            row.cells[0].text: [cell.text for cell in row.cells]
            for table in docx.Document(str(path)).tables
            for row in table.rows
        }
        for name, criterion in result.criteria.items():
            assert rows[name][-1] == str(report(criterion.score, digits))
            good = criterion.counts["好"]
            share = report(Fraction(good * 100, sum(criterion.counts.values())), 1)
            assert rows[name][1] == f"{good}\n{share}%"


def test_the_record_and_comments_are_in_the_letter(letters):
    first = sorted(letters.glob("*.docx"))[0]
    text = text_of(first)
    assert first.name == "01-法工委-评议情况反馈.docx"
    assert "希望加强调研成果转化" in text  # the voter's comment, without any voter
    assert "李清：理论学习抓得实，调研成果转化不够。" in text
    assert "高天庚：廉政风险点排查发现了哪些问题？" in text
    assert "答复：共排查风险点9个，已全部制定防控措施。" in text
    assert "如何落实一岗双责" not in text  # logged and never asked: not said to be answered
    written = text_of(_letter(letters, "秘书处"))  # a written report: no commentary, no questions
    assert "书面述职，会上未进行点评和询问" in written


def test_a_poor_letter_has_the_warning_paragraph_with_the_deadline(held, letters):
    text = text_of(_letter(letters, "信息中心"))
    due = chinese_date(deadline(held.meeting))
    assert due == "2024年4月29日"  # 2024-01-30 + 90 days (the demo's [feedback] rule)
    assert f"于{due}前完成整改" in text and "约谈提醒、限期整改" in text
    assert "经机关党组研究确定为“差”" in text and "信息安全管理存在严重问题" in text
    good = text_of(_letter(letters, "法工委"))
    assert "约谈提醒" not in good and "前完成整改" not in good


def test_summary_workbook_has_a_sheet_per_subject(held, letters):
    book = load_workbook(letters / "评议情况汇总表.xlsx")
    assert len(book.sheetnames) == 21 and book.sheetnames[0] == "法工委"
    sheet = book["法工委"]
    cells = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
    tally = load_tally(held)
    assert cells["应参加测评人数"][0] == 72
    assert cells["实际参加测评人数（收回票数）"][0] == tally.ballots.returned
    result = tally.subjects[[r.name for r in tally.subjects].index("法工委")]
    criterion = result.criteria["抓基层党建工作"]
    row = cells["抓基层党建工作"]
    assert row[0] == criterion.counts["好"]
    assert row[1] == pytest.approx(criterion.counts["好"] / sum(criterion.counts.values()))
    assert "机关党组综合评价意见" in cells  # [roles] convener
    # Scores are numbers in their cells, shown with the tally's digits.
    final = sheet.cell(
        row=[r[0] for r in sheet.iter_rows(values_only=True)].index("综合得分") + 1, column=2
    )
    assert final.value == float(report(result.final_score, 2)) and final.number_format == "0.00"
    score_column = [
        c
        for c in sheet[
            [r[0] for r in sheet.iter_rows(values_only=True)].index("抓基层党建工作") + 1
        ]
        if c.column == 2 + 2 * 5
    ]
    assert score_column[0].value == float(report(criterion.score, 2))
    assert cells["名次（共 21 个）"][0] == result.rank
    # Each sheet one A4 landscape page, page numbers with the total at its foot.
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToHeight == 1
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert sheet.print_area


def test_results_are_refused_while_scoring_is_open(store, demo_db, tmp_path, capsys):
    store.set_poll("open")
    assert run(["feedback", "--db", str(demo_db), "--out", str(tmp_path / "x")]) == 1
    assert "测评" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_the_template_can_be_edited_and_a_bad_one_is_named(held_db, tmp_path, capsys):
    """The office edits the Word template (here with python-docx, as Word would save it);
    a template using a field that does not exist stops before any letter is written."""
    edited = tmp_path / "模板.docx"
    assert run(["feedback", "template", "--out", str(edited)]) == 0
    document = docx.Document(str(edited))
    heading = next(p for p in document.paragraphs if p.text == "五、整改要求")
    heading.runs[0].text = "五、整改工作要求"
    document.save(str(edited))
    out = tmp_path / "反馈"
    args = ["feedback", "--db", str(held_db), "--out", str(out), "--template", str(edited)]
    assert run(args) == 0
    assert "五、整改工作要求" in text_of(next(out.glob("01-*.docx")))

    result = next(p for p in document.paragraphs if "评价等次为“{{ 最终等次 }}”" in p.text)
    for run_ in result.runs:
        run_.text = run_.text.replace("{{ 最终等次 }}", "{{ 等级 }}")
    document.save(str(edited))
    again = tmp_path / "再次"
    capsys.readouterr()
    assert (
        run(["feedback", "--db", str(held_db), "--out", str(again), "--template", str(edited)]) == 1
    )
    error = capsys.readouterr().err
    assert "{{ 等级 }}" in error and "模板.docx" in error
    assert not again.exists()  # nothing written


def test_a_missing_template_is_named(held_db, tmp_path, capsys):
    args = ["feedback", "--db", str(held_db), "--out", str(tmp_path / "x")]
    assert run([*args, "--template", str(tmp_path / "没有.docx")]) == 1
    assert "没有.docx" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_a_subject_only_commented_on_is_not_said_to_have_been_asked(held_db, tmp_path):
    import shutil

    db = tmp_path / "copy.db"
    for suffix in ("", "-wal"):
        if Path(f"{held_db}{suffix}").exists():
            shutil.copyfile(f"{held_db}{suffix}", f"{db}{suffix}")
    with MeetingStore(db) as store:
        Record(store).add_commentary("教科文卫办", "李清", "调研成果转化要加快。")
    out = tmp_path / "反馈"
    assert run(["feedback", "--db", str(db), "--out", str(out)]) == 0
    text = text_of(next(out.glob("02-教科文卫办-*.docx")))
    assert "会议现场，党组成员对你单位述职作了点评，具体如下：" in text
    assert "进行了询问" not in text
    first = text_of(next(out.glob("01-法工委-*.docx")))
    assert "会议现场，党组成员对你单位述职作了点评，纪检监察人员进行了询问，具体如下：" in first


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_the_note_under_the_grade_table_keeps_its_punctuation_on_the_page(letters, tmp_path):
    """Read as printed (LibreOffice drops a comma hanging past a full justified line)."""
    from core.office.pdf import to_pdf

    pdf = to_pdf(_letter(letters, "法工委"), tmp_path)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert "每格上行为票数，下行为占该项目全部有效票的比例；" in flat
    assert "按测评人类别加权计算的分数，与票数占比不是同一指标。" in flat


def test_the_letter_template_is_written_as_a_word_file_only(tmp_path, capsys):
    assert run(["feedback", "template", "--out", str(tmp_path / "模板.txt")]) == 2
    assert ".docx" in capsys.readouterr().err
    assert not (tmp_path / "模板.txt").exists()
