"""Report checks (报告审核): length, required sections and each section's share.

Before the meeting the office checks every subject's report against the
meeting file's [reports] rules. A report is a .docx or .txt file whose name
contains the subject's name. Lengths count Chinese characters (汉字), as an
office counts 字数; punctuation, digits and Latin letters are not counted.

Sections are found by their headings: a paragraph in a Word heading style, or a
line numbered like an official document ("一、", "第一部分", "# " in text files).
A section runs to the next heading of the same level; its share is its
characters over the whole report's.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from core.errors import StoreError
from core.files import check_zip, read_bounded
from core.i18n import t, tn
from core.meeting.model import Meeting, ReportRules, ReportSection

SUFFIXES = (".docx", ".txt")
UNSUPPORTED = (".doc", ".wps", ".pdf", ".rtf", ".odt")  # listed, so nobody thinks it was read
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_INFLATED_BYTES = 100 * 1024 * 1024  # a report's text and pictures, inflated
MAX_HEADING = 40  # characters: a longer line is a paragraph, even when numbered

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LEVEL1 = re.compile(r"^\s*(#\s+|[一二三四五六七八九十]+\s*[、．.]|第[一二三四五六七八九十]+部分)")
_LEVEL2 = re.compile(r"^\s*(##+\s+|[（(][一二三四五六七八九十]+[）)])")


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


@dataclass(frozen=True)
class Paragraph:
    text: str
    level: int = 0  # 0 body, 1 a top-level heading, 2 a second-level heading


@dataclass(frozen=True)
class SectionResult:
    rule: ReportSection
    heading: str | None  # the heading that matched, None when missing
    chars: int
    share: Fraction | None

    @property
    def found(self) -> bool:
        return self.heading is not None

    @property
    def problem(self) -> str | None:
        rule = self.rule
        if not self.found:
            return t("reports.missing_section", name=rule.name)
        if self.share is None:
            return None
        if rule.min_share is not None and self.share < rule.min_share:
            return t(
                "reports.share_low",
                name=rule.name,
                share=percent(self.share),
                bound=percent(rule.min_share),
            )
        if rule.max_share is not None and self.share > rule.max_share:
            return t(
                "reports.share_high",
                name=rule.name,
                share=percent(self.share),
                bound=percent(rule.max_share),
            )
        return None


@dataclass(frozen=True)
class ReportCheck:
    subject: str
    file: str
    chars: int
    sections: tuple[SectionResult, ...]
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class CheckRun:
    checks: tuple[ReportCheck, ...]  # in the subjects' order
    missing: tuple[str, ...]  # subjects without a report
    unmatched: tuple[str, ...]  # files that name no subject
    duplicates: tuple[tuple[str, str], ...]  # (subject, extra file) left unchecked
    unsupported: tuple[str, ...] = ()  # .doc, .pdf, … files: save them as .docx


def percent(share: Fraction) -> str:
    """A share as a whole percent, rounded half up (27.5% → 28%)."""
    value = share * 100
    return f"{int(value + Fraction(1, 2))}%"


def heading_level(text: str, style: str = "") -> int:
    style = style.lower()
    if style.startswith(("heading 1", "标题 1")):
        return 1
    if style.startswith(("heading 2", "标题 2")):
        return 2
    if len(text.strip()) > MAX_HEADING:
        return 0
    if _LEVEL2.match(text):
        return 2
    if _LEVEL1.match(text):
        return 1
    return 0


def read_paragraphs(path: Path) -> list[Paragraph]:
    """The report's paragraphs with heading levels; FileRefused (a StoreError), OSError
    or ValueError when unreadable. Read bounded: a regular file, at most MAX_FILE_BYTES,
    a .docx's zip members checked before anything inflates."""
    raw = read_bounded(path, MAX_FILE_BYTES)
    if path.suffix.lower() == ".txt":
        for encoding in ("utf-8-sig", "gb18030"):  # Windows Notepad in China saves GBK
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError(t("reports.bad_encoding"))
        return [
            Paragraph(line.strip(), heading_level(line))
            for line in text.splitlines()
            if line.strip()
        ]
    import docx  # python-docx, only when a .docx is read
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(raw, path.name, MAX_INFLATED_BYTES)
    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from None
    out = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if text:
            style = paragraph.style.name if paragraph.style is not None else ""
            out.append(Paragraph(text, heading_level(text, style)))
    return out


def check_paragraphs(
    subject: str, file: str, paragraphs: list[Paragraph], rules: ReportRules
) -> ReportCheck:
    total = sum(han_count(p.text) for p in paragraphs)
    problems: list[str] = []
    if rules.min_chars is not None and total < rules.min_chars:
        problems.append(tn("reports.too_short", total, chars=total, bound=rules.min_chars))
    if rules.max_chars is not None and total > rules.max_chars:
        problems.append(tn("reports.too_long", total, chars=total, bound=rules.max_chars))
    sections = tuple(_section(rule, paragraphs, total) for rule in rules.sections)
    problems += [s.problem for s in sections if s.problem]
    return ReportCheck(subject, file, total, sections, tuple(problems))


def _section(rule: ReportSection, paragraphs: list[Paragraph], total: int) -> SectionResult:
    """The first heading whose text names the section, down to the next heading of its
    level or above."""
    for start, paragraph in enumerate(paragraphs):
        if paragraph.level and any(h in paragraph.text for h in rule.headings):
            chars = han_count(paragraph.text)
            for following in paragraphs[start + 1 :]:
                if following.level and following.level <= paragraph.level:
                    break
                chars += han_count(following.text)
            share = Fraction(chars, total) if total else None
            return SectionResult(rule, paragraph.text, chars, share)
    return SectionResult(rule, None, 0, None)


