"""The Word templates: every document from the shipped default and from an office's own
红头 template; the layout read back from the .docx (fonts named for every script,
margins, line pitch, header and footer, the signature kept with the text); no stray
default styles; titles broken between words; templates from outside read bounded and
filled in a sandbox."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from core.meeting.model import DOCUMENT_KINDS
from core.office import templates
from core.office.document import CHARS_PER_LINE, LINE_PITCH_TWIPS, TEXT_WIDTH_MM
from core.office.templates import default_path
from core.office.titles import TITLE_WORDS, title_lines
from tests.conftest import DEMO_TEXT
from tests.office import STRAY_FONTS, east_asian_font, every_text, package_xml, style_value, text_of
from tui.cli import run

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import make_templates

MARKER = "县人大常委会办公室红头ZX7Q"
OFFICIAL = ("letter", "bulletin", "minutes")  # GB/T 9704 page; the others are forms


def write(kind: str, db: Path, out_dir: Path, *extra: str) -> Path:
    """The document of `kind` through its command, as the office runs it."""
    commands = {
        "letter": (["feedback", "--out", str(out_dir / "letters")], None),
        "bulletin": (["bulletin", "--out", str(out_dir / "通报.docx")], "通报.docx"),
        "minutes": (["minutes", "--out", str(out_dir / "会议记录.docx")], "会议记录.docx"),
        "ranking": (["ranking", "--out", str(out_dir / "排名表.docx")], "排名表.docx"),
        "ballot": (["ballots", "paper", "--out", str(out_dir / "测评票.docx")], "测评票.docx"),
        "signin": (["attendance", "--out", str(out_dir / "签到表.docx")], "签到表.docx"),
    }
    args, name = commands[kind]
    out_dir.mkdir(parents=True, exist_ok=True)
    assert run([*args, "--db", str(db), *extra]) == 0
    if name is None:
        return next((out_dir / "letters").glob("17-*.docx"))  # 信访办
    return out_dir / name


def red_head_template(kind: str, path: Path) -> Path:
    """An office's own template: the default with its letterhead replaced (the 发文机关
    标志 written out in the office's words) and a marker in the page header."""
    document = docx.Document(str(default_path(kind)))
    section = document.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = MARKER
    first = next((p for p in document.paragraphs if "{{ 发文机关标志 }}" in p.text), None)
    if first is not None:
        first.runs[0].text = f"{MARKER}文件"
        for extra in first.runs[1:]:
            extra.text = ""
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def held(tmp_path_factory) -> Path:
    """The demo meeting as it was held, with the office's 红头 templates beside it."""
    from core.office.demo import held_demo_meeting

    folder = tmp_path_factory.mktemp("held")
    lines = ["", "[documents.templates]"]
    for kind in DOCUMENT_KINDS:
        red_head_template(kind, folder / "红头" / f"{kind}.docx")
        lines.append(f'{kind} = "红头/{kind}.docx"')  # relative to the database's folder
    held_demo_meeting(folder / "own.db", DEMO_TEXT + "\n".join(lines) + "\n", "own.toml")
    held_demo_meeting(folder / "demo.db", DEMO_TEXT, "demo-meeting.toml")
    return folder


@pytest.fixture(scope="module")
def rendered(held) -> dict[tuple[str, str], Path]:
    """Every document, from the default template and from the office's own."""
    out = {}
    for kind in DOCUMENT_KINDS:
        out[(kind, "default")] = write(kind, held / "demo.db", held / "default" / kind)
        out[(kind, "own")] = write(kind, held / "own.db", held / "own" / kind)
    return out


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_every_document_from_the_default_and_from_the_offices_own(rendered, kind):
    for which in ("default", "own"):
        path = rendered[(kind, which)]
        xml = every_text(path)
        for tag in ("{{", "{%", "%}", "}}"):
            assert tag not in xml, (kind, which, tag)
        text = text_of(path)
        assert "市人大常委会机关" in text  # the meeting, filled in
        assert (MARKER in xml) == (which == "own")  # the office's header, and only there
    own = text_of(rendered[(kind, "own")])
    default = text_of(rendered[(kind, "default")])
    if kind in ("letter", "bulletin"):
        assert own.startswith(f"{MARKER}文件")  # its own 发文机关标志
        assert default.startswith("中共市人大常委会机关党组\n市人大机党〔2024〕")  # [documents]


