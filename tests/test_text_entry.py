"""Pasted control characters never reach the record, the exports or a terminal."""

from __future__ import annotations

from docx import Document

from core.record.entries import Record
from tui.cli import run

PASTED = "建议\x1b[31m加强\x00学习\r\n并\u202e落实\x0b"


def test_commentary_and_questions_lose_control_characters(demo_db, store, tmp_path):
    record = Record(store)
    record.add_commentary("法工委", "张\x07主任", PASTED)
    question = record.add_question("法工委", "李\x1b委员", PASTED)
    record.answer(question, "已\x00落实")
    [entry] = record.commentary("法工委")
    assert (entry.commenter, entry.text) == ("张主任", "建议[31m加强学习\n并落实")
    [asked] = record.questions("法工委")
    assert (asked.asker, asked.answer) == ("李委员", "已落实")
    assert asked.text == entry.text
    out = tmp_path / "minutes.docx"
    assert run(["minutes", "--db", str(demo_db), "--out", str(out)]) == 0
    text = "\n".join(p.text for p in Document(out).paragraphs)
    assert "\x1b" not in text and "\x00" not in text  # written, and clean
