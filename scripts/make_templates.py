"""Build the default Word templates the office edits (data/templates/*.docx).

    .venv/bin/python scripts/make_templates.py            # writes data/templates/
    .venv/bin/python scripts/make_templates.py --out DIR  # somewhere else

The program never draws a document: it fills these templates with docxtpl (Jinja
tags inside the .docx, `core/office/templates.py`). This script is how the shipped
defaults are made, so they can be rebuilt after a change of wording or layout;
`tests/test_templates.py` checks the shipped files are what it builds.

Each template is built from nothing (no python-docx default template), so it holds
only the styles an official document needs, named so that Word and WPS show them
in Chinese, with the fonts of GB/T 9704-2012 named for every script: no theme, no
Calibri, Cambria or MS 明朝 for a clerk to pick up by applying 标题 1. The page is
A4 with the standard's margins, 22 lines of 28 characters (三号 仿宋, line pitch
28.95 pt), page numbers "— 1 —" in 四号 宋体 at the outside corners.

Chinese is the source; data/templates/en/ holds the same templates in English.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx
from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.shared import Twips
from docx.text.paragraph import Paragraph

from core.office.document import (
    BODY_FONT,
    FALLBACKS,
    HEADING1_FONT,
    HEADING2_FONT,
    LATIN_FONT,
    LINE_PITCH_TWIPS,
    MARGINS_MM,
    PAGE_MM,
    PAGE_NUMBER_FONT,
    RED,
    TITLE_FONT,
    twips,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = f'xmlns:w="{W_NS}"'
FIXED_TIME = "2024-01-01T00:00:00Z"  # the templates' own dates: rebuilding changes nothing

# Half-points, as Word stores font sizes.
SZ = {"小初": 72, "一号": 52, "二号": 44, "小二": 36, "三号": 32, "小三": 30, "四号": 28}
SZ |= {"小四": 24, "五号": 21, "小五": 18}

BODY_CHAR_SPACING = -5  # twentieths of a point: 28 characters of 三号 fill the 156 mm line


def fonts(east_asian: str) -> str:
    return (
        f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" '
        f'w:eastAsia="{east_asian}" w:cs="{LATIN_FONT}"/>'
    )


def run_props(
    font: str, size: str, *, bold: bool = False, color: str = "", spacing: int = 0
) -> str:
    parts = [fonts(font)]
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if spacing:
        parts.append(f'<w:spacing w:val="{spacing}"/>')
    parts.append(f'<w:sz w:val="{SZ[size]}"/><w:szCs w:val="{SZ[size]}"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def exact(twips_value: int) -> str:
    return f'<w:spacing w:before="0" w:after="0" w:line="{twips_value}" w:lineRule="exact"/>'


SINGLE = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
NO_GRID = '<w:snapToGrid w:val="0"/>'
TWO_CHARS = f'<w:ind w:firstLine="{2 * 320}"/>'  # 2 × 三号 (16 pt = 320 twips)


def paragraph_style(
    style_id: str,
    name: str,
    ppr: str,
    rpr: str,
    *,
    based_on: str = "Normal",
    next_style: str = "",
    outline: int | None = None,
    ui_priority: int = 1,
) -> str:
    outline_xml = "" if outline is None else f'<w:outlineLvl w:val="{outline}"/>'
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    following = f'<w:next w:val="{next_style}"/>' if next_style else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f'{based}{following}<w:uiPriority w:val="{ui_priority}"/><w:qFormat/>'
        f"<w:pPr>{ppr}{outline_xml}</w:pPr>{rpr}</w:style>"
    )


def styles_xml() -> str:
    """Only what an official document uses; built-in names (Normal, heading 1, Title,
    header, footer, Table Grid) are defined here so Word never brings its own."""
    body = run_props(BODY_FONT, "三号", spacing=BODY_CHAR_SPACING)
    table_text = run_props(BODY_FONT, "小四")
    styles = [
        # Normal: 三号 仿宋, justified, 28.95 pt lines, widow control.
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:uiPriority w:val="0"/><w:qFormat/>'
        f'<w:pPr><w:widowControl/>{exact(LINE_PITCH_TWIPS)}<w:jc w:val="both"/></w:pPr>'
        f"{body}</w:style>",
        paragraph_style(
            "BodyText",
            "公文正文",
            TWO_CHARS,
            "",
            next_style="BodyText",
        ),
        paragraph_style(
            "Title",
            "Title",
            # One empty line under the title (GB/T 9704 7.3.2), then the 主送机关.
            f'{NO_GRID}<w:spacing w:before="0" w:after="{LINE_PITCH_TWIPS}" w:line="700" '
            'w:lineRule="exact"/><w:jc w:val="center"/>',
            run_props(TITLE_FONT, "二号"),
            next_style="Normal",
        ),
        # 一、 in 黑体, （一） in 楷体, 1. in bold 仿宋: each kept with what follows it.
        *(
            paragraph_style(
                f"Heading{level}",
                f"heading {level}",
                f"<w:keepNext/>{TWO_CHARS}",
                run_props(font, "三号", bold=level == 3, spacing=BODY_CHAR_SPACING),
                next_style="BodyText",
                outline=level - 1,
            )
            for level, font in ((1, HEADING1_FONT), (2, HEADING2_FONT), (3, BODY_FONT))
        ),
        paragraph_style(
            "IssuerMark",
            "发文机关标志",
            f'{NO_GRID}<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
            '<w:jc w:val="center"/>',
            run_props(TITLE_FONT, "小初", color=RED),
            next_style="DocNumber",
        ),
        paragraph_style(
            "DocNumber",
            "发文字号",
            # The red line under the number (GB/T 9704 7.2.4), as wide as the text block.
            f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="12" w:color="{RED}"/></w:pBdr>'
            f'<w:spacing w:before="{2 * LINE_PITCH_TWIPS}" w:after="{2 * LINE_PITCH_TWIPS}" '
            f'w:line="{LINE_PITCH_TWIPS}" w:lineRule="exact"/><w:jc w:val="center"/>',
            run_props(BODY_FONT, "三号"),
            next_style="Title",
        ),
        paragraph_style("Addressee", "主送机关", "", "", next_style="BodyText"),
        paragraph_style(
            "Signature",
            "署名",
            # Kept with the date, and the date with the 版记: never alone on a page.
            f'<w:keepNext/><w:keepLines/><w:ind w:right="{4 * 320}"/><w:jc w:val="right"/>',
            "",
            next_style="SignatureDate",
        ),
        paragraph_style(
            "SignatureDate",
            "成文日期",
            f'<w:keepNext/><w:keepLines/><w:ind w:right="{4 * 320}"/><w:jc w:val="right"/>',
            "",
        ),
        paragraph_style(
            "Colophon",
            "版记",
            # 四号 仿宋, one character in from each side, lines between (GB/T 9704 7.4).
            f"<w:keepNext/><w:keepLines/>{NO_GRID}"
            '<w:tabs><w:tab w:val="right" w:pos="8564"/></w:tabs>'
            '<w:spacing w:before="0" w:after="0" w:line="440" w:lineRule="exact"/>'
            '<w:ind w:left="280" w:right="280"/><w:jc w:val="left"/>',
            run_props(BODY_FONT, "四号"),
        ),
        paragraph_style(
            "KeepWithNext",
            "正文（与下段同页）",
            f"<w:keepNext/>{TWO_CHARS}",
            "",
            next_style="BodyText",
        ),
        paragraph_style(
            "TableText",
            "表格文字",
            f'{NO_GRID}{SINGLE}<w:jc w:val="left"/>',
            table_text,
        ),
        paragraph_style(
            "TableHead",
            "表头文字",
            f'{NO_GRID}{SINGLE}<w:jc w:val="center"/>',
            run_props(HEADING1_FONT, "小四"),
            based_on="TableText",
        ),
        paragraph_style(
            "FormText",
            "表单文字",
            f'{NO_GRID}<w:spacing w:before="0" w:after="0" w:line="360" w:lineRule="auto"/>',
            run_props(BODY_FONT, "小四"),
        ),
        paragraph_style(
            "header",
            "header",
            f'{NO_GRID}{SINGLE}<w:jc w:val="center"/>',
            run_props(BODY_FONT, "五号"),
        ),
        paragraph_style(
            "footer",
            "footer",
            f"{NO_GRID}{SINGLE}",
            run_props(PAGE_NUMBER_FONT, "四号"),
        ),
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "</w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        '<w:pPr><w:snapToGrid w:val="0"/></w:pPr>'
        "<w:tblPr><w:tblBorders>"
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + "</w:tblBorders></w:tblPr></w:style>",
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/></w:style>',
    ]
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f"{fonts(BODY_FONT)}"
        f'<w:kern w:val="2"/><w:sz w:val="{SZ["三号"]}"/><w:szCs w:val="{SZ["三号"]}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:before="0" w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles {W}>{defaults}<w:latentStyles w:defLockedState="0" w:defUIPriority="99" '
        'w:defSemiHidden="0" w:defUnhideWhenUsed="0" w:defQFormat="0" w:count="0"/>'
        + "".join(styles)
        + "</w:styles>"
    )


def font_table_xml() -> str:
    entries = []
    for name in (LATIN_FONT, BODY_FONT, TITLE_FONT, HEADING1_FONT, HEADING2_FONT, PAGE_NUMBER_FONT):
        alt = f'<w:altName w:val="{FALLBACKS[name]}"/>' if name in FALLBACKS else ""
        charset = "00" if name == LATIN_FONT else "86"  # GB2312 for the Chinese fonts
        family = "roman" if name == LATIN_FONT else "modern"
        entries.append(
            f'<w:font w:name="{name}">{alt}<w:charset w:val="{charset}"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:fonts {W}>" + "".join(entries) + "</w:fonts>"
    )


def settings_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:settings {W}>"
        '<w:zoom w:percent="100"/><w:evenAndOddHeaders/>'
        '<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        "</w:settings>"
    )


def footer_xml(align: str, indent_side: str) -> str:
    """— 1 — in 四号 宋体, one character in from the outside edge."""
    rpr = run_props(PAGE_NUMBER_FONT, "四号")
    field = (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>1</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:ftr {W}>"
        f'<w:p><w:pPr><w:pStyle w:val="footer"/><w:ind w:{indent_side}="280"/>'
        f'<w:jc w:val="{align}"/></w:pPr>'
        f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>{field}'
        f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>'
    )


@dataclass(frozen=True)
class Page:
    """A4 with margins in mm; `grid`: the 22-line official grid."""

    margins: tuple[float, float, float, float] = (
        MARGINS_MM["top"],
        MARGINS_MM["bottom"],
        MARGINS_MM["left"],
        MARGINS_MM["right"],
    )
    grid: bool = True
    landscape: bool = False
    numbers: bool = True  # page numbers — 1 — (a form has none)

    def xml(self) -> str:
        top, bottom, left, right = (twips(mm) for mm in self.margins)
        width, height = twips(PAGE_MM[0]), twips(PAGE_MM[1])
        if self.landscape:
            width, height = height, width
        orient = ' w:orient="landscape"' if self.landscape else ""
        grid = (
            f'<w:docGrid w:type="lines" w:linePitch="{LINE_PITCH_TWIPS}"/>'
            if self.grid
            else '<w:docGrid w:linePitch="360"/>'
        )
        footers = (
            '<w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
            '<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
            if self.numbers
            else ""
        )
        return (
            f'<w:sectPr {W} xmlns:r="{R_NS}">{footers}'
            f'<w:pgSz w:w="{width}" w:h="{height}"{orient}/>'
            f'<w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" '
            f'w:header="851" w:footer="{twips(max(self.margins[1] - 7, 10))}" w:gutter="0"/>'
            f"{grid}</w:sectPr>"
        )


OFFICE = "application/vnd.openxmlformats-officedocument"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
WML = f"{OFFICE}.wordprocessingml"
PARTS = (  # part, content type
    ("/word/document.xml", f"{WML}.document.main+xml"),
    ("/word/styles.xml", f"{WML}.styles+xml"),
    ("/word/settings.xml", f"{WML}.settings+xml"),
    ("/word/fontTable.xml", f"{WML}.fontTable+xml"),
    ("/word/footer1.xml", f"{WML}.footer+xml"),
    ("/word/footer2.xml", f"{WML}.footer+xml"),
    ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
    ("/docProps/app.xml", f"{OFFICE}.extended-properties+xml"),
)
DOCUMENT_RELS = (  # id, type, target
    ("rIdStyles", f"{REL}/styles", "styles.xml"),
    ("rIdSettings", f"{REL}/settings", "settings.xml"),
    ("rIdFonts", f"{REL}/fontTable", "fontTable.xml"),
    ("rIdFooterOdd", f"{REL}/footer", "footer1.xml"),
    ("rIdFooterEven", f"{REL}/footer", "footer2.xml"),
)
PACKAGE_RELS = (
    ("rId1", f"{REL}/officeDocument", "word/document.xml"),
    ("rId2", f"{PACKAGE}/relationships/metadata/core-properties", "docProps/core.xml"),
    ("rId3", f"{REL}/extended-properties", "docProps/app.xml"),
)
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def relationships(rels: tuple[tuple[str, str, str], ...]) -> str:
    return (
        f'{XML_HEAD}<Relationships xmlns="{PACKAGE}/relationships">'
        + "".join(f'<Relationship Id="{i}" Type="{k}" Target="{t}"/>' for i, k, t in rels)
        + "</Relationships>"
    )


def base_package(page: Page, title: str) -> bytes:
    """An empty document holding only our parts."""
    content_types = (
        f'{XML_HEAD}<Types xmlns="{PACKAGE}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in PARTS)
        + "</Types>"
    )
    rels = relationships(PACKAGE_RELS)
    doc_rels = relationships(DOCUMENT_RELS)
    document = (
        f'{XML_HEAD}<w:document {W} xmlns:r="{R_NS}"><w:body>{page.xml()}</w:body></w:document>'
    )
    core = (
        f'{XML_HEAD}<cp:coreProperties xmlns:cp="{PACKAGE}/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>三述</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_TIME}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_TIME}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    app = (
        f'{XML_HEAD}<Properties xmlns="{REL.rsplit("/", 1)[0]}/extended-properties">'
        "<Application>Sanshu</Application></Properties>"
    )
    parts = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": rels,
        "word/_rels/document.xml.rels": doc_rels,
        "word/document.xml": document,
        "word/styles.xml": styles_xml(),
        "word/settings.xml": settings_xml(),
        "word/fontTable.xml": font_table_xml(),
        "word/footer1.xml": footer_xml("right", "right"),
        "word/footer2.xml": footer_xml("left", "left"),
        "docProps/core.xml": core,
        "docProps/app.xml": app,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), text.encode("utf-8"))
    return buffer.getvalue()


# -- writing a template's body ----------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str = ""
    span: int = 1  # grid columns it covers
    vmerge: str | None = None  # "restart": merged with the cells below marked "continue"
    align: str = ""  # "center": a number, a grade, a tick box


class Builder:
    """Paragraphs and tables in the template's own styles; a Jinja tag always sits in one
    run, so Word shows it whole and docxtpl finds it."""

    def __init__(self, page: Page, title: str):
        self.doc: Document = docx.Document(io.BytesIO(base_package(page, title)))

    def p(self, text: str = "", style: str = "BodyText", *, bold: bool = False) -> Paragraph:
        paragraph = self.doc.add_paragraph(style=self._style(style))
        if text:
            for index, line in enumerate(text.split("\n")):
                run = paragraph.add_run(line)
                run.bold = bold or None
                if index:
                    run._r.insert(0, parse_xml(f"<w:br {W}/>"))
        return paragraph

    def form_title(self, text: str) -> Paragraph:
        """A form's title: the Title style with little room under it."""
        paragraph = self.p(text, "Title")
        paragraph.paragraph_format.space_after = Twips(120)
        return paragraph

    def tag(self, jinja: str) -> Paragraph:
        """A paragraph holding only a docxtpl paragraph tag: {%p if … %}."""
        return self.p("{%p " + jinja + " %}", "Normal")

    def break_unless_last(self, paragraph: Paragraph) -> None:
        """End `paragraph` with a page break, except in a loop's last round: the next
        round starts on a new page, and no empty page follows a full one."""
        paragraph.add_run("{%r if not loop.last %}")
        paragraph.add_run().add_break(WD_BREAK.PAGE)
        paragraph.add_run("{%r endif %}")

    def table(
        self,
        widths_mm: list[float],
        rows: list[list[str | Cell]],
        *,
        head_rows: int = 1,
        row_height_mm: float | None = None,
        tight: bool = False,
        keep_together: bool = False,
    ) -> None:
        """A bordered table, its header rows repeated on every page, no row split across
        pages; `keep_together`: every row kept with the next, so a table shorter than a
        page is never split (no lone first row at the foot of a page). Each row is a list
        of cells (a text, or a `Cell` spanning columns or merged down); a row holding one
        text is a docxtpl row tag ({%tr …%}) across the table.
        `tight`: small cell margins (a form's narrow tick boxes)."""
        grid = [twips(w) for w in widths_mm]
        margins = (
            '<w:tblCellMar><w:left w:w="28" w:type="dxa"/><w:right w:w="28" w:type="dxa"/>'
            "</w:tblCellMar>"
            if tight
            else ""
        )
        parts = [
            f'<w:tbl {W}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{sum(grid)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblLayout w:type="fixed"/>{margins}'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
            'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
            + "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
            + "</w:tblGrid>"
        ]
        for index, row in enumerate(rows):
            head = index < head_rows
            cells = [c if isinstance(c, Cell) else Cell(c) for c in row]
            if len(cells) == 1 and cells[0].text.startswith("{%tr"):
                cells = [Cell(cells[0].text, span=len(grid))]
            height = (
                f'<w:trHeight w:val="{twips(row_height_mm)}" w:hRule="atLeast"/>'
                if row_height_mm and not head
                else ""
            )
            parts.append(
                "<w:tr><w:trPr><w:cantSplit/>"
                + ("<w:tblHeader/>" if head else "")
                + height
                + "</w:trPr>"
            )
            column = 0
            keep = "<w:keepNext/>" if keep_together else ""
            for cell in cells:
                width = sum(grid[column : column + cell.span])
                column += cell.span
                span = f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
                merge = (
                    f'<w:vMerge w:val="{cell.vmerge}"/>'
                    if cell.vmerge == "restart"
                    else ("<w:vMerge/>" if cell.vmerge else "")
                )
                style = "TableHead" if head else "TableText"
                jc = f'<w:jc w:val="{cell.align}"/>' if cell.align else ""
                text = (
                    f'<w:r><w:t xml:space="preserve">{escape(cell.text)}</w:t></w:r>'
                    if cell.text
                    else ""
                )
                parts.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}'
                    '<w:vAlign w:val="center"/></w:tcPr>'
                    f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}{jc}</w:pPr>{text}</w:p></w:tc>'
                )
            if column != len(grid):
                raise ValueError(f"row {index} covers {column} of {len(grid)} columns")
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        body = self.doc.element.body
        body.insert(len(body) - 1, parse_xml("".join(parts)))  # before the sectPr

    def _style(self, style_id: str) -> str:
        for style in self.doc.styles:
            if style.style_id == style_id:
                return style.name or style_id
        raise KeyError(style_id)

    def save(self, path: Path) -> None:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(repack(buffer.getvalue()))


