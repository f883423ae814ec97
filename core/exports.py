"""The tally as the office hands it up: CSV (UTF-8 with BOM), JSON and an Excel workbook.

The workbook has five sheets: 汇总 (one row per subject, printable on A4
landscape), 明细 (the category means behind every score, with the formulas
that recompute it), 票数 (ballots and why some are invalid, turnout per
category), 意见建议 (voters' comments) and 得分图 (the chart).
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
import weakref
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.ballots import OVERALL, choice_labels, form_columns
from core.i18n import t
from core.officedata import (
    OfficeResults,
    ballots_caption,
    invalid_reason_text,
    made_by_line,
    turnout_line,
)
from core.officedoc import chinese_date
from core.results import tally_json
from core.tally import SubjectResult, Tally, report


def _num(value: Fraction | None, digits: int) -> Decimal | None:
    return report(value, digits)


def _share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def summary_header(tally: Tally) -> list[str]:
    header = [t("col.rank"), t("col.subject"), t("col.mode")]
    for label in choice_labels(tally.meeting):
        header += [t("col.count", grade=label), t("col.share", grade=label)]
    return [
        *header,
        t("col.meeting_score"),
        t("col.daily_score"),
        t("col.final_score"),
        t("col.computed_grade"),
        t("col.final_grade"),
        t("col.override"),
        t("col.flags"),
    ]


def summary_row(tally: Tally, subject: SubjectResult) -> list[object]:
    """Counts are integers; shares (count ÷ all answers, 不了解 included, so they add up to
    100%) are Fractions: a vote share, never a score."""
    digits = tally.meeting.rules.digits
    answers = sum(subject.counts.values())
    row: list[object] = [subject.rank, subject.name, t(f"mode.{subject.mode}")]
    for label in choice_labels(tally.meeting):
        count = subject.counts.get(label, 0)
        row += [count, _share(count, answers)]
    daily: object = _num(subject.daily_score, digits)
    if daily is None and "daily" in tally.meeting.rules.combination:
        daily = t("missing")  # the final score is then the vote score alone: say so
    return [
        *row,
        _num(subject.meeting_score, digits),
        daily,
        _num(subject.final_score, digits),
        subject.computed_grade,
        subject.final_grade,
        subject.override_reason,
        "；".join(subject.flags),
    ]


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Fraction):  # vote shares
        return f"{float(value):.1%}"
    return str(value)


def to_csv(results: OfficeResults) -> str:
    """The title, the table, then the ballots line and any warnings under it."""
    tally = results.tally
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([results.title])
    writer.writerow(summary_header(tally))
    for subject in tally.subjects:
        writer.writerow([_csv_cell(v) for v in summary_row(tally, subject)])
    writer.writerow([])
    for line in [*ballots_caption(tally), turnout_line(results)]:
        writer.writerow([line])
    for line in results.warnings:
        writer.writerow([f"⚠ {line}"])
    writer.writerow([made_by_line(results)])
    return "\ufeff" + buffer.getvalue()  # the BOM makes Excel read UTF-8


def to_json_text(results: OfficeResults) -> str:
    data = tally_json(results.tally)
    data["title"] = results.title
    data["provisional"] = results.provisional
    data["warnings"] = list(results.warnings)
    data["ballots"]["imported"] = results.tally.ballots.imported
    data["ballots"]["invalid_reasons"] = {
        invalid_reason_text(kind): count
        for kind, count in results.tally.ballots.invalid_reasons.items()
    }
    data["turnout"] = {
        name: {"returned": r, "expected": e} for name, (r, e) in results.turnout.items()
    }
    data["comments"] = results.comments
    return json.dumps(data, ensure_ascii=False, indent=2)


# --- the workbook ----------------------------------------------------------------------

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E7ECF3")
FONT = "宋体"
WARN_FONT = Font(name=FONT, size=11, bold=True, color="C00000")
PERCENT = "0.0%"


def text_width(value: object) -> int:
    """Columns a text needs in Excel: a Chinese character is two."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _page_setup(sheet: Worksheet, landscape: bool = True) -> None:
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it needs
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.footer = 0.25
    sheet.oddFooter.center.text = "第 &P 页"


