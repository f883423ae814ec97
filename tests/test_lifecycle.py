"""Final means final (#20 §1, §3): once scoring closes, the result changes only after a
reopening with a reason, which the event log keeps; the stored counts always give the
tally (and the fingerprint) that counting every ballot again gives."""

from __future__ import annotations

import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.ballots.items import form_items
from core.ballots.lifecycle import ResultsFinal, lifecycle
from core.ballots.results import (
    close_scoring,
    load_computed,
    load_reference,
    set_components,
    set_override,
)
from core.ballots.storing import BallotEntry, add_ballots
from core.ballots.tally import BallotSource
from core.meeting.model import Poll
from core.meeting.store import MeetingStore
from tests.conftest import DEMO_TEXT, FakeClock
from tui.cli import run

GRADES = ["好", "较好", "一般", "差", None]

# One step of the office's day: what a clerk or the committee may try, at any moment.
ballot = st.tuples(
    st.sampled_from(["党组成员", "党员代表", "机关党委委员"]),
    st.lists(st.sampled_from(GRADES), min_size=3, max_size=3),
    st.sampled_from(["", "调研成果转化要加快。", "好"]),
)
step = st.one_of(
    st.tuples(st.just("import"), st.lists(ballot, min_size=1, max_size=3)),
    st.tuples(st.just("daily"), st.integers(0, 20), st.integers(6000, 10000)),
    st.tuples(st.just("override"), st.integers(0, 20), st.sampled_from(["好", "一般"])),
    st.tuples(st.just("reopen"), st.sampled_from(["补录纸质票", "更正日常考核得分"])),
    st.tuples(st.just("close")),
)


def entry(meeting, grades: list[str | None], comment: str) -> BallotEntry:
    """A ballot: the three grades repeated over the form; the comment on the first subject."""
    items = form_items(meeting)
    chosen = {item: grades[i % 3] for i, item in enumerate(items)}
    return BallotEntry(chosen, {items[0][0]: comment} if comment else {})


def apply(store: MeetingStore, move: tuple) -> str:
    """Try one step; what became of it: "done", "refused" (closed) or "skipped"."""
    kind = move[0]
    names = [s.name for s in store.meeting.subjects]
    try:
        if kind == "import":
            add_ballots(
                store,
                [(c, entry(store.meeting, g, text)) for c, g, text in move[1]],
                source=BallotSource.IMPORT,
            )
        elif kind == "daily":
            set_components(store, {names[move[1]]: Fraction(move[2], 100)})
        elif kind == "override":
            set_override(store, names[move[1]], move[2], "党组会议研究决定")
        elif kind == "reopen":
            if store.poll() != Poll.CLOSED:
                return "skipped"
            store.set_poll(Poll.OPEN, move[1])
        elif kind == "close":
            if store.poll() == Poll.CLOSED:
                return "skipped"
            close_scoring(store)
    except ResultsFinal:
        return "refused"
    return "done"


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(moves=st.lists(step, min_size=1, max_size=12))
def test_any_day_leaves_the_tally_counted_and_every_change_after_close_explained(moves):
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "m.db"
        clock = FakeClock()
        MeetingStore.create(db, DEMO_TEXT, "demo-meeting.toml", clock=clock).close()
        with MeetingStore(db, clock=clock) as store:
            store.set_poll(Poll.OPEN)
            for move in moves:
                clock.advance(60)
                closed = store.poll() == Poll.CLOSED
                before = load_computed(store).fingerprint
                events = len(store.events())
                outcome = apply(store, move)
                if closed and move[0] in ("import", "daily"):
                    # Final: refused, and nothing changed (not a row, not an event).
                    assert outcome == "refused"
                    assert load_computed(store).fingerprint == before
                    assert len(store.events()) == events
                computed = load_computed(store)
                tally, code = load_reference(store)
                assert computed.tally == tally and computed.fingerprint == code
            # Every change made while the result was closed came with its reason.
            poll_closed = False
            for event in store.events():
                if event.kind == "poll.closed":
                    poll_closed = True
                elif event.kind == "poll.open":
                    if poll_closed:
                        assert event.payload["reason"].strip()
                    poll_closed = False
                elif poll_closed:  # only the committee's override, with its reason
                    assert not event.kind.startswith(("ballot", "daily", "token"))
                    if event.kind == "tally.override":
                        assert event.payload["reason"] and event.payload["fingerprint"]
            life = lifecycle(store)
            reopened = [e for e in store.events("poll.open") if e.payload.get("from") == "closed"]
            assert [r.reason for r in life.reopenings] == [e.payload["reason"] for e in reopened]