def repack(data: bytes) -> bytes:
    """The same package with fixed member dates, so a rebuild is byte for byte the same."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(
                zipfile.ZipInfo(info.filename, (2024, 1, 1, 0, 0, 0)), source.read(info)
            )
    return out.getvalue()


def centred(text: str) -> Cell:
    return Cell(text, align="center")


def rows_table(
    b: Builder,
    widths_mm: list[float],
    heads: list[str | Cell],
    loop: str,
    cells: list[str | Cell],
    *,
    row_height_mm: float | None = None,
    keep_together: bool = False,
) -> None:
    """A table with a row per item of a list: `loop` is docxtpl's "r in 结果"."""
    rows = [heads, ["{%tr for " + loop + " %}"], cells, ["{%tr endfor %}"]]
    b.table(widths_mm, rows, row_height_mm=row_height_mm, keep_together=keep_together)


# -- the parts official documents share ---------------------------------------------------


def red_head(b: Builder) -> None:
    """版头: 发文机关标志 in red, the 发文字号, the red line under it."""
    b.p("{{ 发文机关标志 }}", "IssuerMark")
    b.p("{{ 发文字号 }}", "DocNumber")


def signature_block(b: Builder) -> None:
    """署名 and 成文日期, one empty line below the text, kept with what precedes them
    (the last paragraph before carries keep-with-next)."""
    b.p("", "KeepWithNext")
    b.p("{{ 署名 }}", "Signature")
    b.p("{{ 成文日期 }}", "SignatureDate")