def _lines(sheet: Worksheet, top: int, width: int, lines: list[tuple[str, Font]]) -> int:
    """Full-width merged lines (title, meeting, notes); returns the next free row."""
    for offset, (text, font) in enumerate(lines):
        row = top + offset
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(
            horizontal="center" if font.size and font.size >= 14 else "left",
            vertical="center",
            wrap_text=True,
        )
        if font.size and font.size >= 14:
            sheet.row_dimensions[row].height = 30 if width > 8 else 44  # narrow: two lines
    return top + len(lines)


def _cell_value(value: object) -> tuple[object, str | None]:
    """What to store in a cell and its number format."""
    if isinstance(value, Fraction):  # a vote share
        return float(value), PERCENT
    if isinstance(value, Decimal):  # a reported score: keep its digits on screen
        digits = -value.as_tuple().exponent
        return float(value), "0." + "0" * digits if digits > 0 else "0"
    if isinstance(value, int) and not isinstance(value, bool):
        return value, "0"
    return value, None


def _table(
    sheet: Worksheet,
    top: int,
    header: list[str],
    rows: list[list[object]],
    *,
    max_width: int = 40,
    wrap_columns: frozenset[int] = frozenset(),
) -> None:
    """A bordered table with its header at row `top`, repeated on every printed page."""
    for column, text in enumerate(header, 1):
        cell = sheet.cell(row=top, column=column, value=text)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, top + 1):
        for column, raw in enumerate(row, 1):
            value, number_format = _cell_value(raw)
            cell = sheet.cell(row=r, column=column, value=value)
            cell.font = Font(name=FONT)
            cell.border = BOX
            cell.alignment = Alignment(vertical="center", wrap_text=column in wrap_columns)
            if number_format:
                cell.number_format = number_format
    sheet.print_title_rows = f"{top}:{top}"
    for column, text in enumerate(header, 1):
        shown = [_shown_width(row[column - 1]) for row in rows]
        # The header wraps onto two lines: half its width is enough, rounded up.
        longest = max([-(-text_width(text) // 2) + 1, *shown])
        letter = get_column_letter(column)
        # Several tables may share a column: it fits the widest.
        fitted = _fitted_widths.setdefault(sheet, {})
        fitted[letter] = max(fitted.get(letter, 0), min(longest + 2, max_width))
        sheet.column_dimensions[letter].width = fitted[letter]


# Widths this module gave each sheet's columns (openpyxl reports 13 for a column never set).
_fitted_widths: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _shown_width(value: object) -> int:
    if isinstance(value, Fraction):
        return 6  # 100.0%
    if isinstance(value, Decimal):
        return len(str(value))
    if isinstance(value, float):  # a mean or weight, shown with at most 4 decimals
        return len(f"{value:.4f}")
    return text_width(value)


def to_xlsx(results: OfficeResults, path: Path) -> None:
    book = Workbook()
    _summary_sheet(book.active, results)
    _detail_sheet(book.create_sheet(t("sheet.detail")), results)
    _ballots_sheet(book.create_sheet(t("sheet.ballots")), results)
    _comments_sheet(book.create_sheet(t("sheet.comments")), results)
    _chart_sheet(book.create_sheet(t("sheet.score_chart")), results)
    for sheet in book.worksheets:
        _fit_row_heights(sheet)
    book.save(str(path))


def _fit_row_heights(sheet: Worksheet) -> None:
    """Rows tall enough for their wrapped text: neither Excel nor LibreOffice grows a row
    for a merged cell, and a fixed-height row would let text spill over the next one."""
    merged = {(r.min_row, r.min_col): r for r in sheet.merged_cells.ranges}

    def width_of(column: int) -> float:
        letter = get_column_letter(column)
        if letter in sheet.column_dimensions and sheet.column_dimensions[letter].width:
            return sheet.column_dimensions[letter].width
        return 8.43  # Excel's default column

    for row in sheet.iter_rows():
        needed = 0.0
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            span = merged.get((cell.row, cell.column))
            columns = range(span.min_col, span.max_col + 1) if span else [cell.column]
            room = sum(width_of(c) for c in columns) - 1
            size = float(cell.font.size or 11)
            lines = max(1, math.ceil(text_width(cell.value) * size / 11 / room))
            needed = max(needed, lines * size * 1.45)
        if needed:
            number = row[0].row
            current = sheet.row_dimensions[number].height or 0
            sheet.row_dimensions[number].height = max(current, needed)


def _summary_sheet(sheet: Worksheet, results: OfficeResults) -> None:
    tally = results.tally
    meeting = tally.meeting
    sheet.title = t("sheet.summary")
    header = summary_header(tally)
    _page_setup(sheet)
    lines = [
        (results.title, Font(name=FONT, size=16, bold=True)),
        (
            t(
                "tally.meeting_line",
                title=meeting.title,
                date=chinese_date(meeting.date),
                venue=meeting.venue or "—",
            ),
            Font(name=FONT, size=11),
        ),
        (turnout_line(results), Font(name=FONT, size=11)),
        *[(line, Font(name=FONT, size=11)) for line in ballots_caption(tally)],
        *[(f"⚠ {line}", WARN_FONT) for line in results.warnings],
    ]
    top = _lines(sheet, 1, len(header), lines) + 1
    rows = [summary_row(tally, s) for s in tally.subjects]
    reason_column = header.index(t("col.override")) + 1
    flags_column = header.index(t("col.flags")) + 1
    _table(sheet, top, header, rows, max_width=22, wrap_columns={reason_column, flags_column})
    sheet.row_dimensions[top].height = 30
    centred = {
        1,
        3,
        header.index(t("col.computed_grade")) + 1,
        header.index(t("col.final_grade")) + 1,
    }
    for r in range(top + 1, top + 1 + len(rows)):
        for column in centred:
            sheet.cell(row=r, column=column).alignment = Alignment(
                horizontal="center", vertical="center"
            )
    sheet.freeze_panes = sheet.cell(row=top + 1, column=3)
    _lines(sheet, top + len(rows) + 2, len(header), [(made_by_line(results), Font(name=FONT))])


def _detail_sheet(sheet: Worksheet, results: OfficeResults) -> None:
    """One row per subject × criterion × category. The first row of each criterion carries
    its score as a formula over the rows (Σ weight × mean ÷ Σ weight of the categories
    that scored), the first row of each subject the meeting score (mean of its criteria);
    beside each formula the tally's own figure, to compare."""
    tally = results.tally
    meeting = tally.meeting
    digits = meeting.rules.digits
    header = [
        t("col.subject"),
        t("col.criterion"),
        t("col.category"),
        t("col.valid_ballots"),
        t("col.scored"),
        t("col.mean"),
        t("col.weight"),
        t("col.criterion_formula"),
        t("col.criterion_tally"),
        t("col.meeting_formula"),
        t("col.meeting_score"),
    ]
    _page_setup(sheet)
    notes = [
        (f"{results.title}　{t('sheet.detail')}", Font(name=FONT, size=16, bold=True)),
        (t("detail.how"), Font(name=FONT, size=11)),
    ]
    if meeting.rules.trim.enabled:
        notes.append(
            (t("detail.trimmed", more_than=meeting.rules.trim.more_than), Font(name=FONT, size=11))
        )
    if not meeting.rules.average_within_category:
        notes.append((t("detail.pooled"), WARN_FONT))
    if OVERALL in form_columns(meeting):
        notes.append((t("detail.overall", overall=OVERALL), Font(name=FONT, size=11)))
    combination = combination_text(meeting)
    if combination:
        notes.append((combination, Font(name=FONT, size=11)))
    top = _lines(sheet, 1, len(header), notes) + 1
    by_subject: dict[str, dict[str, list]] = {}
    for row in results.details:
        by_subject.setdefault(row.subject, {}).setdefault(row.criterion, []).append(row)
    rows: list[list[object]] = []
    formulas: list[tuple[int, int, str]] = []  # (row, column, formula)
    r = top + 1
    pooled = not meeting.rules.average_within_category
    for subject in tally.subjects:
        subject_first = r
        criterion_rows = []
        overall_row = None
        for criterion, detail in by_subject.get(subject.name, {}).items():
            first, last = r, r + len(detail) - 1
            criterion_rows.append(first)
            # Within categories: weights; pooled: every scored answer counts once.
            weights = f"G{first}:G{last}" if pooled is False else f"E{first}:E{last}"
            means = f"F{first}:F{last}"
            formulas.append(
                (
                    first,
                    8,
                    f'=IFERROR(SUMPRODUCT({weights},{means})/SUMIFS({weights},{means},"<>"),"")',
                )
            )
            if criterion == OVERALL:
                overall_row = first
            for index, d in enumerate(detail):
                tally_score = subject.criteria[criterion].score if index == 0 else None
                rows.append(
                    [
                        subject.name,
                        criterion,
                        d.category,
                        d.ballots,
                        d.scored,
                        None if d.mean is None else _Exact(d.mean),
                        _Weight(d.weight),
                        None,
                        _num(tally_score, digits),
                        None,
                        _num(subject.meeting_score, digits) if r == subject_first else None,
                    ]
                )
                r += 1
        cells = ",".join(f"H{row}" for row in criterion_rows)
        meeting_formula = f"=H{overall_row}" if overall_row else f'=IFERROR(AVERAGE({cells}),"")'
        formulas.append((subject_first, 10, meeting_formula))
    _table(sheet, top, header, [[_plain(v) for v in row] for row in rows], max_width=24)
    for index, row in enumerate(rows, top + 1):
        for column, value in ((6, row[5]), (7, row[6])):
            if value is not None:
                sheet.cell(row=index, column=column).number_format = value.number_format
    for row, column, formula in formulas:
        cell = sheet.cell(row=row, column=column, value=formula)
        cell.number_format = "0." + "0" * digits if digits else "0"
    for column in (8, 10):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.freeze_panes = sheet.cell(row=top + 1, column=4)


def combination_text(meeting) -> str:
    """How the final score is made, e.g. 综合得分 = 测评得分 × 40% + 日常考核 × 60%."""
    rules = meeting.rules
    if rules.combination_method == "committee":
        return t("detail.committee")
    names = {"meeting": t("col.meeting_score"), "daily": t("col.daily_score")}
    parts = [
        f"{names.get(name, name)} × {float(weight):.0%}"
        for name, weight in rules.combination.items()
    ]
    if len(parts) < 2:
        return ""
    return t("detail.combination", final=t("col.final_score"), parts=" + ".join(parts))


class _Exact:
    """A mean kept to full precision in the cell, shown with 4 decimals."""

    number_format = "0.0000"

    def __init__(self, value: Fraction):
        self.value = value


class _Weight(_Exact):
    number_format = "0.####"


def _plain(value: object) -> object:
    return float(value.value) if isinstance(value, _Exact) else value


def _ballots_sheet(sheet: Worksheet, results: OfficeResults) -> None:
    tally = results.tally
    b = tally.ballots
    _page_setup(sheet, landscape=False)
    top = _lines(
        sheet,
        1,
        5,
        [(f"{results.title}　{t('sheet.ballots')}", Font(name=FONT, size=16, bold=True))],
    )
    rows: list[list[object]] = [
        [t("ballots.issued"), b.issued],
        [t("ballots.returned"), b.returned],
        [t("ballots.of_which_paper"), b.paper],
        [t("ballots.of_which_imported"), b.imported],
        [t("ballots.valid"), b.valid],
        [t("ballots.invalid"), b.invalid],
    ]
    rows += [
        [t("ballots.invalid_reason", reason=invalid_reason_text(kind)), count]
        for kind, count in b.invalid_reasons.items()
    ]
    top += 1
    _table(sheet, top, [t("col.item"), t("col.count_plain")], rows, max_width=44)
    next_row = top + len(rows) + 1
    if b.invalid_reasons:
        next_row = _lines(
            sheet, next_row, 5, [(t("ballots.reasons_note"), Font(name=FONT, size=10))]
        )
    if tally.voided:
        next_row = _lines(sheet, next_row, 5, [(f"⚠ {t('tally.voided')}", WARN_FONT)])
    next_row += 1
    weights = {c.name: c.weight for c in tally.meeting.categories}
    category_rows = [
        [name, expected, returned, _share(returned, expected), _Weight(weights[name])]
        for name, (returned, expected) in results.turnout.items()
    ]
    header = [
        t("col.category"),
        t("col.expected"),
        t("col.returned"),
        t("col.present_pct"),
        t("col.weight"),
    ]
    _table(sheet, next_row, header, [[_plain(v) for v in row] for row in category_rows])
    for index in range(len(category_rows)):
        sheet.cell(row=next_row + 1 + index, column=5).number_format = _Weight.number_format
    sheet.print_title_rows = None
    end = next_row + len(category_rows) + 1
    for line in results.warnings:
        end = _lines(sheet, end, 5, [(f"⚠ {line}", WARN_FONT)])
    _lines(sheet, end + 1, 5, [(made_by_line(results), Font(name=FONT))])


def _comments_sheet(sheet: Worksheet, results: OfficeResults) -> None:
    _page_setup(sheet, landscape=False)
    top = _lines(
        sheet,
        1,
        3,
        [(f"{results.title}　{t('sheet.comments')}", Font(name=FONT, size=16, bold=True))],
    )
    top = _lines(sheet, top, 3, [(t("comments.note"), Font(name=FONT, size=10))]) + 1
    rows: list[list[object]] = []
    for subject, texts in results.comments.items():
        if not texts:
            rows.append([subject, None, t("comments.none")])
        rows += [[subject, number, text] for number, text in enumerate(texts, 1)]
    _table(sheet, top, [t("col.subject"), t("col.order"), t("col.comment")], rows)
    sheet.column_dimensions["C"].width = 70
    for r in range(top + 1, top + 1 + len(rows)):
        sheet.cell(row=r, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)


def _chart_sheet(sheet: Worksheet, results: OfficeResults) -> None:
    """Final scores as horizontal bars: rank 1 at the top, every subject labelled, the axis
    from the ten below the lowest score to 100 so differences show."""
    tally = results.tally
    _page_setup(sheet, landscape=False)
    sheet.cell(row=1, column=1, value=results.title).font = Font(name=FONT, size=14, bold=True)
    scored = [s for s in tally.subjects if s.final_score is not None]
    # Chart data on this sheet, in rank order (the chart itself reverses the axis).
    sheet.cell(row=3, column=1, value=t("col.subject")).font = Font(name=FONT, bold=True)
    sheet.cell(row=3, column=2, value=t("col.final_score")).font = Font(name=FONT, bold=True)
    digits = tally.meeting.rules.digits
    for index, subject in enumerate(scored, 4):
        sheet.cell(row=index, column=1, value=subject.name).font = Font(name=FONT)
        value = _num(subject.final_score, digits)
        cell = sheet.cell(row=index, column=2, value=float(value))
        cell.number_format = "0." + "0" * digits if digits else "0"
    sheet.column_dimensions["A"].width = max([text_width(s.name) for s in scored] + [10]) + 2
    if not scored:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = t("chart.title")
    chart.legend = None
    chart.add_data(
        Reference(sheet, min_col=2, min_row=3, max_row=3 + len(scored)), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=4, max_row=3 + len(scored)))
    lowest = min(float(_num(s.final_score, digits)) for s in scored)
    chart.y_axis.scaling.min = (int(lowest) // 10) * 10  # the data's range: differences show
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 10
    chart.y_axis.title = t("col.final_score")
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # rank 1 (first row) at the top
    chart.x_axis.tickLblSkip = 1  # every subject labelled
    chart.y_axis.crosses = "max"  # keeps the score axis under the bars once reversed
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showSerName = False
    chart.dataLabels.showCatName = False
    chart.dataLabels.showLegendKey = False
    chart.gapWidth = 40
    chart.height = max(9, len(scored) * 0.75)
    chart.width = 16
    sheet.add_chart(chart, "D3")
