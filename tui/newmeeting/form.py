"""`sanshu new` / `sanshu edit`: a meeting file made in a full-screen form, step by
step, without a text editor.

The form edits the file's own text (`core.meeting.file.document`): every value typed
goes into it at once, and the meeting-file reader — what `sanshu check` runs — says
what is wrong, in its own words, under the field. Ctrl+S writes the file only when
`check` accepts it; an existing file keeps its comments and order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Checkbox, ContentSwitcher, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from core.i18n import t, tn
from core.meeting.file import Problem
from core.meeting.file.document import MeetingDocument, path_text, shown
from core.meeting.file.values import _decimal_text, _to_fraction
from tui.base import THEME
from tui.keys import NEW_MEETING, bindings
from tui.newmeeting.steps import PRESETS, STEPS, Field, Rows, Step, step_of, typed
from tui.widgets.confirm import Confirm
from tui.widgets.footer import OrderedFooter
from tui.widgets.help import HelpPanel, key_rows
from tui.widgets.reason import AskReason

CHECK_DELAY_S = 0.15  # typing pauses this long before the file is checked again


class FieldBox(Horizontal):
    """One value: its label, its box (or choice, or tick), its problem under it."""

    def __init__(self, field: Field, doc: MeetingDocument, path: tuple[Any, ...]) -> None:
        super().__init__(classes="field")
        self.field, self.doc, self.path = field, doc, path
        self.where = path_text(path)

    def compose(self) -> ComposeResult:
        value = self.doc.value(self.path)
        if value is None:
            value = self.field.default
        yield Static(self.field.label(), classes="label")
        with Vertical(classes="value"):
            yield value_widget(self.field, value)
            yield Static("", classes="problem")

    def problems_changed(self, problems: list[Problem]) -> set[str]:
        mine = [p.message for p in problems if p.path == self.where]
        show_problems(self, mine)
        return {self.where}


def value_widget(field: Field, value: Any, classes: str = "") -> Widget:
    """The box for one value, as it is now in the file."""
    if field.kind == "bool":
        return Checkbox("", bool(value), compact=True, classes=classes)
    if field.kind == "choice":
        options = [(label(), code) for label, code in field.choices]
        known = {code for _, code in options}
        return Select(
            options,
            value=value if value in known else Select.NULL,
            allow_blank=value not in known,
            compact=True,
            classes=classes,
        )
    if field.kind == "mode":
        value = {"onsite": t("new.mode.onsite"), "written": t("new.mode.written")}.get(value, value)
    return Input(shown(value), compact=True, classes=classes)


def show_problems(part: Widget, messages: list[str]) -> None:
    box = part.query_one(".problem", Static)
    box.update("\n".join(messages))
    box.display = bool(messages)
    for widget in part.query("Input, Select, Checkbox"):
        widget.set_class(bool(messages), "bad")


class RowsBox(Vertical):
    """An array of tables as rows: a box per value, ✕ removes a row, ＋ adds one."""

    def __init__(self, rows: Rows, doc: MeetingDocument) -> None:
        super().__init__(classes="rows")
        self.rows, self.doc = rows, doc
        self.where = path_text(rows.path)

    def compose(self) -> ComposeResult:
        yield Static(self.rows.title(), classes="rows-title")
        with Horizontal(classes="row head"):
            for column in self.rows.columns:
                head = Static(column.label(), classes="cell")
                _size(head, column)
                yield head
            yield Static("", classes="remove-head")
        for index in range(self.doc.count(self.rows.path)):
            with Horizontal(classes="row data"):
                for column in self.rows.columns:
                    path = (*self.rows.path, index, *column.path)
                    box = value_widget(column, self.doc.value(path), "cell")
                    _size(box, column)
                    box.data_path = path  # type: ignore[attr-defined]
                    box.field = column  # type: ignore[attr-defined]
                    yield box
                remove = Button("✕", compact=True, classes="remove")
                remove.row_index = index  # type: ignore[attr-defined]
                yield remove
            yield Static("", classes="problem")
        yield Button(t("new.add_row"), compact=True, classes="add")

    def problems_changed(self, problems: list[Problem]) -> set[str]:
        seen: set[str] = set()
        rows, notes = self.query(".data"), self.query(".problem")
        for index, (row, note) in enumerate(zip(rows, notes, strict=False)):
            where = path_text((*self.rows.path, index))
            mine = [p for p in problems if p.path == where or p.path.startswith(f"{where}.")]
            lines = [f"{_column_label(self.rows, p.path, where)}{p.message}" for p in mine]
            note.update("\n".join(lines))
            note.display = bool(lines)
            for cell in row.query(".cell"):
                cell_path = path_text(cell.data_path)  # type: ignore[attr-defined]
                cell.set_class(any(p.path.startswith(cell_path) for p in mine), "bad")
            seen |= {p.path for p in mine}
        return seen

    @on(Button.Pressed, ".remove")
    async def remove_row(self, event: Button.Pressed) -> None:
        event.stop()
        self.doc.remove_row(self.rows.path, event.button.row_index)  # type: ignore[attr-defined]
        await self.recompose()
        self.app.post_message(Changed())

    @on(Button.Pressed, ".add")
    async def add_row(self, event: Button.Pressed) -> None:
        event.stop()
        count = self.doc.count(self.rows.path)
        values = self.rows.new_row(count)
        if "" in values:  # an array of strings (criteria)
            self.doc.set(self.rows.path, [*(self.doc.value(self.rows.path) or []), values[""]])
        else:
            self.doc.add_row(self.rows.path, values)
        await self.recompose()
        rows = list(self.query(".data"))
        if rows:
            rows[-1].query(".cell").first().focus()
        self.app.post_message(Changed())


def _column_label(rows: Rows, problem: str, row: str) -> str:
    rest = problem.removeprefix(row).lstrip(".")
    for column in rows.columns:
        if column.path and rest.startswith(str(column.path[0])):
            return f"{column.label()}："
    return ""


def _size(widget: Widget, column: Field) -> None:
    if column.width:
        widget.styles.width = column.width
    else:
        widget.styles.width = "1fr"


class StepProblems(Static):
    """The problems of a step that no field shows (a weight sum, the bands' order)."""

    def __init__(self, step: Step) -> None:
        super().__init__("", classes="step-problems")
        self.step = step


class WeightSum(Static):
    """The categories' weights summed live: red until they make 1."""

    good = True

    def refresh_sum(self, doc: MeetingDocument) -> None:
        weights = [
            _to_fraction(doc.value(("categories", i, "weight")))
            for i in range(doc.count(("categories",)))
        ]
        if any(w is None for w in weights):
            total = "—"
            good = False
        else:
            whole = sum((w for w in weights if w is not None), Fraction(0))
            total, good = _decimal_text(whole), whole == 1
        voters = sum(
            v
            for i in range(doc.count(("categories",)))
            if isinstance(v := doc.value(("categories", i, "expected")), int)
        )
        self.update(t("new.weight_sum", total=total, voters=voters))
        self.set_class(not good, "bad")
        self.good = good


class Changed(Message):
    """The document changed: check it again."""


class MeetingForm(App[None]):
    """The form. `path` None: a new file, named when it is first saved."""

    CSS_PATH = "form.tcss"
    TITLE = "三述"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = bindings(NEW_MEETING)
    KEYS = NEW_MEETING

    def __init__(self, doc: MeetingDocument, path: Path | None, *, new: bool) -> None:
        super().__init__()
        self.register_theme(THEME)
        self.theme = THEME.name
        self.doc, self.path, self.new = doc, path, new
        self.saved_text = doc.text()
        self.saved_to: Path | None = None  # where this session saved the file
        self.problems: list[Problem] = []
        self.checked_text = ""  # the text the problems shown are of
        self._check_timer: Timer | None = None

    # -- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar")
        with Horizontal(id="body"):
            yield OptionList(*self._step_options(), id="steps")
            with ContentSwitcher(initial="page-meeting", id="pages"):
                for step in STEPS:
                    # A page's fields are made when it is first shown: the form opens
                    # at once, whatever the number of subjects.
                    yield VerticalScroll(id=f"page-{step.id}", classes="page")
        yield Static("", id="status")
        yield OrderedFooter(self.KEYS)

    def _parts(self, step: Step) -> Iterable[Widget]:
        for part in step.parts:
            if isinstance(part, Field):
                yield FieldBox(part, self.doc, part.path)
            elif isinstance(part, Rows):
                yield RowsBox(part, self.doc)
            elif part == "weight_sum":
                yield WeightSum("", id="weight-sum")
            elif part == "preset":
                yield Horizontal(
                    Static(t("new.preset"), classes="label"),
                    Select(
                        [(label(), key) for key, (label, *_rest) in PRESETS.items()]
                        + [(t("new.preset.custom"), "custom")],
                        value=self._preset(),
                        allow_blank=False,
                        compact=True,
                        id="preset",
                    ),
                    classes="field",
                )
            elif part == "roster":
                yield Horizontal(
                    Button(t("new.roster"), compact=True, id="roster"),
                    Static(t("new.roster.hint"), classes="hint"),
                    classes="field",
                )

    def _step_options(self) -> list[Option]:
        counts: dict[str, int] = {}
        for problem in self.problems:
            step = step_of(problem.path)
            counts[step] = counts.get(step, 0) + 1
        options = []
        for number, step in enumerate(STEPS, 1):
            mark = f"✗{counts[step.id]}" if step.id in counts else "✓"
            options.append(Option(f"{number} {step.title()} {mark}", id=step.id))
        return options

    async def on_mount(self) -> None:
        await self.build_page(STEPS[0])
        self.query_one("#steps", OptionList).highlighted = 0
        self.check_now()
        self.query_one("#page-meeting").query(Input).first().focus()

    async def build_page(self, step: Step) -> VerticalScroll:
        page = self.query_one(f"#page-{step.id}", VerticalScroll)
        if not page.children:
            parts = [Static(step.title(), classes="page-title"), *self._parts(step)]
            await page.mount_all([*parts, StepProblems(step)])
            if self.checked_text:
                self.check_now()
        return page

    # -- typing -----------------------------------------------------------------

    @on(Input.Changed)
    def typed_in_box(self, event: Input.Changed) -> None:
        self._store(event.input, event.value)

    @on(Checkbox.Changed)
    def ticked(self, event: Checkbox.Changed) -> None:
        self._store(event.checkbox, event.value)

    @on(Select.Changed)
    def chose(self, event: Select.Changed) -> None:
        if event.select.id == "preset":
            if event.value in PRESETS and event.value != self._preset():
                self.apply_preset(str(event.value))
            return
        if event.value is not Select.NULL:
            self._store(event.select, event.value)

    def _store(self, widget: Widget, value: Any) -> None:
        field, path = self._field_of(widget)
        if field is None:
            return
        if self.doc.value(path) is None and value == field.default:
            return  # the box shows what the file means by leaving it out
        if field.kind in ("bool", "choice") or (field.path == () and isinstance(path[-1], int)):
            stored = value  # a tick, a choice, a criterion's text
        else:
            stored = typed(field.kind, str(value))
            if stored is None and not field.optional:
                stored = ""  # kept in its place; the reader says it must be filled in
        if self.doc.set(path, stored):
            self.post_message(Changed())

    def _field_of(self, widget: Widget) -> tuple[Field | None, tuple[Any, ...]]:
        if hasattr(widget, "data_path"):
            return widget.field, widget.data_path  # type: ignore[attr-defined]
        for ancestor in widget.ancestors:
            if isinstance(ancestor, FieldBox):
                return ancestor.field, ancestor.path
        return None, ()

    def on_changed(self, _message: Changed) -> None:
        if self._check_timer is not None:
            self._check_timer.stop()
        self._check_timer = self.set_timer(CHECK_DELAY_S, self.check_now)
        self._show_weights()
        self._show_title()

    def check_now(self) -> None:
        """Check the whole file as `sanshu check` would and show every problem."""
        self._check_timer = None
        if not self.is_running:
            return
        self.problems = self.doc.check().problems
        shown_paths: set[str] = set()
        for part in self.query("FieldBox, RowsBox"):
            shown_paths |= part.problems_changed(self.problems)  # type: ignore[attr-defined]
        for box in self.query(StepProblems):
            rest = [
                p.render(self.doc.source).split(": ", 1)[-1]
                for p in self.problems
                if step_of(p.path) == box.step.id and p.path not in shown_paths
            ]
            box.update("\n".join(rest))
            box.display = bool(rest)
        self._show_weights()
        self.checked_text = self.doc.text()
        steps = self.query_one("#steps", OptionList)
        highlighted = steps.highlighted
        steps.clear_options()
        steps.add_options(self._step_options())
        steps.highlighted = highlighted
        self._show_status()
        self._show_title()

    def _show_weights(self) -> None:
        """The weights' sum, live; every weight box red while they do not make 1."""
        for total in self.query(WeightSum):
            total.refresh_sum(self.doc)
            for cell in self.query("#page-categories .cell"):
                path = getattr(cell, "data_path", ())
                if path and path[-1] == "weight":
                    wrong = any(p.path == path_text(path) for p in self.problems)
                    cell.set_class(wrong or not total.good, "bad")

    def _show_status(self) -> None:
        status = self.query_one("#status", Static)
        if not self.problems:
            status.update(t("new.status.ok"))
        else:
            first = self.problems[0]
            line = f"{first.path}：{first.message}" if first.path else first.message
            status.update(tn("new.status.problems", len(self.problems), first=line))
        status.set_class(bool(self.problems), "bad")

    def _show_title(self) -> None:
        name = self.path.name if self.path else t("new.unnamed")
        title = t("new.title.new", file=name) if self.new else t("new.title.edit", file=name)
        unsaved = t("new.unsaved") if self.dirty else ""
        self.query_one("#title-bar", Static).update(title + unsaved)

    @property
    def dirty(self) -> bool:
        return self.doc.text() != self.saved_text

    # -- steps --------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#steps")
    async def show_step(self, event: OptionList.OptionHighlighted) -> None:
        step = next((s for s in STEPS if s.id == event.option.id), None)
        if step is not None:
            await self.build_page(step)
            self.query_one("#pages", ContentSwitcher).current = f"page-{step.id}"

    async def action_step(self, delta: int) -> None:
        steps = self.query_one("#steps", OptionList)
        steps.highlighted = ((steps.highlighted or 0) + delta) % len(STEPS)
        before = self.focused
        page = await self.build_page(STEPS[steps.highlighted])
        focusable = page.query("Input, Select, Checkbox, Button")
        if focusable and self.focused is before:  # not if the user moved on meanwhile
            focusable.first().focus()

    def go_to_step(self, step_id: str) -> None:
        ids = [s.id for s in STEPS]
        if step_id in ids:
            self.query_one("#steps", OptionList).highlighted = ids.index(step_id)

    # -- grade presets and the roster --------------------------------------------

    def _preset(self) -> str:
        scale = self.doc.value(("grades", "scale")) or []
        labels = [(g.get("label"), g.get("points")) for g in scale if isinstance(g, dict)]
        abstain = self.doc.value(("grades", "abstain"))
        for key, (_label, grades, preset_abstain, _bands) in PRESETS.items():
            if labels == grades and abstain == preset_abstain:
                return key
        return "custom"

    def apply_preset(self, key: str) -> None:
        """The preset's grades and abstain option, and the rules that name grades
        follow them (best to best, worst to worst), so the file stays consistent."""
        _label, grades, abstain, bands = PRESETS[key]
        old = [g.get("label") for g in self.doc.value(("grades", "scale")) or []]
        new = [label for label, _points in grades]
        self.doc.replace_rows(
            ("grades", "scale"), [{"label": label, "points": p} for label, p in grades]
        )
        self.doc.set(("grades", "abstain"), abstain)
        self.doc.replace_rows(
            ("scoring", "bands"),
            [{"min": low, "grade": label} for low, label in zip(bands, new, strict=True)],
        )

        def renamed(label: Any) -> Any:
            if label not in old:
                return label
            position = old.index(label)
            return new[-1] if position == len(old) - 1 else new[min(position, len(new) - 1)]

        for rules in ("share_rules", "alerts"):
            for index in range(self.doc.count(("scoring", rules))):
                path = ("scoring", rules, index)
                if isinstance(grade := self.doc.value((*path, "grade")), str):
                    self.doc.set((*path, "grade"), renamed(grade))
                if isinstance(names := self.doc.value((*path, "grades")), list):
                    self.doc.set((*path, "grades"), [renamed(g) for g in names])
        self.call_after_refresh(self._redraw, ("grades", "rules"))

    async def _redraw(self, step_ids: tuple[str, ...]) -> None:
        for box in self.query(RowsBox):
            if step_of(box.where) in step_ids:
                await box.recompose()
        for box in self.query(FieldBox):
            if step_of(box.where) in step_ids:
                await box.recompose()
        self.post_message(Changed())

    @on(Button.Pressed, "#roster")
    def ask_roster(self) -> None:
        question = t("new.roster.question")

        def take(answer: str | None) -> None:
            if answer:
                self.take_roster(Path(answer).expanduser())

        self.push_screen(AskReason(question, t("new.roster.take"), value="名单.xlsx"), take)

    def take_roster(self, path: Path) -> None:
        from core.errors import ImportProblems
        from core.office.roster import read_roster

        try:
            roster = read_roster(path)
        except ImportProblems as problems:
            self.notify("\n".join(problems.lines[:6]), severity="error", timeout=12)
            return
        self.doc.replace_rows(
            ("categories",),
            [
                {
                    "name": c.name,
                    "weight": typed("number", format(c.weight.normalize(), "f")),
                    "expected": c.expected,
                }
                for c in roster.categories
            ],
        )
        subjects = []
        for s in sorted(roster.subjects, key=lambda s: s.order):
            row: dict[str, Any] = {"name": s.name, "unit": s.unit, "mode": str(s.mode)}
            row["order"] = s.order
            if s.daily is not None:
                row["daily"] = typed("number", format(s.daily.normalize(), "f"))
            subjects.append(row)
        self.doc.replace_rows(("subjects",), subjects)
        self.notify(
            t("new.roster.taken", subjects=len(subjects), categories=len(roster.categories))
        )
        self.call_after_refresh(self._redraw, ("categories", "subjects"))

    # -- saving and leaving -----------------------------------------------------

    def action_save(self) -> None:
        problems = self.doc.check().problems
        if problems:
            self.check_now()
            first = problems[0]
            line = f"{first.path}：{first.message}" if first.path else first.message
            self.notify(
                tn("new.save.refused", len(problems), first=line), severity="error", timeout=8
            )
            self.go_to_step(step_of(first.path))
            return
        if self.path is None:
            self.push_screen(
                AskReason(t("new.save.where"), t("new.save.ok"), value="会议.toml"),
                lambda answer: self._save_as(answer),
            )
            return
        self._write(self.path)

    def _save_as(self, answer: str | None) -> None:
        if not answer:
            return
        path = Path(answer).expanduser()
        if path.suffix.lower() != ".toml":
            path = path.with_name(path.name + ".toml")
        if path.exists():

            def overwrite(yes: bool | None) -> None:
                if yes:
                    self._write(path)

            self.push_screen(
                Confirm(t("new.save.exists", path=path), t("new.save.overwrite")), overwrite
            )
            return
        self._write(path)

    def _write(self, path: Path) -> None:
        text = self.doc.text()
        temporary = path.with_name(f".{path.name}.saving")
        try:
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, path)
        except OSError as exc:
            self.notify(
                t("new.save.failed", path=path, detail=exc.strerror or exc), severity="error"
            )
            return
        self.path, self.doc.source, self.saved_text = path, path.name, text
        self.saved_to = path
        self.notify(t("new.save.done", path=path))
        self._show_title()

    def action_request_quit(self) -> None:
        if not self.dirty:
            self.exit()
            return

        def leave(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(Confirm(t("new.quit.unsaved"), t("new.quit.leave")), leave)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpPanel):
            self.screen.dismiss(None)
            return
        if len(self.screen_stack) > 1:
            return
        where = str(self.path) if self.path else t("new.unnamed")
        self.push_screen(
            HelpPanel(
                t("new.help.title"), key_rows(self, self.KEYS), t("new.help.note", file=where)
            )
        )
