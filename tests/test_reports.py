"""Report checks: the sample reports pass and fail the demo's rules as they should;
each check can fail on its own; missing reports are listed."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sanshu_data import demo_meeting_path, sample_reports_path

from core.meeting.file import MeetingFileError, load_meeting, parse_meeting
from core.meeting.model import ReportRules, ReportSection
from core.office.reports import Paragraph, check_folder, check_paragraphs, han_count, heading_level
from tui.cli import run

MEETING = load_meeting(demo_meeting_path())


def test_the_sample_reports_against_the_demo_rules():
    result = check_folder(MEETING, sample_reports_path())
    verdicts = {c.subject: c.passed for c in result.checks}
    assert verdicts == {
        "法工委": True,
        "教科文卫办": True,
        "人事室": True,
        "农业与农村办": False,
        "秘书处": False,
        "综合处": False,
    }
    problems = {c.subject: " ".join(c.problems) for c in result.checks}
    assert "整改措施" in problems["农业与农村办"] and "缺少" in problems["农业与农村办"]
    assert "少于 800 字" in problems["秘书处"]
    assert "“述职”部分占 55%，超过 50%" in problems["综合处"]
    assert len(result.missing) == 21 - 6 and "行政处" in result.missing


def test_counts_chinese_characters_only():
    assert han_count("一、述职：抓党建 2023 年 ABC。") == 7


def test_headings_by_numbering_and_by_word_style():
    assert heading_level("一、述职：履行党建工作职责情况") == 1
    assert heading_level("（一）强化政治引领") == 2
    assert heading_level("述职", "Heading 1") == 1
    assert heading_level("一、" + "很长的段落" * 20) == 0  # a numbered paragraph is no heading


def _rules(**kw) -> ReportRules:
    return ReportRules(**kw)


def test_each_check_fails_on_its_own():
    paragraphs = [
        Paragraph("报告", 0),
        Paragraph("一、述职", 1),
        Paragraph("甲" * 60, 0),
        Paragraph("（一）小节", 2),  # a second-level heading stays inside 述职
        Paragraph("乙" * 18, 0),
        Paragraph("二、述廉", 1),
        Paragraph("丙" * 16, 0),
    ]
    total = sum(han_count(p.text) for p in paragraphs)  # numerals 一 二 are characters too
    assert total == 2 + 3 + 60 + 3 + 18 + 3 + 16
    ok = check_paragraphs("x", "x.txt", paragraphs, _rules(min_chars=100, max_chars=200))
    assert ok.passed
    short = check_paragraphs("x", "x.txt", paragraphs, _rules(min_chars=200))
    assert not short.passed and "少于 200 字" in short.problems[0]
    long = check_paragraphs("x", "x.txt", paragraphs, _rules(max_chars=50))
    assert "超过 50 字" in long.problems[0]
    shuzhi = ReportSection(("述职",), max_share=Fraction(1, 2))
    shares = check_paragraphs("x", "x.txt", paragraphs, _rules(sections=(shuzhi,)))
    assert shares.sections[0].chars == 3 + 60 + 3 + 18
    assert "超过 50%" in shares.problems[0]
    shulian = ReportSection(("述廉",), min_share=Fraction(1, 4))
    low = check_paragraphs("x", "x.txt", paragraphs, _rules(sections=(shulian,)))
    assert "低于 25%" in low.problems[0]
    missing = ReportSection(("整改措施", "下一步打算"))
    gone = check_paragraphs("x", "x.txt", paragraphs, _rules(sections=(missing,)))
    assert "缺少“整改措施”" in gone.problems[0]


def test_report_rules_in_the_meeting_file_are_checked():
    text = (
        demo_meeting_path()
        .read_text(encoding="utf-8")
        .replace("min_chars = 800", "min_chars = 9000")
    )
    with pytest.raises(MeetingFileError, match=r"reports\.min_chars"):
        parse_meeting(text)
    text = (
        demo_meeting_path()
        .read_text(encoding="utf-8")
        .replace("rectify_days = 90", "rectify_days = 0")
    )
    with pytest.raises(MeetingFileError, match=r"feedback\.rectify_days"):
        parse_meeting(text)


def test_check_command_prints_and_writes_the_sheet(demo_db, tmp_path, capsys):
    folder = tmp_path / "报告"
    shutil.copytree(sample_reports_path(), folder)
    (folder / "会议通知.txt").write_text("请各支部按时提交。", encoding="utf-8")
    (folder / "预工委报告.txt").write_bytes("一、述职\n党建工作".encode("gb18030"))
    (folder / "行政处述职报告.doc").write_bytes(b"old word")
    out = tmp_path / "审核.xlsx"
    assert run(["reports", "check", str(folder), "--db", str(demo_db), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "综合处" in printed and "55%" in printed and "✗" in printed
    assert "会议通知.txt" in printed  # a file naming no subject is listed
    assert "预工委 · 预工委报告.txt" in printed  # a GBK text file is read
    assert "另存为 .docx" in printed and "行政处述职报告.doc" in printed
    sheet = load_workbook(out).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]}
    assert rows["法工委"][2] == 1014 and rows["法工委"][-2] == "通过"
    assert rows["行政处"][-2] == "未提交"
    assert "整改措施" in rows["农业与农村办"][-1]


def test_a_missing_folder_is_a_clear_message(demo_db, tmp_path, capsys):
    assert run(["reports", "check", str(tmp_path / "无"), "--db", str(demo_db)]) == 1
    assert "找不到报告文件夹" in capsys.readouterr().err


def test_sample_path_ships(tmp_path):
    assert isinstance(sample_reports_path(), Path) and any(sample_reports_path().iterdir())
