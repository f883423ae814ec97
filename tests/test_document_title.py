"""A title with an empty line (a letter template's 标题 written over three lines, the
middle one blank) breaks twice instead of failing: found by the type checker."""

from __future__ import annotations

from docx import Document

from core.office import document as officedoc


def test_a_title_with_an_empty_line_breaks_twice(tmp_path):
    doc = officedoc.new_document()
    officedoc.title(doc, "关于法工委2023年度\n\n反馈意见")
    path = tmp_path / "t.docx"
    doc.save(path)
    title = Document(path).paragraphs[0]
    assert title.text == "关于法工委2023年度\n\n反馈意见"