def match_files(folder: Path, names: list[str]) -> tuple[dict[str, list[Path]], list[Path]]:
    """Files by the subject named in the file name (the longest name wins, so 党办 never
    takes 机关党办's report); and the files that name no subject."""
    by_subject: dict[str, list[Path]] = {}
    unmatched: list[Path] = []
    longest_first = sorted(names, key=len, reverse=True)
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES + UNSUPPORTED or path.name.startswith(("~$", ".")):
            continue
        subject = next((n for n in longest_first if n in path.stem), None)
        if subject is None:
            unmatched.append(path)
        else:
            by_subject.setdefault(subject, []).append(path)
    return by_subject, unmatched


def check_folder(meeting: Meeting, folder: Path) -> CheckRun:
    subjects = [s.name for s in (*meeting.onsite, *meeting.written)]
    by_subject, unmatched = match_files(folder, subjects)
    unsupported = [
        p.name
        for files in [*by_subject.values(), unmatched]
        for p in files
        if p.suffix.lower() in UNSUPPORTED
    ]
    by_subject = {
        subject: kept
        for subject, files in by_subject.items()
        if (kept := [p for p in files if p.suffix.lower() in SUFFIXES])
    }
    unmatched = [p for p in unmatched if p.suffix.lower() in SUFFIXES]
    checks: list[ReportCheck] = []
    duplicates: list[tuple[str, str]] = []
    for subject in subjects:
        files = by_subject.get(subject)
        if not files:
            continue
        path = files[0]
        duplicates += [(subject, extra.name) for extra in files[1:]]
        try:
            paragraphs = read_paragraphs(path)
        except (OSError, ValueError, StoreError) as exc:
            checks.append(
                ReportCheck(subject, path.name, 0, (), (t("reports.unreadable", detail=exc),))
            )
            continue
        checks.append(check_paragraphs(subject, path.name, paragraphs, meeting.reports))
    missing = tuple(s for s in subjects if s not in by_subject)
    return CheckRun(
        tuple(checks),
        missing,
        tuple(p.name for p in unmatched),
        tuple(duplicates),
        tuple(sorted(unsupported)),
    )


def check_rows(meeting: Meeting, run: CheckRun) -> tuple[list[str], list[list[object]]]:
    """The check as a table: one row per subject (missing ones too), for screen and Excel."""
    rules = meeting.reports.sections
    head = [
        t("reports.col.subject"),
        t("reports.col.file"),
        t("reports.col.chars"),
        *[rule.name for rule in rules],
        t("reports.col.result"),
        t("reports.col.fix"),
    ]
    by_subject = {c.subject: c for c in run.checks}
    rows: list[list[object]] = []
    for subject in (s.name for s in (*meeting.onsite, *meeting.written)):
        check = by_subject.get(subject)
        if check is None:
            rows.append([subject, "", "", *["" for _ in rules], t("reports.missing"), ""])
            continue
        shares: list[object] = [s.share if s.share is not None else "—" for s in check.sections]
        if not check.sections and rules:
            shares = ["—" for _ in rules]
        rows.append(
            [
                subject,
                check.file,
                check.chars,
                *shares,
                t("reports.passed") if check.passed else t("reports.failed"),
                "；".join(check.problems),
            ]
        )
    return head, rows


def write_check_book(meeting: Meeting, run: CheckRun, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    from core.office.xlsx import page_setup

    head, rows = check_rows(meeting, run)
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = "报告审核"
    sheet.append([f"{meeting.title} 述职报告审核"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(head)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    bad = PatternFill("solid", fgColor="F8CBAD")
    for row in rows:
        sheet.append([float(v) if isinstance(v, Fraction) else v for v in row])
        for column, value in enumerate(row, 1):
            if isinstance(value, Fraction):  # a section's share: a number shown as 28%
                sheet.cell(row=sheet.max_row, column=column).number_format = "0%"
        result = sheet.cell(row=sheet.max_row, column=len(head) - 1)
        if result.value != t("reports.passed"):
            result.fill = bad
        sheet.cell(row=sheet.max_row, column=len(head)).alignment = Alignment(wrap_text=True)
    widths = [14, 26, 8, *[9 for _ in meeting.reports.sections], 9, 60]
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "B3"
    page_setup(sheet)
    sheet.print_title_rows = "2:2"
    if run.unmatched:
        sheet.append([])
        sheet.append([t("reports.unmatched_head", names="、".join(run.unmatched))])
    sheet.print_area = f"A1:{get_column_letter(len(head))}{sheet.max_row}"
    book.save(str(path))


def bounds_text(low: object | None, high: object | None) -> str:
    if low is not None and high is not None:
        return f"{low}–{high}"
    if low is not None:
        return f"≥ {low}"
    if high is not None:
        return f"≤ {high}"
    return "—"


def check_items(check: ReportCheck, rules: ReportRules) -> list[tuple[str, str, str, bool]]:
    """(item, found, required, ok) per line of one subject's check: 字数, then each section."""
    length_ok = not (
        (rules.min_chars is not None and check.chars < rules.min_chars)
        or (rules.max_chars is not None and check.chars > rules.max_chars)
    )
    items = [
        (
            t("reports.col.chars"),
            str(check.chars),
            bounds_text(rules.min_chars, rules.max_chars),
            length_ok,
        )
    ]
    for section in check.sections:
        rule = section.rule
        found = percent(section.share) if section.share is not None else t("reports.not_found")
        required = bounds_text(
            None if rule.min_share is None else percent(rule.min_share),
            None if rule.max_share is None else percent(rule.max_share),
        )
        items.append((rule.name, found, required, section.problem is None))
    return items