def colophon(b: Builder, words: dict[str, str]) -> None:
    """版记: 抄送, then 印发机关 and 印发日期, between black lines. The line above it
    holds the 附注 (GB/T 9704: under the 成文日期, two characters in): the fingerprint
    of the result the document reports, which `sanshu tally --check` reads back."""
    b.p(words["fingerprint"], "KeepWithNext")
    b.tag("if 抄送")
    cc = b.p(words["cc"] + "{{ 抄送 }}", "Colophon")
    border(cc, top=8, bottom=6)
    b.tag("endif")
    printed = b.p("{{ 印发机关 }}\t{{ 印发日期 }}" + words["printed"], "Colophon")
    border(printed, top=6, bottom=8)


def border(paragraph: Paragraph, *, top: int, bottom: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:pBdr {W}><w:top w:val="single" w:sz="{top}" w:space="1" w:color="000000"/>'
            f'<w:bottom w:val="single" w:sz="{bottom}" w:space="1" w:color="000000"/></w:pBdr>'
        )
    )


def opening(b: Builder, title: str, addressee: str) -> None:
    """An official document's start: the 版头, the title, the 主送机关."""
    red_head(b)
    b.p(title, "Title")
    b.p(addressee, "Addressee")


def closing(b: Builder, lang: str) -> None:
    """An official document's end: 署名, 成文日期, 附注 (the result's fingerprint), 版记."""
    signature_block(b)
    colophon(b, WORDS[lang]["colophon"])


