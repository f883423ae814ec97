"""Word documents in the look of official documents (GB/T 9704-2012 党政机关公文格式).

Used for the meeting record (会议记录) and the feedback letters. The API is a
handful of functions over a python-docx `Document`:

    doc = new_document()
    title(doc, "关于……的反馈意见")
    paragraph(doc, "某某同志：", indent=False)
    heading(doc, "总体评价", level=1, number=1)        # 一、总体评价   (三号黑体)
    heading(doc, "存在问题", level=2, number=1)        # （一）存在问题 (三号楷体)
    paragraph(doc, "正文……")                          # 三号仿宋，首行缩进两字
    table(doc, ["序号", "问题"], [["1", "……"]], widths_mm=[15, 141])
    signature(doc, "机关党委", chinese_date(date.today()))
    signature_lines(doc, ["记录人", "审核人"])
    doc.save(path)

What it sets, and why:
- A4, margins top 37 / bottom 35 / left 28 / right 26 mm (the standard's
  版心 156 x 225 mm), 22 lines a page (fixed line spacing 29 pt).
- Title 二号 方正小标宋简体, centred; body 三号 仿宋_GB2312; headings "一、"
  三号 黑体 and "（一）" 三号 楷体_GB2312; Latin letters and digits in
  Times New Roman.
- Every run names its East Asian font explicitly (w:eastAsia): without it Word
  shows Chinese in the Western font. The font table names a fallback for each
  font an office PC may lack (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋,
  楷体_GB2312 → 楷体), so Word and WPS substitute the right family.
- Page numbers "— 1 —" in 四号 宋体 at the foot: odd pages right, even pages
  left, one character in from the edge.
- Tables get the column widths they are given (Word and LibreOffice both
  honour them), a bold header row repeated on every page, 小四 text.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # python-docx is imported when a document is made, not before
    from docx.document import Document
    from docx.styles.style import BaseStyle, CharacterStyle
    from docx.table import Table, _Row
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

# Font sizes by their Chinese names (points).
SIZES = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "小一": 24,
    "二号": 22,
    "小二": 18,
    "三号": 16,
    "小三": 15,
    "四号": 14,
    "小四": 12,
    "五号": 10.5,
}

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

# Installed on most office PCs, but not all: Word/WPS use the alternative named here.
FALLBACKS = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    HEADING2_FONT: "楷体",
}

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156
LINE_PITCH_PT = 29  # 225 mm of text height / 22 lines

_CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_date(day: dt.date) -> str:
    """2024年1月30日 (Arabic numerals, no leading zeros, as GB/T 9704 writes dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for headings up to 99)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CHINESE_DIGITS[ones]
    prefix = "" if tens == 1 else _CHINESE_DIGITS[tens]
    return prefix + "十" + (_CHINESE_DIGITS[ones] if ones else "")


