"""Word templates the office edits, filled with docxtpl (Jinja tags inside a .docx).

Every document (the feedback letters, the 通报, the 排名表, the minutes, the paper
ballot, the sign-in sheet) is a template: `data/templates/<kind>.docx` by default
(`sanshu templates export DIR` writes them out to edit in Word or WPS), or the
office's own, named in the meeting file's `[documents.templates]`. The code fills
in fields and never draws a letterhead.

A template is read bounded (a regular file, a byte cap, its zip members checked
before anything inflates), rendered in Jinja's sandbox with every value escaped
and every unknown field an error that names the field and the file, and checked
afterwards: no `{{` or `{%` may be left in the document. Two things the template
cannot say for itself are done after filling it: a table whose columns a loop
repeated gets a grid that matches its cells (as wide as the template's cells,
narrowed to the text block when too wide), and a title (style Title) too long for
a line breaks between words (`core.office.titles`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import StoreError
from core.files import check_zip, read_bounded
from core.i18n import language, t
from core.meeting.model import DOCUMENT_KINDS, Meeting
from core.office.titles import title_lines

if TYPE_CHECKING:
    from docx.document import Document
    from lxml.etree import _Element

# The field that prints the fingerprint of the result a document reports (docs/templates.md).
FINGERPRINT_FIELD = "结果校验码"
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024  # a template with the office's emblem as a picture
MAX_TEMPLATE_INFLATED = 60 * 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_LEFTOVER = re.compile(r"\{\{|\{%|%\}|\}\}")

# What `sanshu templates export` names each template (the office's own files).
EXPORT_NAMES = {
    "letter": "书面反馈模板.docx",
    "bulletin": "通报模板.docx",
    "minutes": "会议记录模板.docx",
    "ranking": "排名表模板.docx",
    "ballot": "纸质测评票模板.docx",
    "signin": "签到表模板.docx",
}


class TemplateError(StoreError):
    """A template cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Template:
    kind: str
    name: str  # the file's name, for messages
    data: bytes


def default_path(kind: str, lang: str | None = None) -> Path:
    if kind not in DOCUMENT_KINDS:
        raise ValueError(kind)
    folder = files("sanshu_data") / "templates"
    if (lang or language()) == "en":
        folder = folder / "en"
    return Path(str(folder / f"{kind}.docx"))


def template_path(kind: str, meeting: Meeting, base: Path, chosen: Path | None = None) -> Path:
    """The template a document is written from: the one given on the command line, else
    the meeting file's (relative to `base`, the meeting database's folder), else ours."""
    if chosen is not None:
        return chosen
    named = meeting.documents.templates.get(kind)
    if named:
        path = Path(named).expanduser()
        return path if path.is_absolute() else base / path
    return default_path(kind)


def load(kind: str, path: Path) -> Template:
    data = read_bounded(path, MAX_TEMPLATE_BYTES)
    check_zip(data, path.name, MAX_TEMPLATE_INFLATED)
    return Template(kind, path.name, data)


def load_for(kind: str, meeting: Meeting, base: Path, chosen: Path | None = None) -> Template:
    return load(kind, template_path(kind, meeting, base, chosen))


# -- filling a template ----------------------------------------------------------------


def render(template: Template, context: Mapping[str, Any], atoms: Iterable[str] = ()) -> bytes:
    """The document: `template` filled with `context`. `atoms` are names a title must
    not be broken inside (the subject, its unit, the meeting)."""
    document = _filled(template, context)
    fit_table_grids(document)
    break_titles(document, atoms)
    _check_nothing_left(document, template.name)
    if code := context.get(FINGERPRINT_FIELD):
        # Also in the file's properties (标记): an office's own template may not print it.
        document.core_properties.keywords = t("fingerprint.line", code=code)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write(
    template: Template, context: Mapping[str, Any], path: Path, atoms: Iterable[str] = ()
) -> None:
    data = render(template, context, atoms)
    path.write_bytes(data)


def check(template: Template, context: Mapping[str, Any]) -> None:
    """Refuse a template before anything is written: every field it uses must be one
    the document has, and it must fill without error."""
    unknown = sorted(undeclared(template) - set(context))
    if unknown:
        fields = "、".join("{{ " + name + " }}" for name in unknown)
        raise TemplateError(t("template.unknown_fields", file=template.name, fields=fields))
    render(template, context)