def test_the_letters_number_and_the_colophon_come_from_the_meeting_file(rendered):
    text = text_of(rendered[("letter", "default")])
    assert "市人大机党〔2024〕17号" in text  # number_start 1, the 17th letter
    assert "\n信访办公室：\n" in text  # 主送: the unit
    lines = text.splitlines()
    signature = len(lines) - 1 - lines[::-1].index("中共市人大常委会机关党组")  # not the head
    assert lines[signature + 1] == "2024年2月5日"  # 署名 and 成文日期 of [documents]
    assert "抄送：驻市人大机关纪检监察组。" in text
    assert "市人大常委会机关党委办公室\t2024年2月5日印发" in text
    bulletin = text_of(rendered[("bulletin", "default")])
    assert "市人大机党〔2024〕22号" in bulletin and "机关各部门、各党支部：" in bulletin


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_fonts_are_named_for_every_script(rendered, kind):
    document = docx.Document(str(rendered[(kind, "default")]))
    styles = {s.style_id: s for s in document.styles}
    for style_id, east_asian in (
        ("Normal", "仿宋_GB2312"),
        ("Title", "方正小标宋简体"),
        ("Heading1", "黑体"),
        ("Heading2", "楷体_GB2312"),
        ("footer", "宋体"),
    ):
        fonts = styles[style_id].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == east_asian
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert styles["Normal"].font.size == Pt(16) and styles["Title"].font.size == Pt(22)
    for paragraph in document.paragraphs:
        for run_ in paragraph.runs:
            if run_.text.strip():
                assert east_asian_font(document, paragraph, run_) in {
                    "仿宋_GB2312",
                    "方正小标宋简体",
                    "黑体",
                    "楷体_GB2312",
                }


