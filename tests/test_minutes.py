"""The minutes read like a clerk's record."""

from __future__ import annotations

from docx import Document

from core.record import Record
from tui.cli import run


def test_minutes_in_markdown_and_word(demo_db, clock, store, tmp_path):
    record = Record(store)
    store.toggle_timer()
    clock.advance(7 * 60 + 42)
    store.move(1)
    record.add_commentary("法工委", "李清", "要进一步发挥示范引领作用，持续擦亮支部党建品牌。")
    store.move(1)
    question = record.add_question("法工委", "高天庚", "如何坚持全过程人民民主？")
    record.mark_asking(question)
    clock.advance(90)
    record.answer(question, "一是注重发挥人大代表的主体作用……")
    withdrawn = record.add_question("法工委", "纪委委员", "重复的问题")
    record.withdraw(withdrawn)

    assert run(["minutes", "--db", str(store.path), "--out", str(tmp_path / "m.md")]) == 0
    text = (tmp_path / "m.md").read_text("utf-8")
    assert "## 1. 法工委（法制工作委员会）" in text
    assert "述职用时：7:42（计划 8:00）" in text
    assert "**李清**：要进一步发挥示范引领作用" in text
    assert "**高天庚**：如何坚持全过程人民民主？" in text
    assert "答：一是注重发挥人大代表的主体作用……" in text
    assert "重复的问题" not in text  # withdrawn questions are not minuted
    assert "书面述职：秘书处、" in text

    assert run(["minutes", "--db", str(store.path), "--out", str(tmp_path / "m.docx")]) == 0
    document = Document(str(tmp_path / "m.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "1. 法工委（法制工作委员会）" in headings
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "高天庚" in cells and "一是注重发挥人大代表的主体作用……" in cells


def test_minutes_refuse_an_unknown_format(demo_db, tmp_path, capsys):
    assert run(["minutes", "--db", str(demo_db), "--out", str(tmp_path / "m.pdf")]) == 2
    assert ".docx" in capsys.readouterr().err
