"""The agenda column: on-site subjects in speaking order, the meeting-wide steps,
then the written reports."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from core.i18n import t
from core.meeting.agenda import MeetingState
from core.meeting.labels import phase_label
from core.meeting.model import Meeting, Phase, Poll


def agenda_text(meeting: Meeting, state: MeetingState) -> Text:
    current = state.step
    text = Text()

    def heading(label: str) -> None:
        text.append(f"{label}\n", style="bold underline")

    def line(marker: str, label: str, style: str, detail: str = "") -> None:
        text.append(f" {marker} ", style=style)
        text.append(label, style=style)
        if detail:
            text.append(f"  {detail}", style=style + " italic" if style else "italic")
        text.append("\n")

    heading(t("agenda.onsite"))
    for number, subject in enumerate(meeting.onsite, 1):
        steps = [s for s in state.steps if s.subject == subject.name]
        positions = [s.position for s in steps]
        if current.subject == subject.name:
            line("▶", f"{number} {subject.name}", "bold reverse", phase_label(current.phase))
        elif positions and max(positions) < state.position:
            line("✓", f"{number} {subject.name}", "dim")
        else:
            line(" ", f"{number} {subject.name}", "")
    heading(t("agenda.meeting"))
    for step in state.steps:
        if step.subject is None:
            label = phase_label(step.phase)
            unopened = step.phase == Phase.SCORING and state.poll == Poll.NOT_OPEN
            if step.position == state.position:
                line("▶", label, "bold reverse")
            elif step.position < state.position and not unopened:  # no ✓ without a vote
                line("✓", label, "dim")
            else:
                line(" ", label, "")
    heading(t("agenda.written", count=len(meeting.written)))
    for subject in meeting.written:
        line(" ", subject.name, "dim" if current.phase != Phase.SCORING else "")
    text.rstrip()
    return text


class Agenda(VerticalScroll, can_focus=False):
    """Never takes the focus (the podium's keys stay the podium's); scrolls itself so
    the ▶ row is always in view."""

    DEFAULT_CSS = """
    Agenda { height: 1fr; }
    Agenda > Static { width: 100%; }
    """

    def compose(self):
        yield Static(id="agenda-lines")

    def show(self, meeting: Meeting, state: MeetingState) -> None:
        text = agenda_text(meeting, state)
        self.query_one("#agenda-lines", Static).update(text)
        current = next(
            (n for n, line in enumerate(text.plain.splitlines()) if line.startswith(" ▶")), 0
        )
        self.call_after_refresh(self._keep_in_view, current)

    def _keep_in_view(self, line: int) -> None:
        """Scroll to the top while the ▶ row fits there (the headings stay in view),
        else put the ▶ row a third of the way down."""
        height = self.scrollable_content_region.height
        target = 0 if line < height - 1 else line - height // 3
        if self.scroll_y != target:
            self.scroll_to(y=target, animate=False)