# -- the documents ---------------------------------------------------------------------

from make_templates_words import WORDS


def letter(lang: str) -> Builder:
    w = WORDS[lang]["letter"]
    b = Builder(Page(), w["name"])
    opening(b, w["title"], "{{ 单位 }}" + w["colon"])
    b.p(w["opening"])
    b.p(w["h_result"], "Heading1")
    b.tag("if 有日常考核")
    b.p(w["result"])
    b.tag("else")
    b.p(w["result_no_daily"])
    b.tag("endif")
    b.tag("if 调整理由")
    b.p(w["override"])
    b.tag("endif")
    b.p(w["h_distribution"], "Heading1")
    b.p(w["distribution"], "KeepWithNext")
    b.table(
        [40, 8, 18, 8, 18],
        [
            [
                w["col_criterion"],
                "{%tc for g in 等次 %}",
                "{{ g }}",
                "{%tc endfor %}",
                w["col_score"],
            ],
            ["{%tr for r in 等次分布 %}"],
            [
                "{{ r.测评项目 }}",
                "{%tc for c in r.票数 %}",
                Cell("{{ c }}", align="center"),
                "{%tc endfor %}",
                Cell("{{ r.得分 }}", align="center"),
            ],
            ["{%tr endfor %}"],
        ],
    )
    b.p(w["h_comments"], "Heading1")
    b.tag("if 意见建议")
    b.p(w["comments"])
    b.tag("for c in 意见建议")
    b.p("{{ loop.index }}. {{ c }}")
    b.tag("endfor")
    b.tag("else")
    b.p(w["no_comments"])
    b.tag("endif")
    b.p(w["h_record"], "Heading1")
    b.tag("if 点评 or 询问")
    b.p(w["record"])
    b.tag("if 点评")
    b.p(w["h_commentary"], "Heading2")
    b.tag("for c in 点评")
    b.p("{{ c.点评人 }}" + w["colon"] + "{{ c.内容 }}")
    b.tag("endfor")
    b.tag("endif")
    b.tag("if 询问")
    b.p(w["h_questions"], "Heading2")
    b.tag("for q in 询问")
    b.p(w["question"])
    b.p(w["answer"])
    b.tag("endfor")
    b.tag("endif")
    b.tag("elif 现场述职")
    b.p(w["no_record_onsite"])
    b.tag("else")
    b.p(w["no_record_written"])
    b.tag("endif")
    b.p(w["h_rectify"], "Heading1")
    b.tag("if 需约谈")
    b.p(w["warning"], bold=True)
    b.tag("endif")
    b.p(w["rectify"], "KeepWithNext")
    closing(b, lang)
    return b