def new_document() -> Document:
    """An empty A4 document with the official page, fonts, line pitch and page numbers."""
    import docx
    from docx.shared import Mm, Pt
    from docx.styles.style import ParagraphStyle

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28)  # the page number sits 7 mm below the text block

    normal = document.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _set_font(normal, BODY_FONT, SIZES["三号"])
    normal.paragraph_format.line_spacing = Pt(LINE_PITCH_PT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    _set_language(normal)
    _plain_defaults(document)
    _add_font_fallbacks(document)
    _add_page_numbers(document)
    return document


def title(document: Document, text: str) -> Paragraph:
    """The document title: 二号 小标宋, centred, followed by one empty line. A "\n" in
    `text` breaks the line there (long titles read better broken by meaning)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = Pt(LINE_PITCH_PT + 6)
    paragraph.paragraph_format.space_after = Pt(LINE_PITCH_PT)
    for index, line in enumerate(text.split("\n")):
        run = _run(paragraph, line, TITLE_FONT, SIZES["二号"])
        if index:
            words = run._r.find(qn("w:t"))
            if words is None:  # an empty line: its run holds the break alone
                run._r.append(OxmlElement("w:br"))
            else:
                run._r.insert(run._r.index(words), OxmlElement("w:br"))
    return paragraph


def heading(document: Document, text: str, level: int = 1, number: int | None = None) -> Paragraph:
    """A heading indented two characters like the body.

    level 1 → 三号 黑体 ("一、"), level 2 → 三号 楷体 ("（一）"), level 3 → 三号 仿宋 ("1.").
    With `number` the prefix is written for you: heading(doc, "概况", 1, 1) → "一、概况".
    """
    from docx.shared import Pt

    fonts = {1: HEADING1_FONT, 2: HEADING2_FONT, 3: BODY_FONT}
    if level not in fonts:
        raise ValueError(level)
    if number is not None:
        prefix = {1: f"{chinese_number(number)}、", 2: f"（{chinese_number(number)}）"}
        text = prefix.get(level, f"{number}.") + text
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(2 * SIZES["三号"])
    paragraph.paragraph_format.keep_with_next = True
    _outline_level(paragraph, level - 1)  # shows in Word's navigation pane
    _run(paragraph, text, fonts[level], SIZES["三号"])
    return paragraph


def paragraph(
    document: Document,
    text: str = "",
    *,
    indent: bool = True,
    align: str = "justify",
    bold: bool = False,
    size: str = "三号",
) -> Paragraph:
    """Body text in 仿宋: first line indented two characters unless indent=False.

    align is "justify", "left", "center" or "right".
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    alignments = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }
    paragraph = document.add_paragraph()
    paragraph.alignment = alignments[align]
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * SIZES[size])
    if text:
        run = _run(paragraph, text, BODY_FONT, SIZES[size])
        run.bold = bold
    return paragraph


def table(
    document: Document,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths_mm: Sequence[float],
    *,
    size: str = "小四",
    align: Sequence[str] | None = None,
) -> Table:
    """A bordered table with the given column widths (mm; they should add up to at most
    TEXT_WIDTH_MM = 156). The header row is bold 黑体 and repeats on every page.
    `align` gives each column's alignment ("left", "center", "right"); default left.
    Cells are written with str(); None becomes empty.
    """
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    if len(widths_mm) != len(columns):
        raise ValueError("one width per column")
    alignments = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }
    column_align = [alignments[a] for a in (align or ["left"] * len(columns))]
    grid: Table = document.add_table(rows=1, cols=len(columns))  # python-docx: untyped
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for gridcol, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        gridcol.set(qn("w:w"), str(int(Mm(width).twips)))

    def fill(row: _Row, values: Sequence[object], font: str, bold: bool) -> None:
        keep_together = OxmlElement("w:cantSplit")  # a row never breaks across pages
        row._tr.get_or_add_trPr().append(keep_together)
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Mm(widths_mm[index])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            cell_paragraph = cell.paragraphs[0]
            cell_paragraph.paragraph_format.line_spacing = 1.15
            cell_paragraph.paragraph_format.first_line_indent = Pt(0)
            cell_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if bold else column_align[index]
            run = _run(cell_paragraph, "" if value is None else str(value), font, SIZES[size])
            run.bold = bold

    header = grid.rows[0]
    fill(header, columns, HEADING1_FONT, bold=True)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for values in rows:
        fill(grid.add_row(), values, BODY_FONT, bold=False)
    return grid


def signature(document: Document, unit: str, date_text: str) -> None:
    """The issuing unit and the date at the end of a letter, right-aligned, four characters
    in from the right edge as the standard places 成文日期; one empty line above."""
    from docx.shared import Pt

    paragraph(document)
    for text in (unit, date_text):
        line = paragraph(document, text, indent=False, align="right")
        line.paragraph_format.right_indent = Pt(4 * SIZES["三号"])


