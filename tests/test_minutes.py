"""The minutes read like a clerk's record and are laid out like an office document."""

from __future__ import annotations

import pytest
from docx import Document

from core.ballots.demo import fill_demo_ballots
from core.ballots.results import set_override
from core.meeting.store import MeetingStore
from core.record.entries import Record
from tests.conftest import DEMO_TEXT, FakeClock
from tests.office import east_asian_font, text_of
from tui.cli import run


def hold_first_subject(store, clock) -> None:
    """法工委 reports 7:42, commentary 4:30, questions 9:00 (1:00 over its 8:00);
    one question answered, one not, one withdrawn; then scoring with demo ballots."""
    record = Record(store)
    store.toggle_timer()
    clock.advance(7 * 60 + 42)
    store.move(1)
    if not store.state().step.timer.running:
        store.toggle_timer()
    record.add_commentary("法工委", "李清", "要进一步发挥示范引领作用，持续擦亮支部党建品牌。")
    clock.advance(270)
    store.move(1)
    if not store.state().step.timer.running:
        store.toggle_timer()
    question = record.add_question("法工委", "高天庚", "如何坚持全过程人民民主？")
    record.mark_asking(question)
    clock.advance(90)
    record.answer(question, "一是注重发挥人大代表的主体作用……")
    open_question = record.add_question("法工委", "刘纪", "廉政风险点排查是否覆盖全部岗位？")
    record.mark_asking(open_question)
    withdrawn = record.add_question("法工委", "纪委委员", "重复的问题")
    record.withdraw(withdrawn)
    record.add_question("法工委", "王监", "来不及问的问题")  # queued, never asked
    clock.advance(450)
    store.move(1)


@pytest.fixture
def held(tmp_path, clock):
    text = DEMO_TEXT.replace('host = "张明远"', 'host = "张主任"', 1)
    db = tmp_path / "m.db"
    MeetingStore.create(db, text, "m.toml", clock=clock).close()
    with MeetingStore(db, clock=clock) as store:
        store.set_meta("clerk_name", "王记录")
        hold_first_subject(store, clock)
        clock.advance(600)
        fill_demo_ballots(store)
        set_override(store, "信息中心", "一般", "党组研究决定")
    return db


def test_minutes_in_markdown(held, tmp_path):
    out = tmp_path / "m.md"
    assert run(["minutes", "--db", str(held), "--out", str(out)]) == 0
    text = out.read_text("utf-8")
    assert "**主持人**：张主任" in text and "**记录人**：王记录" in text
    assert "应到 76 人，出席 0 人，请假 0 人，缺席 0 人，未登记 76 人" in text
    assert "### 1. 法工委（法制工作委员会）" in text
    assert "述职用时 7:42（计划 8:00）" in text
    assert "询问用时 9:00（计划 8:00，超时 1:00）" in text
    assert "**李清**：要进一步发挥示范引领作用" in text
    assert "答：一是注重发挥人大代表的主体作用……" in text
    assert "廉政风险点排查是否覆盖全部岗位？" in text and "未答复" in text
    assert "重复的问题" not in text  # withdrawn questions are not minuted
    assert "来不及问的问题" in text and "未询问（会上未提出）" in text
    assert "书面述职：秘书处、" in text
    assert "有效 70 张" in text and "无效原因：所有对象等次相同 2" in text
    assert "信息中心：计算等次 较好，最终等次 一般。理由：党组研究决定" in text
    assert "记录人：＿＿" in text and "审核人：＿＿" in text