def bulletin(lang: str) -> Builder:
    w = WORDS[lang]["bulletin"]
    b = Builder(Page(), w["name"])
    opening(b, w["title"], "{{ 主送机关 }}" + WORDS[lang]["letter"]["colon"])
    b.p(w["opening"])
    b.p(w["method"])
    b.p(w["h_result"], "Heading1")
    b.p(w["lead"], "KeepWithNext")
    b.tag("if 公布得分")
    ranked(b, [20, 70, 33, 33], w, "r in 结果")
    b.tag("else")
    rows_table(
        b,
        [20, 90, 46],
        [w["col_order"], w["col_subject"], w["col_grade"]],
        "r in 结果",
        [centred("{{ r.序号 }}"), "{{ r.述职对象 }}", centred("{{ r.等次 }}")],
        keep_together=True,
    )
    b.tag("endif")
    b.p(w["h_grades"], "Heading1")
    b.tag("for g in 等次汇总")
    b.p(w["grade_line"])
    b.tag("endfor")
    b.tag("if 调整")
    b.p(w["overrides"], "KeepWithNext")
    b.tag("for o in 调整")
    b.p(w["override_line"])
    b.tag("endfor")
    b.tag("endif")
    b.p(w["h_next"], "Heading1")
    b.p(w["next"], "KeepWithNext")
    closing(b, lang)
    return b