def signature_lines(document: Document, labels: Sequence[str], blank: int = 10) -> Paragraph:
    """Lines to sign by hand, e.g. 记录人：__________　　审核人：__________ ."""
    paragraph(document)
    filled = "　　　".join(f"{label}：{'_' * blank}" for label in labels)
    return paragraph(document, filled, indent=False, align="right")


# --- the XML that python-docx has no property for -------------------------------------


def _run(paragraph: Paragraph, text: str, font: str, size: float) -> Run:
    run = paragraph.add_run(text)
    _set_font(run, font, size)
    return run


def _set_font(target: Run | CharacterStyle, east_asian: str, size: float) -> None:
    """Name the font for every script: Chinese in `east_asian`, Latin in Times New Roman."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    target.font.size = Pt(size)
    target.font.name = LATIN_FONT
    r_pr = target.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    # Some Word versions size East Asian text by w:szCs.
    size_cs = r_pr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = OxmlElement("w:szCs")
        r_pr.append(size_cs)
    size_cs.set(qn("w:val"), str(int(size * 2)))


def _set_language(style: BaseStyle) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_pr = style.element.get_or_add_rPr()
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _plain_defaults(document: Document) -> None:
    """The template's document defaults name theme fonts (w:eastAsiaTheme, a Japanese
    font in python-docx's theme) and an English East Asian language; a theme attribute
    can win over an explicit font in Word, so the defaults name our fonts instead."""
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = None if defaults is None else defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if r_pr is None:
        return
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is not None:
        for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        fonts.set(qn("w:ascii"), LATIN_FONT)
        fonts.set(qn("w:hAnsi"), LATIN_FONT)
        fonts.set(qn("w:eastAsia"), BODY_FONT)
    lang = r_pr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _outline_level(paragraph: Paragraph, level: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    paragraph._p.get_or_add_pPr().append(outline)


def _add_font_fallbacks(document: Document) -> None:
    """Declare each Chinese font in the font table with its fallback (w:altName) and the
    GB2312 character set, so a PC without the font picks the same family."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    font_table = next(
        (rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FONT_TABLE),
        None,
    )
    if font_table is None:
        return
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(font_table.blob)
    present = {font.get(f"{{{w}}}name") for font in root}
    for name in (TITLE_FONT, BODY_FONT, HEADING1_FONT, HEADING2_FONT, PAGE_NUMBER_FONT):
        if name in present:
            continue
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        if name in FALLBACKS:
            etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": FALLBACKS[name]})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})  # GB2312
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": "modern"})
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "fixed"})
    font_table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_page_numbers(document: Document) -> None:
    """ "— 1 —" in 四号 宋体: odd pages at the right, even pages at the left, one character
    in from the edge of the text block (GB/T 9704 7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    one_char = Pt(SIZES["四号"])
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        line = footer.paragraphs[0]
        line.alignment = alignment
        line.paragraph_format.first_line_indent = Pt(0)
        line.paragraph_format.line_spacing = 1.0
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            line.paragraph_format.right_indent = one_char
        else:
            line.paragraph_format.left_indent = one_char
        _run(line, "— ", PAGE_NUMBER_FONT, SIZES["四号"])
        _page_field(_run(line, "", PAGE_NUMBER_FONT, SIZES["四号"]))
        _run(line, " —", PAGE_NUMBER_FONT, SIZES["四号"])


def _page_field(run: Run) -> None:
    """Turn an empty run into a PAGE field (Word fills in the current page number)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    template = run._r
    pieces = []
    for kind in ("begin", None, "separate", "1", "end"):
        r = copy.deepcopy(template)
        if kind is None:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = " PAGE "
            r.append(text)
        elif kind == "1":
            text = OxmlElement("w:t")
            text.text = "1"
            r.append(text)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r.append(char)
        pieces.append(r)
    for piece in pieces:
        template.addprevious(piece)
    parent = template.getparent()
    assert parent is not None  # the run sits in its paragraph
    parent.remove(template)
