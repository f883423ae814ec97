"""`sanshu new` and `sanshu edit`: a meeting file made in the form, as an organiser
does it, and checked by `sanshu check` as it is typed and before it is saved."""

from __future__ import annotations

import difflib
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook
from textual.widgets import Input, OptionList, Select

from core.meeting.file import load_meeting
from core.meeting.file.document import MeetingDocument
from core.office.roster import write_template
from tests.conftest import DEMO_TEXT, wait_until
from tui.cli import run
from tui.newmeeting.form import MeetingForm, RowsBox, WeightSum
from tui.newmeeting.starting import starting_text
from tui.widgets.reason import AskReason


def _form(path: Path | None, text: str | None = None, *, new: bool = True) -> MeetingForm:
    return MeetingForm(MeetingDocument(text or starting_text(), "m.toml"), path, new=new)


async def _checked(pilot) -> None:
    """The form has checked the text it holds now (as `sanshu check` would)."""
    app = pilot.app
    await wait_until(pilot, lambda: app.checked_text == app.doc.text(), what="checked")


def _cell(app: MeetingForm, path: tuple) -> Input:
    return next(c for c in app.query(".cell") if getattr(c, "data_path", None) == path)


async def _type_into(pilot, box: Input, text: str) -> None:
    box.focus()
    await pilot.pause()
    box.value = ""
    await pilot.press(*text)
    await _checked(pilot)


async def _step(pilot, step: str) -> None:
    app = pilot.app
    app.go_to_step(step)
    await wait_until(pilot, lambda: app.query_one("#pages").current == f"page-{step}")