def ranked(b: Builder, widths_mm: list[float], w: dict[str, str], loop: str) -> None:
    """名次, 述职对象, 综合得分, 等次: the 通报's table and the 排名表's."""
    heads: list[str | Cell] = [w["col_rank"], w["col_subject"], w["col_score"], w["col_grade"]]
    cells: list[str | Cell] = [
        centred("{{ r.名次 }}"),
        "{{ r.述职对象 }}",
        centred("{{ r.综合得分 }}"),
        centred("{{ r.等次 }}"),
    ]
    rows_table(b, widths_mm, heads, loop, cells, keep_together=True)


def ranking(lang: str) -> Builder:
    w = WORDS[lang]["ranking"]
    b = Builder(Page(margins=(25, 20, 25, 25), grid=False), w["name"])
    b.form_title(w["title"])
    b.p(w["meeting"], "FormText").alignment = 1
    ranked(b, [22, 70, 34, 34], w, "r in 排名")
    b.tag("for n in 说明")
    b.p("{{ n }}", "FormText")
    b.tag("endfor")
    b.p(w["made_by"], "FormText")
    return b


def minutes(lang: str) -> Builder:
    w = WORDS[lang]["minutes"]
    b = Builder(Page(), w["name"])
    b.p(w["title"], "Title")
    for line in w["head"]:
        b.p(line, "Addressee")
    b.p(w["h_attendance"], "Heading1")
    b.p(w["attendance"])
    b.tag("for g in 出席分组")
    b.p(w["attendance_group"])
    b.tag("endfor")
    b.tag("if 请假人员")
    b.p(w["on_leave"])
    b.tag("endif")
    b.tag("if 缺席人员")
    b.p(w["absent"])
    b.tag("endif")
    b.p(w["h_agenda"], "Heading1")
    b.tag("for a in 议程")
    b.p("{{ a }}")
    b.tag("endfor")
    b.p(w["h_onsite"], "Heading1")
    b.tag("for s in 现场述职")
    b.p(w["subject"], "Heading2")
    b.p("{{ s.用时 }}")
    b.p(w["commentary"], "KeepWithNext", bold=True)
    b.tag("if s.点评")
    rows_table(
        b,
        [16, 26, 114],
        [w["col_time"], w["col_commenter"], w["col_content"]],
        "c in s.点评",
        [centred("{{ c.时间 }}"), "{{ c.点评人 }}", "{{ c.内容 }}"],
    )
    b.tag("else")
    b.p(w["none"])
    b.tag("endif")
    b.p(w["questions"], "KeepWithNext", bold=True)
    b.tag("if s.询问")
    rows_table(
        b,
        [15, 22, 63, 56],  # the question widest, the answer next: their text shares
        [w["col_time"], w["col_asker"], w["col_question"], w["col_answer"]],
        "q in s.询问",
        [centred("{{ q.时间 }}"), "{{ q.询问人 }}", "{{ q.问题 }}", "{{ q.答复 }}"],
    )
    b.tag("else")
    b.p(w["none"])
    b.tag("endif")
    b.tag("endfor")
    b.p(w["h_written"], "Heading1")
    b.p(w["written"])
    b.p(w["h_scoring"], "Heading1")
    b.tag("for line in 测评情况")
    b.p("{{ line }}")
    b.tag("endfor")
    b.p(w["h_overrides"], "Heading1")
    b.tag("if 等次调整")
    rows_table(
        b,
        [32, 22, 22, 80],
        [w["col_subject"], w["col_computed"], w["col_final"], w["col_reason"]],
        "o in 等次调整",
        [
            "{{ o.述职对象 }}",
            centred("{{ o.计算等次 }}"),
            centred("{{ o.最终等次 }}"),
            "{{ o.理由 }}",
        ],
    )
    b.tag("else")
    b.p(w["none"])
    b.tag("endif")
    b.p("", "KeepWithNext")
    b.p(w["signatures"], "SignatureDate")
    return b


