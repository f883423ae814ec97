"""The official-document style, read back with python-docx."""

import datetime as dt

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.office import document as officedoc


def east_asian_font(run) -> str:
    return run.element.rPr.rFonts.get(qn("w:eastAsia"))


def build(tmp_path):
    doc = officedoc.new_document()
    officedoc.title(doc, "会议记录")
    officedoc.heading(doc, "会议概况", level=1, number=1)
    officedoc.heading(doc, "现场述职", level=2, number=2)
    officedoc.paragraph(doc, "正文内容。")
    officedoc.table(doc, ["时间", "内容"], [["9:00", "开始"]], widths_mm=[25, 131])
    officedoc.signature_lines(doc, ["记录人", "审核人"])
    path = tmp_path / "x.docx"
    doc.save(path)
    return Document(path)


def test_chinese_dates_and_numbers():
    assert officedoc.chinese_date(dt.date(2024, 1, 30)) == "2024年1月30日"
    assert officedoc.chinese_date(dt.date(2026, 11, 5)) == "2026年11月5日"
    numbers = [officedoc.chinese_number(n) for n in (1, 9, 10, 12, 20, 21)]
    assert numbers == ["一", "九", "十", "十二", "二十", "二十一"]


def test_page_is_a4_with_official_margins(tmp_path):
    section = build(tmp_path).sections[0]
    # Word stores twentieths of a point: compare to a tenth of a millimetre.
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(length.mm, 1) for length in sizes] == [210, 297, 37, 35, 28, 26]


def test_title_headings_and_body_name_their_chinese_fonts(tmp_path):
    doc = build(tmp_path)
    paragraphs = [p for p in doc.paragraphs if p.text]
    title, first, second, body = paragraphs[:4]
    assert title.alignment == 1  # centred
    assert east_asian_font(title.runs[0]) == "方正小标宋简体"
    assert title.runs[0].font.size == Pt(22)  # 二号
    assert first.text == "一、会议概况" and east_asian_font(first.runs[0]) == "黑体"
    assert second.text == "（二）现场述职" and east_asian_font(second.runs[0]) == "楷体_GB2312"
    assert east_asian_font(body.runs[0]) == "仿宋_GB2312"
    assert body.runs[0].font.size == Pt(16)  # 三号
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_fonts_missing_on_a_pc_have_fallbacks(tmp_path):
    doc = build(tmp_path)
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    table = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    xml = table.blob.decode("utf-8")
    assert 'w:name="仿宋_GB2312"' in xml and 'w:val="仿宋"' in xml
    assert 'w:name="方正小标宋简体"' in xml


def test_page_numbers_are_dashed_fields_on_odd_and_even_pages(tmp_path):
    doc = build(tmp_path)
    section = doc.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        assert "PAGE" in xml
        assert footer.paragraphs[0].text.startswith("— ")
        assert footer.paragraphs[0].text.endswith(" —")


def test_table_keeps_its_column_widths_and_repeats_its_header(tmp_path):
    table = build(tmp_path).tables[0]
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert widths == [Mm(25).twips, Mm(131).twips]
    assert round(table.rows[0].cells[0].width.mm) == 25
    assert table._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None
    assert east_asian_font(table.rows[1].cells[1].paragraphs[0].runs[0]) == "仿宋_GB2312"


def test_signature_lines_leave_room_to_sign(tmp_path):
    texts = [p.text for p in build(tmp_path).paragraphs]
    assert any("记录人：____" in t and "审核人：____" in t for t in texts)


def test_a_long_title_breaks_where_asked(tmp_path):
    doc = officedoc.new_document()
    officedoc.title(doc, "关于法工委2023年度\n述职述责述廉情况的反馈意见")
    path = tmp_path / "t.docx"
    doc.save(path)
    title = Document(path).paragraphs[0]
    # One paragraph with a line break in it.
    assert title.text == "关于法工委2023年度\n述职述责述廉情况的反馈意见"
    assert {east_asian_font(run) for run in title.runs} == {"方正小标宋简体"}


def test_no_theme_font_can_override_the_chinese_fonts(tmp_path):
    doc = build(tmp_path)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
