"""The streaming .xlsx reader against openpyxl, on workbooks written every way the
office's tools write them: shared strings (Excel, WPS, LibreOffice), inline strings
(openpyxl), blank cells left out, numbers, rich text, formulas with and without a
saved value, namespace prefixes, cells without references."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from core.ballots.xlsx import open_workbook
from core.text import cell_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_import import write_xlsx

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="="),
    max_size=8,
)
CELLS = st.one_of(
    st.sampled_from(["好", "较好", "一般", "差", "不了解", "", " 好 ", "a&b<c>\"d'", "法:工委 🏛️"]),
    TEXT,
    st.integers(-(10**6), 10**6),
    st.decimals(min_value=-1000, max_value=1000, places=2).map(float),
    st.none(),
)
TABLES = st.lists(st.lists(CELLS, max_size=12), min_size=1, max_size=15)


def read(path: Path) -> dict[int, list[str]]:
    book = open_workbook(str(path))
    with book.archive:
        return {number: cells for number, cells, _ in book.rows(book.active)}


def reference(path: Path) -> dict[int, list[str]]:
    """openpyxl's values, as text the way the importers read a cell."""
    sheet = load_workbook(path, data_only=True).active
    out = {}
    for row in sheet.iter_rows():
        texts = [cell_text(c.value) for c in row]
        while texts and not texts[-1]:
            texts.pop()
        if texts:
            out[row[0].row] = texts
    return out


def trimmed(rows: dict[int, list[str]]) -> dict[int, list[str]]:
    out = {}
    for number, cells in rows.items():
        texts = [c.strip() for c in cells]
        while texts and not texts[-1]:
            texts.pop()
        if texts:
            out[number] = texts
    return out


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TABLES)
def test_inline_strings_as_openpyxl_writes_them(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("x") / "t.xlsx"
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    assert trimmed(read(path)) == reference(path)


@SETTINGS
@given(TABLES)
def test_shared_strings_as_excel_writes_them(tmp_path_factory, rows):
    """The fast path: every value a shared string, a blank cell has no element."""
    path = tmp_path_factory.mktemp("x") / "t.xlsx"
    texts = [["" if v is None else str(v) for v in row] for row in rows]
    write_xlsx(texts, path)
    assert trimmed(read(path)) == reference(path)


def test_formulas_with_and_without_a_saved_value(tmp_path):
    path = tmp_path / "f.xlsx"
    sheet_xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="2"><c r="A2" t="str"><f>B2&amp;"好"</f><v>较好</v></c>'
        '<c r="B2"><f>1+1</f></c><c r="C2"><f>1+1</f><v></v></c>'
        '<c r="D2"><v>88.0</v></c><c r="E2" t="b"><v>1</v></c>'
        '<c r="F2" t="e"><v>#N/A</v></c></row></sheetData></worksheet>'
    )
    _package(path, sheet_xml)
    [(number, cells, unsaved)] = list(_rows(path))
    assert number == 2
    assert cells == ["较好", "", "", "88", "TRUE", "#N/A"]
    assert unsaved == (2, 3)  # B2 and C2: formulas whose value was never saved


def test_prefixed_elements_rich_text_and_cells_without_references(tmp_path):
    """What a .NET tool or an old WPS may write: every element with a prefix, rich
    text runs with a phonetic guide, rows and cells that do not say where they are."""
    path = tmp_path / "p.xlsx"
    sheet_xml = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<x:sheetData><x:row><x:c t='s'><x:v>0</x:v></x:c><x:c t=\"inlineStr\"><x:is>"
        "<x:r><x:t>法</x:t></x:r><x:r><x:t>工委</x:t></x:r><x:rPh><x:t>ほう</x:t></x:rPh>"
        '</x:is></x:c></x:row><x:row r="5"><x:c r="C5" t="s"><x:v>1</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    strings = "<si><t>类别</t></si><si><r><t>较</t></r><r><t>好</t></r><rPh><t>こう</t></rPh></si>"
    _package(path, sheet_xml, strings)
    assert [(n, c) for n, c, _ in _rows(path)] == [(1, ["类别", "法工委"]), (5, ["", "", "较好"])]


def _rows(path: Path):
    book = open_workbook(str(path))
    with book.archive:
        yield from book.rows(book.active)


def _package(path: Path, sheet_xml: str, strings: str = "") -> None:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="r1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="测评票" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="/xl/sharedStrings.xml"/>'
            "</Relationships>",
        )
        book.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">{strings}</sst>')
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml)