def ballot(lang: str) -> Builder:
    w = WORDS[lang]["ballot"]
    b = Builder(Page(margins=(15, 15, 15, 15), grid=False, numbers=False), w["name"])
    b.tag("for k in 表")
    b.form_title(w["title"])
    b.p(w["category"], "FormText").alignment = 1
    b.p(w["rules"], "FormText")
    # Columns: 序号, 述职对象, then per criterion a tick box per choice (docxtpl repeats the
    # cells between the {%tc%} tag cells), then the comment line.
    b.table(
        [7, 26, 3, 3, 7.5, 3, 3, 34],
        [
            [
                Cell(w["col_no"], vmerge="restart"),
                Cell(w["col_subject"], vmerge="restart"),
                "{%tc for c in 测评项目 %}",
                Cell("{{ c }}{% colspan 选项数 %}", span=3),
                "{%tc endfor %}",
                Cell(w["col_comment"], vmerge="restart"),
            ],
            [
                Cell(vmerge="continue"),
                Cell(vmerge="continue"),
                "{%tc for c in 测评项目 %}",
                "{%tc for g in 选项 %}",
                "{{ g }}",
                "{%tc endfor %}",
                "{%tc endfor %}",
                Cell(vmerge="continue"),
            ],
            ["{%tr for s in k.述职对象 %}"],
            [
                Cell("{{ s.序号 }}", align="center"),
                "{{ s.名称 }}",
                "{%tc for c in 测评项目 %}",
                "{%tc for g in 选项 %}",
                "",
                "{%tc endfor %}",
                "{%tc endfor %}",
                "",
            ],
            ["{%tr endfor %}"],
        ],
        head_rows=2,
        row_height_mm=7.5,
        tight=True,
    )
    b.break_unless_last(b.p(w["sign"], "FormText"))
    b.tag("endfor")
    return b


