"""Rich renderings of a meeting definition for the command line."""

from __future__ import annotations

from fractions import Fraction

from rich.console import Group
from rich.table import Table

from core.i18n import t
from core.meeting.labels import mode_label
from core.meeting.model import Meeting, Mode


def fraction_text(value: Fraction, digits: int = 2) -> str:
    text = f"{float(value):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def meeting_summary(meeting: Meeting) -> Group:
    subjects = Table(
        title=t("summary.title", title=meeting.title),
        caption=t(
            "summary.caption",
            date=meeting.date.isoformat(),
            venue=meeting.venue,
            voters=meeting.expected_voters,
        ),
        expand=False,
    )
    subjects.add_column(t("col.order"), justify="right")
    subjects.add_column(t("col.subject"), style="bold")
    subjects.add_column(t("col.unit"))
    subjects.add_column(t("col.mode"))
    subjects.add_column(t("col.daily"), justify="right")
    for index, subject in enumerate((*meeting.onsite, *meeting.written), 1):
        mode_style = "green" if subject.mode == Mode.ONSITE else "dim"
        subjects.add_row(
            str(index),
            subject.name,
            subject.unit,
            f"[{mode_style}]{mode_label(subject.mode)}[/]",
            fraction_text(subject.daily) if subject.daily is not None else "—",
        )
    categories = Table(expand=False)
    categories.add_column(t("col.category"))
    categories.add_column(t("col.weight"), justify="right")
    categories.add_column(t("col.expected"), justify="right")
    for category in meeting.categories:
        categories.add_row(category.name, fraction_text(category.weight, 4), str(category.expected))
    return Group(subjects, categories)