def undeclared(template: Template) -> set[str]:
    """The names the template reads that no loop of its own defines."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    try:
        found: set[str] = DocxTemplate(io.BytesIO(template.data)).get_undeclared_template_variables(
            _environment()
        )
    except TemplateSyntaxError as exc:
        raise TemplateError(_syntax_message(template, exc)) from None
    except Exception as exc:  # not a Word document at all
        raise TemplateError(t("template.unreadable", file=template.name, detail=exc)) from None
    return found


def _environment() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    # The sandbox: a template is a file from outside, it may call nothing unsafe.
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def _syntax_message(template: Template, exc: Exception) -> str:
    return t("template.syntax", file=template.name, detail=getattr(exc, "message", None) or exc)


def _filled(template: Template, context: Mapping[str, Any]) -> Document:
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    try:
        document = DocxTemplate(io.BytesIO(template.data))
        document.render(dict(context), _environment(), autoescape=True)
    except TemplateSyntaxError as exc:
        raise TemplateError(_syntax_message(template, exc)) from None
    except (UndefinedError, SecurityError) as exc:
        raise TemplateError(
            t("template.bad_field", file=template.name, detail=exc.message or exc)
        ) from None
    except Exception as exc:  # a template docxtpl cannot read or its tags break the XML
        raise TemplateError(t("template.unreadable", file=template.name, detail=exc)) from None
    result: Document = document.docx
    return result


def _parts(document: Document) -> list[_Element]:
    """The body and every header and footer: where a field may be written."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import XmlPart

    elements: list[_Element] = [document.element.body]
    for rel in document.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and isinstance(rel.target_part, XmlPart):
            elements.append(rel.target_part.element)
    return elements


def _check_nothing_left(document: Document, name: str) -> None:
    for element in _parts(document):
        text = "".join(str(piece) for piece in element.itertext())
        found = _LEFTOVER.search(text)
        if found:
            around = text[max(0, found.start() - 20) : found.end() + 20]
            raise TemplateError(t("template.left_over", file=name, text=around))


# -- what the template cannot do for itself ----------------------------------------------


def text_width_twips(document: Document) -> int:
    from docx.shared import Length

    section = document.sections[-1]
    width = Length(
        (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    )
    return int(width.twips)


def fit_table_grids(document: Document) -> None:
    """A table whose columns a `{%tc%}` loop repeated: its grid from its cells' own widths
    (docxtpl leaves the template's grid, evened out), narrowed to the text block."""
    limit = text_width_twips(document)
    for table in document.element.body.iter(f"{_W}tbl"):
        grid = table.find(f"{_W}tblGrid")
        if grid is None:
            continue
        rows = table.findall(f"{_W}tr")
        single = [
            cells for row in rows if (cells := _cells(row)) and all(s == 1 for _, s, _ in cells)
        ]
        if not single:
            continue
        widest = max(single, key=len)
        widths = [w for w, _, _ in widest]
        if not all(widths):
            continue
        total = sum(widths)
        if total > limit:
            widths = [w * limit // total for w in widths]
        for old in list(grid):
            grid.remove(old)
        for width in widths:
            column = grid.makeelement(f"{_W}gridCol", {f"{_W}w": str(width)})
            grid.append(column)
        table_width = table.find(f"{_W}tblPr/{_W}tblW")
        if table_width is not None:
            table_width.set(f"{_W}w", str(sum(widths)))
            table_width.set(f"{_W}type", "dxa")
        for row in rows:
            column = 0
            for cell in row.findall(f"{_W}tc"):
                span = _span(cell)
                width = sum(widths[column : column + span])
                column += span
                tc_width = cell.find(f"{_W}tcPr/{_W}tcW")
                if tc_width is not None:
                    tc_width.set(f"{_W}w", str(width))
                    tc_width.set(f"{_W}type", "dxa")


def _span(cell: _Element) -> int:
    span = cell.find(f"{_W}tcPr/{_W}gridSpan")
    value = span.get(f"{_W}val") if span is not None else None
    return int(value) if value and value.isdigit() else 1


def _cells(row: _Element) -> list[tuple[int, int, _Element]]:
    """(width in twips, columns spanned, cell) for each cell of a row."""
    out = []
    for cell in row.findall(f"{_W}tc"):
        width = cell.find(f"{_W}tcPr/{_W}tcW")
        value = width.get(f"{_W}w") if width is not None else None
        out.append((int(value) if value and value.isdigit() else 0, _span(cell), cell))
    return out


def break_titles(document: Document, atoms: Iterable[str]) -> None:
    """Each title paragraph (style Title) too wide for one line, broken between words."""
    from docx.oxml import OxmlElement

    size = _title_size(document)
    width = text_width_twips(document) / 20 / size  # characters of the title's size
    atoms = tuple(atoms)
    for paragraph in document.paragraphs:
        if paragraph.style is None or paragraph.style.style_id != "Title":
            continue
        runs = paragraph.runs
        if not runs or paragraph._p.find(f".//{_W}br") is not None:
            continue  # the template broke it where it wanted
        lines = title_lines(paragraph.text, width, atoms)
        if len(lines) < 2:
            continue
        first = runs[0]
        for run in runs[1:]:
            paragraph._p.remove(run._r)
        first.text = lines[0]
        for line in lines[1:]:
            first._r.append(OxmlElement("w:br"))
            text = OxmlElement("w:t")
            text.text = line
            first._r.append(text)


def _title_size(document: Document) -> float:
    """The title style's size in points (二号 when the style does not say)."""
    for style in document.styles:
        if style.style_id == "Title":
            font = getattr(style, "font", None)
            if font is not None and font.size is not None:
                return float(font.size.pt)
    return 22.0