def signin(lang: str) -> Builder:
    w = WORDS[lang]["signin"]
    b = Builder(Page(margins=(20, 20, 25, 25), grid=False), w["name"])
    b.form_title(w["title"])
    b.p(w["meeting"], "FormText").alignment = 1
    b.tag("for g in 分组")
    b.p(w["group"], "Heading3")
    pair = [w["col_no"], w["col_name"], w["col_sign"]]
    rows_table(
        b,
        [14, 27, 37, 14, 27, 37],
        [*pair, *pair],
        "row in g.行",
        [
            centred("{{ row[0].序号 }}"),
            "{{ row[0].姓名 }}",
            "{{ row[0].备注 }}",
            centred("{{ row[1].序号 }}"),
            "{{ row[1].姓名 }}",
            "{{ row[1].备注 }}",
        ],
        row_height_mm=10,
    )
    b.tag("endfor")
    b.p(w["counts"], "FormText")
    return b


DOCUMENTS = {
    "letter": letter,
    "bulletin": bulletin,
    "minutes": minutes,
    "ranking": ranking,
    "ballot": ballot,
    "signin": signin,
}


def build_all(out: Path) -> list[Path]:
    written = []
    for lang, folder in (("zh", out), ("en", out / "en")):
        for kind, make in DOCUMENTS.items():
            path = folder / f"{kind}.docx"
            make(lang).save(path)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "templates")
    args = parser.parse_args(argv)
    for path in build_all(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
