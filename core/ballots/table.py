"""A table collected elsewhere, whatever its format: the first sheet (or the one named
测评票) of an .xlsx workbook, or a CSV file (UTF-8, with or without BOM, or GB18030,
what Excel saves on Chinese Windows). The type is told by the content, not the name.

Every problem found later names the sheet, the sheet's own row number and the
column letter, so the office fixes the file in one pass.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from core.errors import ImportProblems
from core.i18n import t, tn
from core.text import cell_text

BALLOT_SHEET = "测评票"
MAX_FILE_BYTES = 20 * 1024 * 1024  # a ballot sheet of thousands of rows is far below this
MAX_NUMBER_TEXT = 24  # longer than any score anyone types: refused before it is converted


@dataclass(frozen=True)
class Cell:
    text: str
    formula: bool = False  # a formula whose value was never saved (the file looks blank)


@dataclass(frozen=True)
class Table:
    file: str  # the file's name
    name: str  # the sheet's name (the file's name for CSV)
    rows: list[tuple[int, list[Cell]]]  # (the sheet's own row number, cells); blank rows left out
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


def read_table(path: Path) -> Table:
    """The first sheet (or the one named 测评票) of a workbook, or a CSV file."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportProblems([t("import.too_big", file=path.name)])
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportProblems([t("import.not_found", file=path)]) from None
    except OSError as exc:
        raise ImportProblems([t("import.bad_file", file=path.name, detail=exc.strerror)]) from None
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"PK\x03\x04"):
        name, rows = _xlsx_rows(path, data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportProblems([t("import.old_xls", file=path.name)])
    elif b"\x00" in data[:4096]:
        raise ImportProblems([t("import.not_a_table", file=path.name)])
    else:
        name, rows = path.name, _csv_rows(path, data)
    kept = [(number, cells) for number, cells in rows if any(c.text or c.formula for c in cells)]
    return Table(path.name, name, kept, digest)


def _xlsx_rows(path: Path, data: bytes) -> tuple[str, list[tuple[int, list[Cell]]]]:
    from itertools import zip_longest

    from openpyxl import load_workbook

    try:
        # Read twice: values as Excel saved them, and the formulas, to tell a truly blank
        # cell from a formula whose value was never computed and saved. Read-only
        # workbooks stream the sheet row by row (a sheet of thousands of ballots would
        # otherwise be held twice in memory, cell objects and all).
        values = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    except Exception:  # a renamed or damaged file: openpyxl raises many kinds
        raise ImportProblems([t("import.not_xlsx", file=path.name)]) from None
    try:
        active = values.active  # None: a workbook of no sheet, which fails below like any other
        name = BALLOT_SHEET if BALLOT_SHEET in values.sheetnames or not active else active.title
        sheet, formula_sheet = values[name], formulas[name]
        # The size a file states for a sheet may be wrong: read every row it holds.
        sheet.reset_dimensions()
        formula_sheet.reset_dimensions()
        rows = []
        pairs = zip_longest(
            sheet.iter_rows(min_row=1, values_only=True),
            formula_sheet.iter_rows(min_row=1, values_only=True),
            fillvalue=(),
        )
        for number, (row, raw_row) in enumerate(pairs, 1):  # rows come in order, gaps filled
            cells = []
            for value, raw in zip_longest(row, raw_row):
                is_formula = isinstance(raw, str) and raw.startswith("=")
                cells.append(Cell(cell_text(value), formula=is_formula and value is None))
            if cells:
                rows.append((number, cells))
    except Exception:  # damaged inside (openpyxl reads lazily): the same plain message
        raise ImportProblems([t("import.not_xlsx", file=path.name)]) from None
    finally:
        values.close()
        formulas.close()
    return name, rows


def _csv_rows(path: Path, data: bytes) -> list[tuple[int, list[Cell]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportProblems([t("import.bad_encoding", file=path.name)])
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportProblems([t("import.bad_file", file=path.name, detail=exc)]) from None
    # Excel shows one row per record: the record's position is the row number people see.
    return [(number, [Cell(v.strip()) for v in record]) for number, record in enumerate(records, 1)]


def cell_at(cells: list[Cell], column: int) -> Cell:
    return cells[column - 1] if column <= len(cells) else Cell("")


def header_columns(
    table: Table, head: list[Cell], row: int
) -> tuple[dict[str, list[int]], list[str]]:
    """Header text → its columns (1-based); problems with formulas in the header."""
    columns: dict[str, list[int]] = {}
    problems = []
    for column, cell in enumerate(head, 1):
        if cell.formula:
            problems.append(f"{table.where(row, column)}：" + t("import.formula"))
        elif cell.text:
            columns.setdefault(header_text(cell.text), []).append(column)
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


# Plain decimals only: Fraction("1e10000000") would take seconds to build.
_PLAIN_NUMBER = re.compile(r"[+-]?\d{1,9}(?:\.\d{1,6})?")


def is_number(value: str) -> bool:
    return len(value) <= MAX_NUMBER_TEXT and _PLAIN_NUMBER.fullmatch(value.strip()) is not None


def refuse(table: Table, kind: str, problems: list[str]) -> None:
    if problems:
        if kind == "daily":
            head = tn("import.not_clean.daily", len(problems), file=table.file)
        else:
            head = tn("import.not_clean.ballots", len(problems), file=table.file)
        raise ImportProblems([head, *problems])