@pytest.mark.parametrize("kind", OFFICIAL)
def test_the_page_is_the_standards(rendered, kind):
    document = docx.Document(str(rendered[(kind, "default")]))
    section = document.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin]
    sizes += [section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(s.mm, 1) for s in sizes] == [210, 297, 37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    normal = next(s for s in document.styles if s.style_id == "Normal")
    spacing = normal.element.pPr.find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")
    assert 22 * LINE_PITCH_TWIPS <= round(225 / 25.4 * 1440) < 23 * LINE_PITCH_TWIPS  # 22 lines
    # 28 characters of 三号 a line: 16 pt less the style's character spacing.
    squeeze = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    per_char = 16 + squeeze
    assert int(TEXT_WIDTH_MM / 25.4 * 72 / per_char) == CHARS_PER_LINE == 28


@pytest.mark.parametrize("kind", OFFICIAL)
def test_page_numbers_are_dashed_fields_at_the_outside_corners(rendered, kind):
    document = docx.Document(str(rendered[(kind, "default")]))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        line = footer.paragraphs[0]
        assert line.text.startswith("— ") and line.text.endswith(" —")
        assert "PAGE" in line._p.xml
        assert line._p.pPr.find(qn("w:jc")).get(qn("w:val")) == side
        assert east_asian_font(document, line) == "宋体"


@pytest.mark.parametrize("kind", ["letter", "bulletin"])
def test_the_signature_is_kept_with_the_last_paragraph(rendered, kind):
    """署名 and 成文日期 never stand alone on a page: the last paragraph of the text,
    the empty line and the 署名 each keep with the next, the date with the 版记; every
    paragraph has widow control."""
    document = docx.Document(str(rendered[(kind, "default")]))
    paragraphs = document.paragraphs
    signature = max(i for i, p in enumerate(paragraphs) if p.text == "中共市人大常委会机关党组")
    last_text = max(i for i, p in enumerate(paragraphs[:signature]) if p.text.strip())
    for paragraph in paragraphs[last_text : signature + 2]:
        assert style_value(paragraph, "w:keepNext") == "true", paragraph.text
    assert paragraphs[signature + 1].text == "2024年2月5日"
    normal = next(s for s in document.styles if s.style_id == "Normal")
    assert normal.element.pPr.find(qn("w:widowControl")) is not None
    colophon = [p for p in paragraphs if p.style.style_id == "Colophon"]
    assert [style_value(p, "w:keepNext") for p in colophon] == ["true", "true"]
    red = next(s for s in document.styles if s.style_id == "IssuerMark")
    assert red.font.color.rgb is not None and str(red.font.color.rgb) == "FF0000"
    line = next(s for s in document.styles if s.style_id == "DocNumber")
    border = line.element.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
    assert border.get(qn("w:color")) == "FF0000"  # the red line under the 发文字号


def test_no_stray_default_styles_in_templates_or_documents(rendered):
    """Nothing of python-docx's or Word's defaults: no theme fonts, no Calibri, Cambria or
    MS 明朝 for a clerk to pick up by applying 标题 1, no theme part at all."""
    paths = [default_path(kind, lang) for kind in DOCUMENT_KINDS for lang in ("zh", "en")]
    paths += list(rendered.values())
    for path in paths:
        parts = package_xml(path)
        assert not any("theme" in name for name in parts), path
        for name, xml in parts.items():
            for font in STRAY_FONTS:
                assert font not in xml, (path.name, name, font)
            assert "Theme" not in xml or name.endswith(".rels"), (path.name, name)
    styles = {s.style_id for s in docx.Document(str(default_path("letter"))).styles}
    assert {"Heading1", "Heading2", "Heading3", "Title", "Normal", "TableGrid"} <= styles
    assert len(styles) < 25  # only what an official document uses


def test_a_long_title_breaks_between_words(rendered):
    document = docx.Document(str(rendered[("letter", "default")]))
    title = next(p for p in document.paragraphs if p.style.style_id == "Title")
    assert title.text == "关于信访办2023年度\n述职述责述廉评议情况的反馈"


def test_titles_of_every_subject_break_between_words():
    """No break inside a subject's name, a year or a word of official titles; every line
    fits the 二号 line (20 characters); lines about even."""
    from core.meeting.file import parse_meeting

    meeting = parse_meeting(DEMO_TEXT)
    names = [s.name for s in meeting.subjects] + [s.unit for s in meeting.subjects]
    for subject in meeting.subjects:
        title = f"关于{subject.unit}2023年度述职述责述廉评议情况的反馈"
        lines = title_lines(title, 20, names)
        assert "".join(lines) == title
        cut = 0
        for line in lines[:-1]:
            cut += len(line)
            for word in (*TITLE_WORDS, subject.unit, "2023年度"):
                start = title.find(word)
                while start != -1:
                    assert not start < cut < start + len(word), (title, lines, word)
                    start = title.find(word, start + 1)
        assert all(len(line) <= 20 for line in lines) or len(lines) == 1


def test_the_shipped_templates_are_what_the_script_builds(tmp_path):
    """data/templates/ is rebuilt by scripts/make_templates.py; they never drift apart."""
    make_templates.build_all(tmp_path)
    for kind in DOCUMENT_KINDS:
        for lang, folder in (("zh", tmp_path), ("en", tmp_path / "en")):
            built = package_xml(folder / f"{kind}.docx")
            assert built == package_xml(default_path(kind, lang)), (kind, lang)


def test_templates_export_writes_every_template_once(tmp_path, capsys):
    out = tmp_path / "模板"
    assert run(["templates", "export", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(templates.EXPORT_NAMES.values())
    assert 'letter = "书面反馈模板.docx"' in capsys.readouterr().out  # to paste into the file
    assert (out / "书面反馈模板.docx").read_bytes() == default_path("letter").read_bytes()
    assert run(["templates", "export", str(out)]) == 1  # never overwrites an edited one
    assert "--force" in capsys.readouterr().err
    assert run(["templates", "export", str(out), "--force"]) == 0


# -- templates from outside: bounded, sandboxed, every problem named ------------------------


def _letter_with(held: Path, tmp_path: Path, template: Path) -> tuple[int, Path]:
    out = tmp_path / "out"
    code = run(
        ["feedback", "--db", str(held / "demo.db"), "--out", str(out), "--template", str(template)]
    )
    return code, out


def _edited(text_from: str, text_to: str, path: Path) -> Path:
    document = docx.Document(str(default_path("letter")))
    for paragraph in document.paragraphs:
        for run_ in paragraph.runs:
            if text_from in run_.text:
                run_.text = run_.text.replace(text_from, text_to)
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("{{ 述职对象 }}", "{{ 述职对象 "), "标签有误"),  # a tag never closed
        (("{{ 述职对象 }}", "{{ 述职对象.__class__.__mro__ }}"), "无法填写"),  # the sandbox
        (("{{ 述职对象 }}", "{% for x in 不存在 %}{% endfor %}"), "没有的字段"),
    ],
)
def test_a_bad_template_is_refused_with_its_name_and_nothing_written(
    held, tmp_path, capsys, change, said
):
    template = _edited(*change, tmp_path / "坏模板.docx")
    code, out = _letter_with(held, tmp_path, template)
    error = capsys.readouterr().err
    assert code == 1 and said in error and "坏模板.docx" in error
    assert "Traceback" not in error
    assert not out.exists() or not list(out.glob("*.docx"))