def imported_file(
    store: MeetingStore, path: Path, category: str, rows: int, first: int = 0
) -> Path:
    from core.ballots.importing import header

    heads = header(store)
    lines = [",".join(heads)]
    for index in range(first, first + rows):
        # A later batch (first > 0) holds other ballots: one grade throughout.
        grades = [
            ["好", "较好", "一般", "差"][(index + (0 if first else c)) % 4]
            for c in range(len(heads) - 1)
        ]
        lines.append(",".join([category, *grades]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_imports_after_close_are_refused_until_a_reopening_with_a_reason(
    demo_db, store, tmp_path, capsys
):
    db = str(demo_db)
    store.set_poll(Poll.OPEN)
    first = imported_file(store, tmp_path / "a.csv", "党组成员", 6)
    late = imported_file(store, tmp_path / "b.csv", "党组成员", 2, first=6)
    daily = tmp_path / "daily.csv"
    daily.write_text("述职对象,日常考核得分\n法工委,80\n", encoding="utf-8")
    assert run(["ballots", "import", "--db", db, str(first)]) == 0
    assert run(["poll", "close", "--db", db]) == 0
    capsys.readouterr()
    results = tmp_path / "结果.xlsx"
    assert run(["tally", "--db", db, "--format", "xlsx", "--out", str(results)]) == 0
    before = load_computed(store)

    assert run(["ballots", "import", "--db", db, str(late)]) == 1
    assert run(["daily", "import", "--db", db, str(daily), "--partial"]) == 1
    err = capsys.readouterr().err
    assert err.count("会改变已确定的测评结果") == 2
    assert "导入测评票" in err and "导入日常考核得分" in err
    assert "sanshu poll open --reason" in err
    assert load_computed(store).fingerprint == before.fingerprint
    assert run(["tally", "--db", db, "--check", str(results)]) == 0
    assert "与会议当前结果一致" in capsys.readouterr().err

    assert run(["poll", "open", "--db", db]) == 1  # a reopening needs its reason
    assert run(["poll", "open", "--db", db, "--reason", "补录党组成员测评票"]) == 0
    assert run(["ballots", "import", "--db", db, str(late)]) == 0
    assert run(["poll", "close", "--db", db]) == 0
    capsys.readouterr()
    # 8 returned of 7 expected: said in tally, and on the workbook's 票数 sheet.
    assert run(["tally", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "“党组成员”收回 8 张，多于应到 7 人（114%）" in out
    assert "因“补录党组成员测评票”重新计算" in out
    assert run(["tally", "--db", db, "--check", str(results)]) == 1
    err = capsys.readouterr().err
    assert "已过时" in err and "因“补录党组成员测评票”重新开放测评" in err
    again = tmp_path / "结果2.xlsx"
    assert run(["tally", "--db", db, "--format", "xlsx", "--out", str(again)]) == 0
    from openpyxl import load_workbook

    counts = [r[0] for r in load_workbook(again)["票数"].iter_rows(values_only=True) if r[0]]
    assert any("多于应到 7 人" in str(line) for line in counts)
    assert any("因“补录党组成员测评票”重新计算" in str(line) for line in counts)
    # The podium's results say the same under the ranking, with the fingerprint.
    from core.ballots.turnout import count
    from tui.host import results_note

    note = results_note(count(store, with_tally=True)).plain
    assert "“党组成员”收回 8 张，多于应到 7 人（114%）" in note
    assert "因“补录党组成员测评票”重新计算" in note
    assert f"结果校验码：{load_computed(store).fingerprint}" in note


def test_a_partial_daily_file_names_what_it_leaves_out_and_needs_partial(
    demo_db, store, tmp_path, capsys
):
    from tests.test_imports import daily_import

    def stored() -> int:
        return store.db.execute("SELECT count(*) FROM daily_scores").fetchone()[0]

    path = tmp_path / "daily.csv"
    path.write_text("述职对象,日常考核得分\n法工委,80\n人事室,85.5\n", encoding="utf-8")
    refused = daily_import(demo_db, path)
    err = capsys.readouterr().err
    assert (refused, stored()) == (1, 0)
    assert "daily.csv 只有 2/21 个述职对象的日常考核得分，未列出的 19 个：教科文卫办、" in err
    assert "--partial" in err
    assert (daily_import(demo_db, path, "--partial"), stored()) == (0, 2)


PAPERS = [
    ("结果.xlsx", ["tally", "--format", "xlsx"]),
    ("结果.csv", ["tally", "--format", "csv"]),
    ("结果.json", ["tally", "--format", "json"]),
    ("会议记录.docx", ["minutes"]),
    ("会议记录.md", ["minutes"]),
    ("通报.docx", ["bulletin"]),
    ("排名表.docx", ["ranking"]),
    ("排名表.xlsx", ["ranking"]),
]


@pytest.mark.parametrize(("name", "command"), PAPERS, ids=[name for name, _ in PAPERS])
def test_tally_check_spots_an_outdated_paper(demo_db, store, tmp_path, capsys, name, command):
    db = str(demo_db)
    store.set_poll(Poll.OPEN)
    imported_file(store, tmp_path / "a.csv", "党员代表", 4)
    assert run(["ballots", "import", "--db", db, str(tmp_path / "a.csv")]) == 0
    assert run(["poll", "close", "--db", db]) == 0
    out = tmp_path / name
    assert run([*command, "--db", db, "--out", str(out)]) == 0
    assert run(["tally", "--db", db, "--check", str(out)]) == 0
    assert f"{name} 与会议当前结果一致" in capsys.readouterr().err
    assert run(["tally", "override", "法工委", "一般", "--reason", "党组会议决定", "--db", db]) == 0
    assert run(["tally", "--db", db, "--check", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{name} 已过时" in err
    assert "“法工委”的最终等次调整为“一般”（理由：党组会议决定）" in err


def test_letters_of_another_result_are_not_written_over_without_a_yes(
    demo_db, store, tmp_path, capsys
):
    db = str(demo_db)
    store.set_poll(Poll.OPEN)
    assert (
        run(
            [
                "ballots",
                "import",
                "--db",
                db,
                str(imported_file(store, tmp_path / "a.csv", "党员代表", 3)),
            ]
        )
        == 0
    )
    assert run(["poll", "close", "--db", db]) == 0
    out = tmp_path / "反馈"
    assert run(["feedback", "--db", db, "--out", str(out)]) == 0
    assert run(["feedback", "--db", db, "--out", str(out)]) == 0  # the same result: no question
    letter = next(out.glob("01-*.docx"))
    written = letter.stat().st_mtime_ns
    assert run(["tally", "override", "法工委", "一般", "--reason", "党组会议决定", "--db", db]) == 0
    capsys.readouterr()
    assert run(["feedback", "--db", db, "--out", str(out)]) == 1  # a script: refused, told how
    err = capsys.readouterr().err
    assert "按另一结果" in err and "--force" in err
    assert letter.stat().st_mtime_ns == written
    assert run(["feedback", "--db", db, "--out", str(out), "--force"]) == 0
    assert run(["tally", "--db", db, "--check", str(letter)]) == 0


def test_a_recount_is_dated_with_its_year_when_that_is_not_the_meetings(store):
    """The minutes of a meeting of 2024年1月30日 reopened in December 2026 must not say
    12月7日 as if it were 2024."""
    import time as clock_time

    from core.ballots.lifecycle import moment_text

    def at(year: int, month: int, day: int) -> float:
        return clock_time.mktime((year, month, day, 15, 42, 0, 0, 0, -1))

    assert store.meeting.date.isoformat() == "2024-01-30"
    assert moment_text(store, at(2024, 1, 30)) == "15:42"
    assert moment_text(store, at(2024, 2, 5)) == "2月5日 15:42"
    assert moment_text(store, at(2026, 12, 7)) == "2026年12月7日 15:42"
