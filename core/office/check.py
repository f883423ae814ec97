"""Does a paper still match the meeting? Its result's fingerprint (结果校验码), read back.

Every paper that carries results prints the fingerprint of what they were computed
from (core/ballots/fingerprint.py): the workbooks on their sheets and in their
properties, CSV and Markdown as a line, JSON as `fingerprint`, Word documents as a
line and in their properties. `sanshu tally --check FILE` compares it with the
meeting's current one; `sanshu feedback` asks before writing over letters that
carry another.

Files are read bounded (core/files.py) and their XML without entities or network.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.ballots.fingerprint import FINGERPRINT, found_in
from core.ballots.lifecycle import history_of
from core.ballots.results import current_fingerprint
from core.files import FileRefused, check_zip, read_bounded
from core.meeting.store import MeetingStore
from core.store import Event

if TYPE_CHECKING:
    from lxml.etree import _Element

MAX_PAPER_BYTES = 50 * 1024 * 1024  # a results workbook of 100,000 ballots is far smaller
MAX_PAPER_INFLATED = 400 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_KEYWORDS = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords"
_WORD_PARTS = ("word/document.xml", "word/header", "word/footer")
PAPER_SUFFIXES = (".docx", ".xlsx")  # what a folder of letters holds


@dataclass(frozen=True)
class Check:
    file_code: str  # the fingerprint the paper carries
    current: str  # the meeting's, now
    recorded: Event | None  # when the paper's result stood (None: never recorded here)
    since: list[str]  # what changed the result after that, one line each

    @property
    def matches(self) -> bool:
        return self.file_code == self.current


def read_fingerprint(path: Path) -> str | None:
    """The fingerprint a paper carries; None when it carries none. Refuses (one line)
    a file that cannot be read at all."""
    data = read_bounded(path, MAX_PAPER_BYTES)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".docx"):
        check_zip(data, path.name, MAX_PAPER_INFLATED)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            shown = _workbook_text(data) if suffix == ".xlsx" else _document_text(archive)
            return found_in(shown) or found_in(_keywords(archive))
    text = _decoded(data)
    if suffix == ".json":
        code = _json_code(text)
        if code is not None:
            return code
    return found_in(text)


def check_paper(store: MeetingStore, code: str) -> Check:
    """Compare a paper's fingerprint with the meeting's and place it in the history."""
    recorded, since = history_of(store, code)
    return Check(code, current_fingerprint(store), recorded, since)


def papers_with_other_results(folder: Path, current: str) -> list[tuple[Path, str]]:
    """The papers in `folder` (not below it) that carry another result's fingerprint;
    files that carry none, or cannot be read, are not counted."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in PAPER_SUFFIXES or not path.is_file():
            continue
        try:
            code = read_fingerprint(path)
        except (FileRefused, zipfile.BadZipFile, ValueError, OSError):
            continue
        if code is not None and code != current:
            found.append((path, code))
    return found


def _decoded(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a CSV re-saved by Excel in China)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _json_code(text: str) -> str | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested beyond reason
        return None
    code = value.get("fingerprint") if isinstance(value, dict) else None
    if isinstance(code, str) and FINGERPRINT.fullmatch(code.strip().upper()):
        return code.strip().upper()
    return None


def _parse(data: bytes) -> _Element:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def _document_text(archive: zipfile.ZipFile) -> str:
    """The text of a Word document's body, headers and footers, a paragraph a line (a
    label and its value may sit in different runs of one paragraph)."""
    lines = []
    for name in archive.namelist():
        if name.startswith(_WORD_PARTS) and name.endswith(".xml"):
            root = _parse(archive.read(name))
            for paragraph in root.iter(f"{_W}p"):
                lines.append("".join(node.text or "" for node in paragraph.iter(f"{_W}t")))
    return "\n".join(lines)


def _workbook_text(data: bytes) -> str:
    """Every row of every sheet, its cells side by side (a label in one cell, the code
    in the next)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return "\n".join(
            " ".join(str(value) for value in row if value is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    finally:
        book.close()


def _keywords(archive: zipfile.ZipFile) -> str:
    """The file's 标记 (core properties' keywords), where Sanshu also writes the code."""
    try:
        root = _parse(archive.read("docProps/core.xml"))
    except KeyError:
        return ""
    found = root.find(_KEYWORDS)
    return found.text or "" if found is not None else ""
