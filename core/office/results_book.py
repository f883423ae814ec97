"""The results workbook: five sheets — 汇总 (one row per subject, printable on A4
landscape), 明细 (the category means behind every score, with the formulas that
recompute it), 票数 (ballots and why some are invalid, turnout per category),
意见建议 (voters' comments) and 得分图 (the chart)."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.ballots.items import OVERALL, form_columns
from core.ballots.tally import SubjectResult
from core.i18n import t
from core.meeting.model import Combination, Layout, Meeting
from core.office.data import (
    CellValue,
    DetailRow,
    OfficeResults,
    ballots_caption,
    invalid_reason_text,
    made_by_line,
    turnout_line,
)
from core.office.document import chinese_date
from core.office.export import number_cell, share_of, summary_header, summary_row
from core.office.xlsx import (
    FONT,
    WARN_FONT,
    fit_row_heights,
    mark_fingerprint,
    page_setup,
    text_width,
    write_lines,
    write_table,
)


def to_xlsx(results: OfficeResults, path: Path) -> None:
    book = Workbook()
    first = book.active
    assert isinstance(first, Worksheet)  # a new workbook's one sheet
    _summary_sheet(first, results)
    _detail_sheet(book.create_sheet(t("sheet.detail")), results)
    _ballots_sheet(book.create_sheet(t("sheet.ballots")), results)
    _comments_sheet(book.create_sheet(t("sheet.comments")), results)
    chart = book.create_sheet(t("sheet.score_chart"))
    _chart_sheet(chart, results)
    for sheet in book.worksheets:
        fit_row_heights(sheet)
        last_column = max(sheet.max_column, 12 if sheet is chart else 1)  # the chart beside
        last_row = max(sheet.max_row, 36 if sheet is chart else 1)
        sheet.print_area = f"A1:{get_column_letter(last_column)}{last_row}"
    mark_fingerprint(book, results.fingerprint)
    book.save(str(path))


def _summary_sheet(sheet: Worksheet, results: OfficeResults) -> None:
    tally = results.tally
    meeting = tally.meeting
    sheet.title = t("sheet.summary")
    header = summary_header(tally)
    page_setup(sheet)
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
    top = write_lines(sheet, 1, len(header), lines) + 1
    rows = [summary_row(tally, s) for s in tally.subjects]
    reason_column = header.index(t("col.override")) + 1
    flags_column = header.index(t("col.flags")) + 1
    write_table(sheet, top, header, rows, max_width=22, wrap_columns={reason_column, flags_column})
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
    sheet.freeze_panes = sheet.cell(row=top + 1, column=3).coordinate
    write_lines(sheet, top + len(rows) + 2, len(header), [(made_by_line(results), Font(name=FONT))])


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
    # The final score from the meeting score's formula and the other components.
    components = [name for name in meeting.rules.combination if name != "meeting"]
    component_names = {"daily": t("col.daily_score")}
    header += [component_names.get(name, name) for name in components]
    header += [t("col.final_formula"), t("col.final_score")]
    page_setup(sheet)
    notes = [
        (f"{results.title}　" + t("sheet.detail"), Font(name=FONT, size=16, bold=True)),
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
    top = write_lines(sheet, 1, len(header), notes) + 1
    by_subject: dict[str, dict[str, list[DetailRow]]] = {}
    for detail_row in results.details:
        by_subject.setdefault(detail_row.subject, {}).setdefault(detail_row.criterion, []).append(
            detail_row
        )
    rows: list[list[CellValue | _Exact]] = []
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
                        number_cell(tally_score, digits),
                        None,
                        number_cell(subject.meeting_score, digits) if r == subject_first else None,
                        *(
                            [
                                number_cell(subject.components.get(name), digits)
                                if r == subject_first
                                else None
                                for name in components
                            ]
                        ),
                        None,
                        number_cell(subject.final_score, digits) if r == subject_first else None,
                    ]
                )
                r += 1
        cells = ",".join(f"H{row}" for row in criterion_rows)
        meeting_formula = f"=H{overall_row}" if overall_row else f'=IFERROR(AVERAGE({cells}),"")'
        formulas.append((subject_first, 10, meeting_formula))
        formulas.append(
            (subject_first, 12 + len(components), _final_formula(meeting, subject, subject_first))
        )
    write_table(sheet, top, header, [[_plain(v) for v in row] for row in rows], max_width=24)
    for index, row in enumerate(rows, top + 1):
        for column, value in ((6, row[5]), (7, row[6])):
            if isinstance(value, _Exact):  # else None: nobody scored
                sheet.cell(row=index, column=column).number_format = value.number_format
    for at, column, formula in formulas:
        cell = sheet.cell(row=at, column=column, value=formula)
        cell.number_format = "0." + "0" * digits if digits else "0"
    for column in (8, 10, 12 + len(components)):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.freeze_panes = sheet.cell(row=top + 1, column=4).coordinate


def _axis_top(meeting: Meeting, scores: list[float]) -> int:
    """The score axis's end: the best score the rules allow (the top grade's points, the
    numeric maximum, 100 with a daily score), or above it if a score is."""
    if meeting.rules.layout == Layout.NUMERIC:
        best = float(meeting.rules.numeric_range[1])
    else:
        best = float(max((g.points for g in meeting.grades), default=Fraction(100)))
    if any(name != "meeting" for name in meeting.rules.combination):
        best = max(best, 100.0)
    return math.ceil(max([best, *scores]))


def _final_formula(meeting: Meeting, subject: SubjectResult, row: int) -> str:
    """综合得分 as the tally makes it: Σ weight × component, the meeting score from its
    formula (column J); the meeting score alone when a component is missing or the
    committee decides."""
    rules = meeting.rules
    components = [name for name in rules.combination if name != "meeting"]
    missing = any(subject.components.get(name) is None for name in components)
    if rules.combination_method == Combination.COMMITTEE or missing or not components:
        return f'=IF(J{row}="","",J{row})'
    terms = [f"J{row}*{_decimal(rules.combination['meeting'])}"]
    terms += [
        f"{get_column_letter(12 + index)}{row}*{_decimal(rules.combination[name])}"
        for index, name in enumerate(components)
    ]
    return f'=IF(J{row}="","",' + "+".join(terms) + ")"


def _decimal(weight: Fraction) -> str:
    """A weight as a formula writes it: 0.4, or 1/3 kept exact."""
    as_float = float(weight)
    return (
        repr(as_float)
        if Fraction(repr(as_float)) == weight
        else f"({weight.numerator}/{weight.denominator})"
    )


def combination_text(meeting: Meeting) -> str:
    """How the final score is made, e.g. 综合得分 = 测评得分 × 40% + 日常考核 × 60%."""
    rules = meeting.rules
    if rules.combination_method == Combination.COMMITTEE:
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


def _plain(value: CellValue | _Exact) -> CellValue:
    return float(value.value) if isinstance(value, _Exact) else value


def _ballots_sheet(sheet: Worksheet, results: OfficeResults) -> None:
    tally = results.tally
    b = tally.ballots
    page_setup(sheet, landscape=False)
    top = write_lines(
        sheet,
        1,
        5,
        [(f"{results.title}　" + t("sheet.ballots"), Font(name=FONT, size=16, bold=True))],
    )
    rows: list[list[CellValue]] = [
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
    write_table(sheet, top, [t("col.item"), t("col.count_plain")], rows, max_width=44)
    next_row = top + len(rows) + 1
    if b.invalid_reasons:
        next_row = write_lines(
            sheet, next_row, 5, [(t("ballots.reasons_note"), Font(name=FONT, size=10))]
        )
    if tally.voided:
        next_row = write_lines(sheet, next_row, 5, [("⚠ " + t("tally.voided"), WARN_FONT)])
    next_row += 1
    weights = {c.name: c.weight for c in tally.meeting.categories}
    category_rows = [
        [name, expected, returned, share_of(returned, expected), _Weight(weights[name])]
        for name, (returned, expected) in results.turnout.items()
    ]
    header = [
        t("col.category"),
        t("col.expected"),
        t("col.returned"),
        t("col.present_pct"),
        t("col.weight"),
    ]
    write_table(sheet, next_row, header, [[_plain(v) for v in row] for row in category_rows])
    for index in range(len(category_rows)):
        sheet.cell(row=next_row + 1 + index, column=5).number_format = _Weight.number_format
    sheet.print_title_rows = None
    end = next_row + len(category_rows) + 1
    for line in results.warnings:
        end = write_lines(sheet, end, 5, [(f"⚠ {line}", WARN_FONT)])
    write_lines(sheet, end + 1, 5, [(made_by_line(results), Font(name=FONT))])


def _comments_sheet(sheet: Worksheet, results: OfficeResults) -> None:
    page_setup(sheet, landscape=False)
    top = write_lines(
        sheet,
        1,
        3,
        [(f"{results.title}　" + t("sheet.comments"), Font(name=FONT, size=16, bold=True))],
    )
    top = write_lines(sheet, top, 3, [(t("comments.note"), Font(name=FONT, size=10))]) + 1
    rows: list[list[CellValue]] = []
    for subject, texts in results.comments.items():
        if not texts:
            rows.append([subject, None, t("comments.none")])
        rows += [[subject, number, text] for number, text in enumerate(texts, 1)]
    write_table(sheet, top, [t("col.subject"), t("col.order"), t("col.comment")], rows)
    sheet.column_dimensions["C"].width = 70
    for r in range(top + 1, top + 1 + len(rows)):
        sheet.cell(row=r, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1).coordinate


def _chart_sheet(sheet: Worksheet, results: OfficeResults) -> None:
    """Final scores as horizontal bars: rank 1 at the top, every subject labelled, the axis
    from 0 to 100 (a bar's length is its score: small differences are not made large),
    each bar labelled with its score so close ones can still be told apart."""
    tally = results.tally
    page_setup(sheet, landscape=False)
    sheet.cell(row=1, column=1, value=results.title).font = Font(name=FONT, size=14, bold=True)
    scored = [(s.name, s.final_score) for s in tally.subjects if s.final_score is not None]
    # Chart data on this sheet, in rank order (the chart itself reverses the axis).
    sheet.cell(row=3, column=1, value=t("col.subject")).font = Font(name=FONT, bold=True)
    sheet.cell(row=3, column=2, value=t("col.final_score")).font = Font(name=FONT, bold=True)
    digits = tally.meeting.rules.digits
    for index, (name, score) in enumerate(scored, 4):
        sheet.cell(row=index, column=1, value=name).font = Font(name=FONT)
        value = number_cell(score, digits)
        cell = sheet.cell(row=index, column=2, value=float(value))
        cell.number_format = "0." + "0" * digits if digits else "0"
    sheet.column_dimensions["A"].width = max([text_width(name) for name, _ in scored] + [10]) + 2
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
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = _axis_top(tally.meeting, [float(score) for _, score in scored])
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