async def test_new_from_its_defaults_saves_a_file_check_accepts(tmp_path, capsys):
    path = tmp_path / "县人大常委会.toml"
    app = _form(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _checked(pilot)
        assert app.problems == []
        await pilot.press("ctrl+s")
        await wait_until(pilot, path.exists)
        assert not app.dirty
    assert run(["check", str(path)]) == 0
    text = path.read_text("utf-8")
    assert text.startswith("# 会议文件（由 sanshu new 生成")  # a commented file
    assert "# 测评人类别：权重之和为 1" in text  # the demo's explanations kept


async def test_a_new_file_without_a_name_asks_for_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = _form(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await _checked(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, AskReason))
        assert app.screen.query_one("#reason", Input).value == "会议.toml"
        await pilot.press("enter")
        await wait_until(pilot, (tmp_path / "会议.toml").exists)
    assert load_meeting(tmp_path / "会议.toml").title


async def test_weights_not_summing_to_one_stay_red_and_ctrl_s_refuses(tmp_path):
    path = tmp_path / "m.toml"
    app = _form(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _step(pilot, "categories")
        await _type_into(pilot, _cell(app, ("categories", 0, "weight")), "0.3")
        total = app.query_one(WeightSum)
        assert "1.05" in str(total.render()) and total.has_class("bad")
        weights = [_cell(app, ("categories", i, "weight")) for i in range(6)]
        assert all(box.has_class("bad") for box in weights)  # red while the sum is wrong
        steps = app.query_one("#steps", OptionList)
        assert "✗1" in str(steps.get_option("categories").prompt)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app._notifications)
        shown = " ".join(n.message for n in app._notifications)
        assert "各类别权重之和应为 1，实为 1.05" in shown  # check's own words
        assert not path.exists()
        # Another category gives up 0.05: the sum is 1, everything turns back.
        await _type_into(pilot, _cell(app, ("categories", 1, "weight")), "0.1")
        assert not total.has_class("bad") and not any(b.has_class("bad") for b in weights)
        await pilot.press("ctrl+s")
        await wait_until(pilot, path.exists)
    weights = [c.weight for c in load_meeting(path).categories]
    assert weights[:2] == [Fraction(3, 10), Fraction(1, 10)]


async def test_a_field_shows_the_message_check_gives(tmp_path):
    app = _form(tmp_path / "m.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await _step(pilot, "phases")
        field = next(f for f in app.query("FieldBox") if f.where == "phases.report.duration")
        await _type_into(pilot, field.query_one(Input), "八分钟")
        problem = str(field.query_one(".problem").render())
        assert problem == '应为秒数、"分:秒" 或 "6分钟"（如 480、"8:00"、"6分30秒"），实为 "八分钟"'
        assert field.query_one(Input).has_class("bad")
        await _type_into(pilot, field.query_one(Input), "8分钟")  # a clerk's spelling
        assert not field.query_one(".problem").display
        assert app.doc.value(("phases", "report", "duration")) == "8:00"  # stored canonical


async def test_edit_changes_one_timing_and_one_line(tmp_path):
    path = tmp_path / "demo.toml"
    path.write_text(DEMO_TEXT, "utf-8")
    app = MeetingForm(MeetingDocument(DEMO_TEXT, path.name), path, new=False)
    async with app.run_test(size=(200, 60)) as pilot:
        await _step(pilot, "phases")
        field = next(f for f in app.query("FieldBox") if f.where == "phases.questions.duration")
        await _type_into(pilot, field.query_one(Input), "10分钟")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not app.dirty)
    after = path.read_text("utf-8")
    diff = [
        line
        for line in difflib.unified_diff(DEMO_TEXT.splitlines(), after.splitlines(), n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert diff == ['-duration = "8:00"', '+duration = "10:00"']
    assert load_meeting(path).timing("questions").duration == 600


def test_edit_writes_a_clerks_spellings_back_in_canonical_form(tmp_path):
    text = (
        DEMO_TEXT.replace('mode = "onsite"\norder = 4', 'mode = "书面"', 1)
        .replace('duration = "5:00"', 'duration = "6分钟"', 1)
        .replace("expected = 7\n", 'expected = "7人"\n', 1)
    )
    document = MeetingDocument(text, "m.toml")
    assert document.respell() == 3
    lines = set(document.text().splitlines())
    assert {'duration = "6:00"', "expected = 7"} <= lines
    assert 'mode = "书面"' not in document.text() and "7人" not in document.text()
    assert document.check().meeting.subject("人事室").mode == "written"


@pytest.mark.slow
async def test_a_county_meeting_from_the_roster_without_a_text_editor(tmp_path):
    """The organiser of issue #24: 6 subjects, 3 voter categories, 20 voters."""
    roster = tmp_path / "名单.xlsx"
    write_template(roster)
    book = load_workbook(roster)
    subjects, categories = book["述职对象"], book["测评人类别"]
    names = ["办公室", "研究室", "法工委", "财经委", "人事代表工委", "信访局"]
    for row, name in enumerate(names, 2):
        mode = "现场" if row <= 3 else "书面"
        subjects.append([row - 1, name, f"县人大常委会{name}", mode, 90 - row])
    for name, weight, expected in [
        ("主任会议成员", 0.3, 4),
        ("常委会委员", 0.5, 11),
        ("机关干部", 0.2, 5),
    ]:
        categories.append([name, weight, expected])
    book.save(roster)

    path = tmp_path / "县人大.toml"
    app = _form(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _type_into(
            pilot,
            app.query_one("#page-meeting FieldBox Input", Input),
            "某县人大常委会机关2025年度述职述责述廉会议",
        )
        await _step(pilot, "subjects")
        app.query_one("#roster").press()
        await wait_until(pilot, lambda: isinstance(app.screen, AskReason))
        box = app.screen.query_one("#reason", Input)
        box.value = str(roster)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.doc.count(("subjects",)) == 6)
        await wait_until(pilot, lambda: len(app.query("#page-subjects .data")) == 6)
        await _step(pilot, "categories")
        await _checked(pilot)
        assert "权重合计 1（应为 1） · 应到 20 人" in str(app.query_one(WeightSum).render())
        await pilot.press("ctrl+s")
        await wait_until(pilot, path.exists)
    meeting = load_meeting(path)
    assert meeting.title == "某县人大常委会机关2025年度述职述责述廉会议"
    assert [s.name for s in meeting.onsite] == ["办公室", "研究室"]
    assert len(meeting.subjects) == 6 and meeting.expected_voters == 20
    assert [c.name for c in meeting.categories] == ["主任会议成员", "常委会委员", "机关干部"]


async def test_a_roster_with_mistakes_is_refused_with_its_cells(tmp_path):
    roster = tmp_path / "名单.xlsx"
    write_template(roster)
    book = load_workbook(roster)
    book["述职对象"].append([1, "办公室", "", "线上", 90])
    book["测评人类别"].append(["委员", "一半", 4])
    book.save(roster)
    app = _form(tmp_path / "m.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        app.take_roster(roster)
        await wait_until(pilot, lambda: app._notifications)
        shown = " ".join(n.message for n in app._notifications)
        assert "述职对象!D2" in shown and "测评人类别!B2" in shown
        assert app.doc.count(("subjects",)) == 21  # nothing taken


async def test_the_three_grade_preset_carries_the_rules_along(tmp_path):
    path = tmp_path / "m.toml"
    app = _form(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _step(pilot, "grades")
        app.query_one("#preset", Select).value = "three"
        await wait_until(pilot, lambda: app.doc.count(("grades", "scale")) == 3)
        await _checked(pilot)
        assert app.problems == []
        await pilot.press("ctrl+s")
        await wait_until(pilot, path.exists)
    meeting = load_meeting(path)
    assert [g.label for g in meeting.grades] == ["满意", "基本满意", "不满意"]
    assert [b.grade for b in meeting.rules.bands] == ["满意", "基本满意", "不满意"]
    assert meeting.rules.share_rules[0].grades == ("不满意",)
    assert meeting.rules.alerts[0].grade == "不满意"


async def test_rows_are_added_and_removed(tmp_path):
    app = _form(tmp_path / "m.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await _step(pilot, "criteria")
        rows = app.query_one("#page-criteria RowsBox", RowsBox)
        rows.query_one(".add").press()
        await wait_until(pilot, lambda: len(rows.query(".data")) == 4)
        await _type_into(pilot, _cell(app, ("criteria", 3)), "履行意识形态工作责任制")
        rows.query(".remove").first().press()
        await wait_until(pilot, lambda: len(rows.query(".data")) == 3)
        await _checked(pilot)
        assert app.doc.value(("criteria",)) == [
            "履行管党治党政治责任",
            "执行廉洁自律",
            "履行意识形态工作责任制",
        ]
        assert app.problems == []


async def test_quitting_with_unsaved_changes_asks(tmp_path):
    app = _form(tmp_path / "m.toml", new=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _type_into(pilot, app.query_one("#page-meeting FieldBox Input", Input), "新名称")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: len(app.screen_stack) > 1)
        await pilot.press("n")
        await wait_until(pilot, lambda: len(app.screen_stack) == 1)
        assert app.is_running


def test_new_refuses_an_existing_file_and_edit_a_broken_one(tmp_path, capsys):
    existing = tmp_path / "m.toml"
    existing.write_text(DEMO_TEXT, "utf-8")
    assert run(["new", str(existing)]) == 1
    assert "sanshu edit" in capsys.readouterr().err
    broken = tmp_path / "broken.toml"
    broken.write_text(DEMO_TEXT.replace("[meeting]", "[meeting", 1), "utf-8")
    assert run(["edit", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "broken.toml:7: TOML 语法错误" in err and "7 | [meeting" in err and "^" in err


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_every_step_fits_and_shows_its_fields(tmp_path, size):
    app = _form(tmp_path / "m.toml")
    async with app.run_test(size=size) as pilot:
        for step in ("meeting", "grades", "criteria", "categories", "subjects", "phases", "rules"):
            await _step(pilot, step)
            page = app.query_one(f"#page-{step}")
            await wait_until(pilot, lambda page=page: page.size.width > 0)
            assert page.region.right <= size[0]
            boxes = page.query("Input, Select")
            assert boxes and all(b.size.width >= 4 for b in boxes if b.display)


def test_the_demo_copy_is_what_new_starts_from(tmp_path):
    copy = tmp_path / "demo.toml"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "demo-meeting.toml", copy)
    assert load_meeting(copy).subjects == MeetingDocument(starting_text()).check().meeting.subjects
