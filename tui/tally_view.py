"""The tally on a terminal: a rich table, grades in colour, distribution bars."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from core.i18n import t
from core.meeting.labels import mode_label

if TYPE_CHECKING:
    from core.ballots.tally import SubjectResult, Tally

# core.ballots.tally and the office helpers load when a table is first drawn, not when a
# console starts (the podium's first frame, #14 §2).

# Colours follow meaning, whatever the scale: the best grade green … the worst red,
# the ones between in order; 不了解 (not scored) a neutral grey, never red (#19 §4).
SCALE_COLOURS = {
    1: ["green"],
    2: ["green", "red"],
    3: ["green", "yellow", "red"],
    4: ["green", "cyan", "yellow", "red"],
    5: ["green", "cyan", "yellow", "dark_orange", "red"],
}
ABSTAIN_COLOUR = "grey50"


def grade_colours(meeting) -> dict[str, str]:
    """Each choice's colour: grades best first (as the meeting file lists them)."""
    labels = [g.label for g in meeting.grades]
    count = len(labels)
    palette = SCALE_COLOURS.get(count)
    if palette is None:  # a longer scale: spread the five colours over it
        five = SCALE_COLOURS[5]
        palette = [five[round(4 * i / (count - 1))] for i in range(count)]
    colours = dict(zip(labels, palette, strict=True))
    if meeting.abstain:
        colours[meeting.abstain] = ABSTAIN_COLOUR
    return colours


def grade_style(tally: Tally, grade: str | None) -> str:
    colour = grade_colours(tally.meeting).get(grade or "")
    return f"bold {colour}" if colour and grade != tally.meeting.abstain else ""


def distribution_bar(tally: Tally, subject: SubjectResult, width: int = 20) -> Text:
    """Shares of each choice as one bar, each in its grade's colour (abstentions grey)."""
    total = sum(subject.counts.values())
    bar = Text()
    if not total:
        return bar
    colours = grade_colours(tally.meeting)
    used = running = 0
    for label, count in subject.counts.items():
        running += count
        cells = round(width * running / total) - used  # cumulative, so the bar is exactly `width`
        used += cells
        bar.append("█" * cells, style=colours.get(label, ABSTAIN_COLOUR))
    return bar


def number(value, digits: int) -> str:
    from core.ballots.points import report

    reported = report(value, digits)
    return "—" if reported is None else str(reported)


def tally_table(
    tally: Tally,
    width: int = 200,
    *,
    bars: bool = True,
    title: str | None = None,
    notes: tuple[str, ...] = (),
) -> Table:
    """Fits the terminal: shares, the bar and the mode drop out as it narrows.

    `bars=False` for a file (colour bars mean nothing in plain text); `title` replaces
    the default (e.g. marked provisional); `notes` are warnings shown under the table.
    """
    from core.office.data import ballots_caption

    show_share = width >= 150
    show_bar = bars and width >= 110
    show_mode = width >= 100
    meeting = tally.meeting
    digits = meeting.rules.digits
    show_override = any(s.override_reason for s in tally.subjects)
    table = Table(
        box=box.HEAVY_HEAD if width >= 120 else box.SIMPLE_HEAD,
        padding=(0, 1) if width >= 120 else (0, 0),
        title=title or t("tally.title", title=meeting.title),
        caption="\n".join([*ballots_caption(tally), *(f"⚠ {note}" for note in notes)]),
    )
    table.add_column(t("col.rank"), justify="right", no_wrap=True)
    table.add_column(t("col.subject"), style="bold", no_wrap=True)
    if show_mode:
        table.add_column(t("col.mode"), no_wrap=True)
    labels = [g.label for g in meeting.grades] + ([meeting.abstain] if meeting.abstain else [])
    for label in labels:  # 不了解 too: the shares add up to 100%
        table.add_column(label, justify="right", no_wrap=True)
    if show_bar:
        table.add_column("", no_wrap=True)
    table.add_column(t("col.meeting_score"), justify="right", no_wrap=True)
    table.add_column(t("col.daily_score"), justify="right", no_wrap=True)
    table.add_column(t("col.final_score"), justify="right", style="bold", no_wrap=True)
    table.add_column(t("col.final_grade"), no_wrap=True)
    if show_override:
        table.add_column(t("col.override"))
    for subject in tally.subjects:
        answers = sum(subject.counts.values()) or 1
        cells = [
            f"{subject.counts.get(label, 0)}"
            + (f" ({subject.counts.get(label, 0) / answers:.0%})" if show_share else "")
            for label in labels
        ]
        grade = Text(subject.final_grade or "—", style=grade_style(tally, subject.final_grade))
        if subject.flags:
            grade.append(" ⚠", style="bold red")
        daily = number(subject.daily_score, digits)
        if subject.daily_score is None and "daily" in meeting.rules.combination:
            daily = t("missing")
        override = ""
        if subject.override_reason:
            override = f"{subject.computed_grade}→{subject.final_grade}：{subject.override_reason}"
        table.add_row(
            str(subject.rank or "—"),
            subject.name,
            *([mode_label(subject.mode)] if show_mode else []),
            *cells,
            *([distribution_bar(tally, subject, 12)] if show_bar else []),
            number(subject.meeting_score, digits),
            daily,
            number(subject.final_score, digits),
            grade,
            *([override] if show_override else []),
        )
    return table