def test_a_file_that_is_no_template_is_refused(held, tmp_path, capsys):
    fake = tmp_path / "不是模板.docx"
    fake.write_text("这不是 Word 文档", encoding="utf-8")
    assert _letter_with(held, tmp_path, fake)[0] == 1
    assert "不是模板.docx" in capsys.readouterr().err
    pipe = tmp_path / "管道.docx"
    os.mkfifo(pipe)  # opening it would wait for a writer forever
    assert _letter_with(held, tmp_path, pipe)[0] == 1
    assert "管道.docx" in capsys.readouterr().err


def test_a_template_is_read_bounded(held, tmp_path, capsys):
    big = tmp_path / "太大.docx"
    with big.open("wb") as handle:
        handle.truncate(templates.MAX_TEMPLATE_BYTES + 1)  # sparse: no time to write it
    assert _letter_with(held, tmp_path, big)[0] == 1
    assert "太大.docx" in capsys.readouterr().err
    bomb = tmp_path / "炸弹.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"\0" * (templates.MAX_TEMPLATE_INFLATED + 1))
    bomb.write_bytes(buffer.getvalue())
    assert _letter_with(held, tmp_path, bomb)[0] == 1
    assert "炸弹.docx" in capsys.readouterr().err


def test_names_with_markup_characters_are_written_as_text(tmp_path, clock):
    """A subject named with & < > (or a comment holding them) cannot break the document."""
    from core.ballots.demo import fill_demo_ballots
    from core.meeting.store import MeetingStore

    text = DEMO_TEXT.replace('name = "法工委"', 'name = "法工委<&>"', 1)
    db = tmp_path / "m.db"
    MeetingStore.create(db, text, "m.toml", clock=clock).close()
    with MeetingStore(db, clock=clock) as store:
        fill_demo_ballots(store)
    out = tmp_path / "letters"
    assert run(["feedback", "--db", str(db), "--out", str(out)]) == 0
    first = next(out.glob("01-*.docx"))
    assert "关于法工委<&>2023年度" in text_of(first)


def test_a_template_named_in_the_meeting_file_but_missing_is_named(held, tmp_path, capsys):
    from core.meeting.store import MeetingStore

    text = DEMO_TEXT + '\n[documents.templates]\nbulletin = "红头/没有这个.docx"\n'
    db = tmp_path / "m.db"
    MeetingStore.create(db, text, "m.toml").close()
    assert run(["bulletin", "--db", str(db), "--out", str(tmp_path / "b.docx")]) == 1
    assert "没有这个.docx" in capsys.readouterr().err
