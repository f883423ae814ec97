"""A table collected elsewhere, whatever its format: the first sheet (or the one named
测评票) of an .xlsx workbook, or a CSV file (UTF-8, with or without BOM, or GB18030,
what Excel saves on Chinese Windows). The type is told by the content, not the name.

Rows are streamed, never held all at once: a CSV of any length and a workbook within
the zip bounds are read with flat memory. Only a regular file is opened (a FIFO or a
device is refused at once). Every problem found later names the sheet, the sheet's
own row number and the column letter, so the office fixes the file in one pass; the
text of a place is built only for a cell that has a problem.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.ballots.xlsx import Row, XlsxError, open_workbook
from core.errors import ImportProblems
from core.files import check_zip, checked_file
from core.i18n import t, tn

BALLOT_SHEET = "测评票"
# The inflated parts of a workbook, at most: a sheet of 100,000 ballots is about 220 MB
# of XML. A CSV has no such bound: it streams.
MAX_XLSX_INFLATED = 1024 * 1024 * 1024
MAX_LINE_CHARS = 1024 * 1024  # one physical line of a CSV file (csv's field limit is 128 K)
MAX_NUMBER_TEXT = 24  # longer than any score anyone types: refused before it is converted
MAX_LISTED = 200  # problems listed one by one; beyond, the count says how many more


@dataclass
class Table:
    file: str  # the file's name
    name: str  # the sheet's name (the file's name for CSV)
    rows: Iterator[Row]  # (the sheet's own row number, cells, unsaved formula columns)
    digest: str  # sha256 of the file's bytes

    def where(self, row: int, column: int | None = None) -> str:
        if column is None:
            return t("import.at_row", sheet=self.name, row=row)
        return t("import.at_cell", sheet=self.name, row=row, column=column_letter(column))


def column_letter(column: int) -> str:
    """1 → A, 27 → AA (the letters Excel shows)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@contextlib.contextmanager
def read_table(path: Path) -> Iterator[Table]:
    """The first sheet (or the one named 测评票) of a workbook, or a CSV file; its rows
    come as they are read. Refused at once: what is not a regular file, an old .xls,
    binary content, a zip that would inflate past the bound."""
    checked_file(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise ImportProblems([t("import.bad_file", file=path.name, detail=exc.strerror)]) from None
    if head.startswith(b"PK\x03\x04"):
        with _xlsx_table(path) as table:
            yield table
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportProblems([t("import.old_xls", file=path.name)])
    elif b"\x00" in head:
        raise ImportProblems([t("import.not_a_table", file=path.name)])
    else:
        yield _csv_table(path)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def _xlsx_table(path: Path) -> Iterator[Table]:
    try:
        zipfile.ZipFile(path).close()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise ImportProblems([t("import.not_xlsx", file=path.name)]) from None
    check_zip(path, path.name, MAX_XLSX_INFLATED)  # a zip bomb: refused before inflating
    try:
        book = open_workbook(str(path))
    except (XlsxError, zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise ImportProblems([t("import.not_xlsx", file=path.name)]) from None
    with book.archive:
        name = BALLOT_SHEET if BALLOT_SHEET in book.sheets else book.active
        rows = _damaged_is_a_problem(book.rows(name), path.name)
        yield Table(path.name, name, rows, _file_digest(path))


def _damaged_is_a_problem(rows: Iterator[Row], file: str) -> Iterator[Row]:
    """A workbook damaged inside (it is read lazily): the same plain message."""
    try:
        yield from rows
    except (XlsxError, zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise ImportProblems([t("import.not_xlsx", file=file)]) from None


def _csv_table(path: Path) -> Table:
    """The encoding is settled by a pass over the bytes (which also gives the digest)
    before any row is read: UTF-8 (with or without BOM), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        digest = _decodes(path, encoding)
        if digest is not None:
            return Table(path.name, path.name, _csv_rows(path, encoding), digest)
    raise ImportProblems([t("import.bad_encoding", file=path.name)])


def _decodes(path: Path, encoding: str) -> str | None:
    """The file's sha256 if the whole file decodes in `encoding`, else None."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return digest.hexdigest()


def _csv_rows(path: Path, encoding: str) -> Iterator[Row]:
    with path.open("r", encoding=encoding, newline="") as handle:

        def lines() -> Iterator[str]:
            while line := handle.readline(MAX_LINE_CHARS):
                if len(line) == MAX_LINE_CHARS and not line.endswith("\n"):
                    raise ImportProblems(
                        [t("import.line_too_long", file=path.name, limit=MAX_LINE_CHARS)]
                    )
                yield line

        reader = csv.reader(lines())
        try:
            # Excel shows one row per record: the record's position is the row number.
            for number, record in enumerate(reader, 1):
                yield number, record, ()
        except csv.Error as exc:
            raise ImportProblems([t("import.bad_file", file=path.name, detail=exc)]) from None


def header_columns(
    table: Table, head: list[str], formulas: tuple[int, ...], row: int
) -> tuple[dict[str, list[int]], list[str]]:
    """Header text → its columns (1-based); problems with formulas in the header."""
    columns: dict[str, list[int]] = {}
    problems = [f"{table.where(row, column)}：" + t("import.formula") for column in formulas]
    for column, text in enumerate(head, 1):
        if text.strip() and column not in formulas:
            columns.setdefault(header_text(text), []).append(column)
    return columns, problems


def header_text(text: str) -> str:
    """A header as typed by hand: a full-width slash or spaces around it still match."""
    return "/".join(part.strip() for part in text.replace("／", "/").split("/"))


def duplicate_columns(table: Table, columns: dict[str, list[int]], row: int) -> list[str]:
    return [
        f"{table.where(row)}："
        + t("import.duplicate_column", got=text, columns="、".join(map(column_letter, where)))
        for text, where in columns.items()
        if len(where) > 1
    ]


def cell(cells: list[str], column: int) -> str:
    """The text of a 1-based column, trimmed; "" past the row's end."""
    return cells[column - 1].strip() if column <= len(cells) else ""


# Plain decimals only: Fraction("1e10000000") would take seconds to build.
_PLAIN_NUMBER = re.compile(r"[+-]?\d{1,9}(?:\.\d{1,6})?")


def is_number(value: str) -> bool:
    return len(value) <= MAX_NUMBER_TEXT and _PLAIN_NUMBER.fullmatch(value.strip()) is not None


class Problems:
    """The problems of one file: every one counted, the first `MAX_LISTED` kept to list."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0

    def add(self, line: str) -> None:
        self.count += 1
        if len(self.lines) < MAX_LISTED:
            self.lines.append(line)

    def extend(self, lines: list[str]) -> None:
        for line in lines:
            self.add(line)

    def __bool__(self) -> bool:
        return self.count > 0


def refuse(table: Table, kind: str, problems: Problems) -> None:
    if problems:
        if kind == "daily":
            head = tn("import.not_clean.daily", problems.count, file=table.file)
        else:
            head = tn("import.not_clean.ballots", problems.count, file=table.file)
        more = problems.count - len(problems.lines)
        tail = [tn("import.more_problems", more)] if more else []
        raise ImportProblems([head, *problems.lines, *tail])
