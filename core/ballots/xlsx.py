"""The rows of one sheet of an .xlsx workbook, streamed: memory stays flat whatever the
number of rows, and a formula whose value was never saved is told from a blank cell.

Why not a library. openpyxl's streaming reader builds a Python object per cell (about
13 s for 5,000 ballots, read twice to see formulas). python-calamine is fast on small
files but builds the whole sheet in memory before the first row comes out (100,000
ballots: 8.7 s and 452 MB here) and reads a formula without a saved value as a blank
cell, which would import a ballot with its grades silently missing.

How. The sheet's XML is inflated chunk by chunk and cut at row ends. A row in the shape
Excel, WPS, LibreOffice and openpyxl write for plain text or numbers
(`<c r="B7" t="s"><v>3</v></c>`, every cell with a value, from column A with no gap)
is read with a few searches over the whole row, in C; any other row (gaps, inline or
rich text, formulas, booleans, single quotes, namespace prefixes) goes through a
general reader of its cells. tests/test_xlsx_rows.py checks both against openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from collections import deque
from collections.abc import Iterator
from html import unescape
from pathlib import PurePosixPath
from typing import IO
from xml.etree import ElementTree

# (the sheet's own row number, the cells' text from column A, the columns (1-based)
# holding a formula whose value was never saved)
Row = tuple[int, list[str], tuple[int, ...]]

CHUNK = 1 << 20  # bytes of sheet XML inflated at a time
MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024  # what the zip check already bounds


class XlsxError(Exception):
    """Not a workbook this reader can read: damaged, or no sheet."""


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        with archive.open(name) as member:
            return ElementTree.parse(member).getroot()
    except (KeyError, ElementTree.ParseError) as exc:
        raise XlsxError(name) from exc


def _targets(archive: zipfile.ZipFile, rels: str, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type's last word, member name)."""
    out = {}
    for rel in _xml(archive, rels):
        target = rel.get("Target", "")
        name = target.lstrip("/") if target.startswith("/") else str(PurePosixPath(base, target))
        out[rel.get("Id", "")] = (rel.get("Type", "").rpartition("/")[2], _normal_path(name))
    return out


def _normal_path(name: str) -> str:
    parts: list[str] = []
    for part in name.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


class Workbook:
    """An open .xlsx file: its sheet names and the rows of one sheet."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        book = "xl/workbook.xml"
        try:
            for _id, (kind, name) in _targets(archive, "_rels/.rels", "").items():
                if kind == "officeDocument":
                    book = name
        except XlsxError:
            pass  # no package relationships: the usual place
        folder = str(PurePosixPath(book).parent)
        rels = _targets(archive, f"{folder}/_rels/{PurePosixPath(book).name}.rels", folder)
        root = _xml(archive, book)
        self.sheets: dict[str, str] = {}  # sheet name → member
        active = 0
        for element in root.iter():
            tag = _local(element.tag)
            if tag == "workbookView":
                active = _small_int(element.get("activeTab"))
            elif tag == "sheet":
                rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
                if rid in rels:
                    self.sheets[element.get("name", "")] = rels[rid][1]
        if not self.sheets:
            raise XlsxError("no sheet")
        names = list(self.sheets)
        self.active = names[active] if active < len(names) else names[0]
        self._strings_member = next((n for k, n in rels.values() if k == "sharedStrings"), None)
        self._strings: list[str] | None = None

    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = (
                _shared_strings(self.archive, self._strings_member)
                if self._strings_member and self._strings_member in self.archive.namelist()
                else []
            )
        return self._strings

    def rows(self, sheet: str) -> Iterator[Row]:
        member = self.sheets[sheet]
        try:
            stream = self.archive.open(member)
        except KeyError as exc:
            raise XlsxError(member) from exc
        with stream:
            yield from _SheetReader(self.strings()).rows(stream)


def _small_int(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 6 else 0


def _shared_strings(archive: zipfile.ZipFile, member: str) -> list[str]:
    """Every shared string, rich text runs joined, phonetic guides left out."""
    out: list[str] = []
    try:
        with archive.open(member) as stream:
            for _event, element in ElementTree.iterparse(stream):
                if _local(element.tag) != "si":
                    continue
                out.append("".join(_texts(element)))
                element.clear()
    except ElementTree.ParseError as exc:
        raise XlsxError(member) from exc
    return out


def _texts(element: ElementTree.Element) -> Iterator[str]:
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            yield child.text or ""
        elif tag == "r":
            yield from _texts(child)


_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_COLUMN = re.compile(rb"[A-Za-z]{1,3}")
_ROW_NUMBER = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"(\d{1,7})"|'(\d{1,7})')""")
_DIGITS = re.compile(r"-?\d{1,15}")


