"""Reading an office document back as Word would show it: effective fonts through the
style chain, every text part (body, headers, footers), a paragraph's keep settings."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn

STRAY_FONTS = ("Calibri", "Cambria", "MS 明朝", "ＭＳ 明朝", "MS Mincho", "等线", "DengXian")


def _style_chain(document, style):
    while style is not None:
        yield style
        style = style.base_style


def _defaults(document, attribute: str):
    r_pr = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = None if r_pr is None else r_pr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn(attribute))


def east_asian_font(document, paragraph, run=None) -> str | None:
    """The East Asian font Word uses for this run: the run's own, else its paragraph
    style's (through basedOn), else the document defaults."""
    if run is not None and run.element.rPr is not None and run.element.rPr.rFonts is not None:
        own = run.element.rPr.rFonts.get(qn("w:eastAsia"))
        if own:
            return own
    for style in _style_chain(document, paragraph.style):
        r_pr = style.element.rPr
        if r_pr is not None and r_pr.rFonts is not None and r_pr.rFonts.get(qn("w:eastAsia")):
            return r_pr.rFonts.get(qn("w:eastAsia"))
    return _defaults(document, "w:eastAsia")


def style_value(paragraph, path: str, attribute: str = "w:val"):
    """A paragraph property from the paragraph itself or its style chain (None: unset)."""
    own = paragraph._p.pPr
    if own is not None and own.find(qn(path)) is not None:
        return own.find(qn(path)).get(qn(attribute), "true")
    for style in _style_chain(None, paragraph.style):
        p_pr = style.element.pPr
        if p_pr is not None and p_pr.find(qn(path)) is not None:
            return p_pr.find(qn(path)).get(qn(attribute), "true")
    return None


def text_of(path: Path) -> str:
    """Paragraphs and table cells, in order, one per line."""
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def every_text(path: Path) -> str:
    """All the text of every part that can hold a field: body, headers, footers."""
    with zipfile.ZipFile(path) as package:
        names = [
            n
            for n in package.namelist()
            if n.startswith("word/") and n.endswith(".xml") and "/_rels/" not in n
        ]
        return "\n".join(package.read(n).decode("utf-8") for n in names)


def package_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        return {
            n: package.read(n).decode("utf-8")
            for n in package.namelist()
            if n.endswith((".xml", ".rels"))
        }