def test_minutes_in_word_are_an_office_document(held, tmp_path):
    out = tmp_path / "m.docx"
    assert run(["minutes", "--db", str(held), "--out", str(out)]) == 0
    document = Document(str(out))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "会议记录"
    assert "会议名称：市人大常委会机关2023年度述职述责述廉会议" in texts
    time_line = next(x for x in texts if x.startswith("时　　间："))
    assert "2024年1月30日" in time_line and "—" in time_line
    assert "主持人：张主任" in texts and "记录人：王记录" in texts
    headings = [x for x in texts if x[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert headings == [
        "一、出席情况",
        "二、会议议程",
        "三、现场述职、点评和询问",
        "四、书面述职",
        "五、民主测评",
        "六、等次调整",
    ]
    assert "（一）法工委（法制工作委员会）" in texts
    assert any("询问用时 9:00（计划 8:00，超时 1:00）" in x for x in texts)
    assert any("记录人：____" in x and "审核人：____" in x for x in texts)
    # Every run has a Chinese font for East Asian text (its own or its style's); the
    # body is 仿宋, the headings 黑体 and 楷体.
    fonts = {
        east_asian_font(document, p, run)
        for p in document.paragraphs
        for run in p.runs
        if run.text.strip()
    }
    assert None not in fonts and {"仿宋_GB2312", "黑体", "楷体_GB2312"} <= fonts
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["时间", "询问人", "问题", "答复"] in cells
    asked = ["刘纪", "廉政风险点排查是否覆盖全部岗位？", "会上未答复"]
    assert any(row[1:] == asked for row in cells)
    assert ["信息中心", "较好", "一般", "党组研究决定。"] in cells  # a reason ends its sentence
    question_table = next(t for t in document.tables if t.rows[0].cells[1].text == "询问人")
    time, asker, question, answer = (round(c.width.mm) for c in question_table.rows[0].cells)
    assert question > answer > asker >= time  # the question widest: what the table is for


def test_the_letter_and_the_minutes_tell_the_same_questions_the_same_way(held, tmp_path):
    """Asked and not answered: 会上未答复 in both. Logged and never asked: 未询问 in the
    minutes, and not in the letter, which carries what was asked at the meeting."""
    minutes = tmp_path / "m.md"
    assert run(["minutes", "--db", str(held), "--out", str(minutes)]) == 0
    text = minutes.read_text("utf-8")
    assert "**刘纪**：廉政风险点排查是否覆盖全部岗位？\n   - 会上未答复" in text
    assert "**王监**：来不及问的问题\n   - 未询问（会上未提出）" in text
    letters = tmp_path / "反馈"
    assert run(["feedback", "--db", str(held), "--out", str(letters)]) == 0
    letter = text_of(next(letters.glob("01-法工委-*.docx")))
    assert "刘纪：廉政风险点排查是否覆盖全部岗位？" in letter and "答复：会上未答复" in letter
    assert "来不及问的问题" not in letter and "重复的问题" not in letter
    assert "高天庚：如何坚持全过程人民民主？" in letter


def test_minutes_run_on_another_day_say_the_meeting_files_date(tmp_path):
    """A rehearsal on 7 December keeps its real times, and says the meeting is dated
    30 January 2024 in its file, so no paper contradicts another unexplained."""
    clock = FakeClock(1_796_610_780.0)  # 2026-12-07 10:33 Beijing time (02:33 UTC)
    db = tmp_path / "r.db"
    MeetingStore.create(db, DEMO_TEXT, "r.toml", clock=clock).close()
    with MeetingStore(db, clock=clock) as store:
        hold_first_subject(store, clock)
    out = tmp_path / "r.md"
    assert run(["minutes", "--db", str(db), "--out", str(out)]) == 0
    time_line = next(x for x in out.read_text("utf-8").splitlines() if "**时　　间**" in x)
    assert "2026年12月7日 " in time_line and "—" in time_line
    assert "按实际进行的时间记录；会议文件所定会议日期为2024年1月30日" in time_line


def test_minutes_on_the_meetings_own_day_carry_just_the_date_and_times(held, tmp_path):
    out = tmp_path / "m.md"
    assert run(["minutes", "--db", str(held), "--out", str(out)]) == 0
    time_line = next(x for x in out.read_text("utf-8").splitlines() if "**时　　间**" in x)
    assert time_line.startswith("- **时　　间**：2024年1月30日 ") and "会议文件" not in time_line


def test_recorder_from_the_meeting_file_wins_and_blank_when_unknown(tmp_path, clock):
    from core.office.minutes_data import recorder_name

    text = DEMO_TEXT.replace('organiser = "', 'recorder = "赵文书"\norganiser = "', 1)
    db = tmp_path / "r.db"
    MeetingStore.create(db, text, "r.toml", clock=clock).close()
    with MeetingStore(db, clock=clock) as store:
        store.set_meta("clerk_name", "王记录")
        assert recorder_name(store) == "赵文书"
    plain = tmp_path / "p.db"
    MeetingStore.create(plain, DEMO_TEXT, "p.toml", clock=clock).close()
    with MeetingStore(plain, clock=clock) as store:
        assert recorder_name(store) == ""
        fill_demo_ballots(store)  # paper ballots entered by the clerk 王记录
        assert recorder_name(store) == "王记录"


def test_minutes_refuse_an_unknown_format(demo_db, tmp_path, capsys):
    assert run(["minutes", "--db", str(demo_db), "--out", str(tmp_path / "m.pdf")]) == 2
    assert ".docx" in capsys.readouterr().err