def column_number(letters: bytes) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number


def _letters(column: int) -> bytes:
    out = b""
    while column:
        column, rest = divmod(column - 1, 26)
        out = bytes([65 + rest]) + out
    return out


class _Places(dict[bytes, int]):
    """Column letters → the column's index in a row (A → 0), worked out once per letters."""

    def __missing__(self, letters: bytes) -> int:
        index = self[letters] = column_number(letters) - 1
        return index


def number_text(text: str) -> str:
    """A number as a spreadsheet stores it, as a person typed it and a spreadsheet shows
    it: 88 for 88.0, 0.69 for the 0.6899999999999999 a tool may have written."""
    if _DIGITS.fullmatch(text):
        return text
    if len(text) > 40:
        return text  # bounded before it is converted; the importer refuses it
    try:
        value = float(text)
    except ValueError:
        return text
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


class _SheetReader:
    """Cuts the inflated sheet XML at row ends and reads each row."""

    def __init__(self, strings: list[str]):
        self.strings = strings
        # Shared strings by the index as the XML spells it: the fast path maps a whole
        # row's values at once.
        self.by_index: dict[bytes, str] = {}
        self.places = _Places()
        self.prefix = b""

    def _prepare(self, head: bytes) -> None:
        """The namespace prefix of the sheet's elements (usually none) and the patterns."""
        match = re.search(rb"<(?:([\w.-]+):)?worksheet\b", head)
        self.prefix = match.group(1) + b":" if match and match.group(1) else b""
        p = re.escape(self.prefix)
        self.row_open = b"<" + self.prefix + b"row"
        self.row_close = b"</" + self.prefix + b"row>"
        self.row_start = re.compile(rb"<" + p + rb"row\b([^>]*?)(/?)>")
        self.cell = re.compile(rb"<" + p + rb"c\b([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)", re.S)
        self.value = re.compile(rb"<" + p + rb"v(?:\s[^>]*)?>(.*?)</" + p + rb"v>", re.S)
        self.formula = re.compile(rb"<" + p + rb"f\b")
        self.inline = re.compile(rb"<" + p + rb"is>(.*?)</" + p + rb"is>", re.S)
        self.text = re.compile(rb"<" + p + rb"t(?:\s[^>]*)?>(.*?)</" + p + rb"t>", re.S)
        self.phonetic = re.compile(rb"<" + p + rb"rPh\b.*?</" + p + rb"rPh>", re.S)
        self.fast_value = re.compile(rb"<v>([^<]*)</v>")
        self.fast_letters = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
        if not self.by_index:
            self.by_index = {str(i).encode(): s for i, s in enumerate(self.strings)}

    def rows(self, stream: IO[bytes]) -> Iterator[Row]:
        rest = b""
        prepared = False
        previous = 0
        while True:
            chunk = stream.read(CHUNK)
            if not prepared:
                self._prepare(chunk[:4096])
                prepared = True
            if not chunk:
                break
            buffer = rest + chunk if rest else chunk
            cut = buffer.rfind(self.row_close)
            if cut < 0:
                rest = buffer
                continue
            cut += len(self.row_close)
            rest = buffer[cut:]
            for piece in buffer[:cut].split(self.row_close)[:-1]:
                row = self._row(piece, previous)
                if row is not None:
                    previous = row[0]
                    yield row

    def _row(self, piece: bytes, previous: int) -> Row | None:
        start = piece.rfind(self.row_open)
        while start >= 0:
            match = self.row_start.match(piece, start)
            if match is not None and not match.group(2):  # not an empty <row/>
                break
            start = piece.rfind(self.row_open, 0, start)
        else:
            return None
        found = _ROW_NUMBER.search(match.group(1))
        number = int(found.group(1) or found.group(2)) if found else previous + 1
        body = piece[match.end() :]
        cells = self._fast(body) if not self.prefix else None
        if cells is not None:
            return number, cells, ()
        return self._general(number, body)

    def _fast(self, body: bytes) -> list[str] | None:
        """The row read in C, if it is in the plain shape; None otherwise. In that shape
        every cell is `<c r="B7" …><v>…</v></c>`: four tags a cell, one of them `<v>`,
        and either every cell a shared string (t="s") or none."""
        count = body.count(b"<c ")
        if (
            not count
            or body.count(b"<") != 4 * count
            or body.count(b"<v>") != count
            or b"'" in body
        ):
            return None
        values = self.fast_value.findall(body)
        shared = body.count(b' t="s"')
        if len(values) != count:
            return None
        if shared == count:
            try:
                texts = list(map(self.by_index.__getitem__, values))
            except KeyError:
                return None  # an index past the shared strings: let the general reader say so
        elif shared == 0 and b' t="' not in body:
            texts = [number_text(value.decode()) for value in values]
        else:
            return None  # text and numbers in one row: the general reader
        letters = self.fast_letters.findall(body)
        if len(letters) != count:
            return None
        if letters[0] == b"A" and letters[-1] == _letters(count):
            return texts  # from column A, no gap
        # A blank cell has no element: each value goes to its own column.
        places = list(map(self.places.__getitem__, letters))
        row = [""] * (max(places) + 1)
        deque(map(row.__setitem__, places, texts), maxlen=0)  # the loop runs in C
        return row

    def _general(self, number: int, body: bytes) -> Row:
        cells: list[str] = []
        formulas: list[int] = []
        column = 0
        for attributes, inner in self.cell.findall(body):
            kind = b""
            place = column + 1  # a cell without a reference follows the one before
            for key, quoted, single in _ATTRIBUTE.findall(attributes):
                value = quoted or single
                if key == b"r" and (letters := _COLUMN.match(value)):
                    place = column_number(letters.group())
                elif key == b"t":
                    kind = value
            column = place
            if column > len(cells):
                cells.extend([""] * (column - len(cells)))
            text, unsaved = self._cell(kind, inner)
            cells[column - 1] = text
            if unsaved:
                formulas.append(column)
        return number, cells, tuple(formulas)

    def _cell(self, kind: bytes, inner: bytes) -> tuple[str, bool]:
        """(the cell's text, a formula whose value was never saved)."""
        if kind == b"inlineStr":
            found = self.inline.search(inner)
            if found is None:
                return "", False
            runs = self.text.findall(self.phonetic.sub(b"", found.group(1)))
            return unescape(b"".join(runs).decode("utf-8", "replace")), False
        value = self.value.search(inner)
        text = unescape(value.group(1).decode("utf-8", "replace")) if value else ""
        if not text:
            return "", self.formula.search(inner) is not None
        if kind == b"s":
            index = _small_int(text)
            if not text.isdigit() or index >= len(self.strings):
                raise XlsxError("shared string")
            return self.strings[index], False
        if kind == b"b":
            return ("TRUE" if text == "1" else "FALSE"), False
        if kind in (b"", b"n"):
            return number_text(text), False
        return text, False  # str (a formula's text), e (an error such as #N/A), d (a date)


def open_workbook(path: str) -> Workbook:
    """Raises XlsxError (or zipfile.BadZipFile) for what is not a readable workbook."""
    return Workbook(zipfile.ZipFile(path))
