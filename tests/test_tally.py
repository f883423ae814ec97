"""The tally: the documented example, each rule by hand, and properties."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from core.ballots.items import form_items
from core.ballots.points import report
from core.ballots.tally import Ballot, Override, compute_tally
from core.meeting.file import parse_meeting
from tests.conftest import DEMO_TEXT

DEMO = parse_meeting(DEMO_TEXT, "demo.toml")
C1, C2, C3 = DEMO.criteria
DOC = (Path(__file__).resolve().parents[1] / "docs" / "scoring.md").read_text("utf-8")


def ballot(category: str, subject: str, *grades: str | None, source: str = "web") -> Ballot:
    columns = (C1, C2, C3)
    return Ballot(category, {(subject, c): g for c, g in zip(columns, grades, strict=True)}, source)


def result(tally, name: str):
    return next(s for s in tally.subjects if s.name == name)


def text(value) -> str:
    return str(report(value, 2))


def meeting_with(old: str, new: str):
    assert old in DEMO_TEXT
    return parse_meeting(DEMO_TEXT.replace(old, new), "rules.toml")


def test_worked_example_in_the_docs():
    ballots = [
        ballot("党组成员", "法工委", "好", "好", "好"),
        ballot("党组成员", "法工委", "好", "较好", "好"),
        ballot("党组成员", "法工委", "较好", "较好", "好"),
        ballot("党员代表", "法工委", "较好", "一般", "好"),
        ballot("党员代表", "法工委", "一般", "不了解", "较好"),
    ]
    tally = compute_tally(DEMO, ballots, issued=72)
    s = result(tally, "法工委")
    figures = [
        s.criteria[C1].score,
        s.criteria[C2].score,
        s.criteria[C3].score,
        s.meeting_score,
        s.final_score,
    ]
    assert [text(f) for f in figures] == ["82.96", "74.81", "95.56", "84.44", "90.48"]
    for figure in figures:
        assert f"**{text(figure)}**" in DOC  # the doc shows the numbers the code computes
    assert s.final_grade == "好" and "**Final grade 好.**" in DOC
    assert s.counts == {"好": 7, "较好": 5, "一般": 2, "差": 0, "不了解": 1}
    assert "好 7, 较好 5, 一般 2, 差 0, 不了解 1" in DOC
    assert s.criteria[C1].score == Fraction(2240, 27)  # exact, not 82.96


def test_trimming_drops_highest_and_lowest_above_the_group_size():
    meeting = meeting_with(
        "[scoring.combination]",
        "[scoring.trim]\nenabled = true\nmore_than = 5\n\n[scoring.combination]",
    )
    six = ["好", "好", "较好", "一般", "一般", "差"]
    ballots = [ballot("党员代表", "法工委", g, g, g) for g in six]
    s = result(compute_tally(meeting, ballots, issued=72), "法工委")
    assert s.criteria[C1].score == Fraction(100 + 80 + 60 + 60, 4)  # 100 and 40 dropped
    five = [ballot("党员代表", "法工委", g, g, g) for g in six[:5]]
    s = result(compute_tally(meeting, five, issued=72), "法工委")
    assert s.criteria[C1].score == Fraction(100 + 100 + 80 + 60 + 60, 5)  # 5 is not more than 5


def test_a_category_that_abstains_entirely_gives_up_its_weight():
    ballots = [
        ballot("党组成员", "法工委", "好", "好", "好"),
        ballot("党员代表", "法工委", "一般", "一般", "一般"),
        ballot("机关党委委员", "法工委", "不了解", "不了解", "不了解"),
    ]
    s = result(compute_tally(DEMO, ballots, issued=72), "法工委")
    expected = (Fraction(1, 4) * 100 + Fraction(1, 5) * 60) / (Fraction(1, 4) + Fraction(1, 5))
    assert s.criteria[C1].score == expected
    assert s.categories["机关党委委员"].ballots == 0 and s.categories["机关党委委员"].score is None


def test_poor_share_at_exactly_one_third_is_not_poor():
    ballots = [ballot("党员代表", "人事室", "差", "差", "差")]
    ballots += [ballot("党员代表", "人事室", "好", "好", "好")] * 2
    s = result(compute_tally(DEMO, ballots, issued=72), "人事室")
    # 差 is 3 of 9 grades: exactly a third, not more. Meeting 80, final 0.4*80 + 0.6*91 = 86.6.
    assert text(s.final_score) == "86.60" and s.computed_grade == "较好" and not s.flags


def test_poor_share_just_above_one_third_is_poor():
    ballots = [ballot("党员代表", "人事室", "差", "差", "差")] * 34
    ballots += [ballot("党员代表", "人事室", "好", "好", "好")] * 66
    s = result(compute_tally(DEMO, ballots, issued=100), "人事室")
    assert s.computed_grade == "差" and "约谈提醒、限期整改" in s.flags


def test_quota_and_all_same_make_a_ballot_invalid_and_counted():
    meeting = meeting_with(
        "all_same_invalid = true",
        'all_same_invalid = true\ntop_grade_quota = "1/3"',
    )
    everyone_top = Ballot("党组成员", {item: "好" for item in form_items(meeting)})
    all_fair = Ballot("党组成员", {item: "一般" for item in form_items(meeting)})
    fine = ballot("党组成员", "法工委", "好", "较好", "一般")
    tally = compute_tally(meeting, [everyone_top, all_fair, fine], issued=72)
    assert (tally.ballots.valid, tally.ballots.invalid) == (1, 2)
    assert tally.ballots.invalid_reasons == {"quota": 3, "all_same": 2}
    assert result(tally, "法工委").criteria[C1].counts["好"] == 1  # only the valid ballot


def test_ties_share_a_rank():
    ballots = [ballot("党员代表", name, "好", "好", "好") for name in ("研究室", "人事室")]
    ballots.append(ballot("党员代表", "秘书处", "好", "好", "好"))  # daily 93: third
    meeting = meeting_with("daily = 91\n", "daily = 96\n")  # 人事室 now ties 研究室 on daily
    tally = compute_tally(meeting, ballots, issued=72)
    top = [(s.name, s.rank) for s in tally.subjects[:3]]
    assert top[0][1] == top[1][1] == 1 and top[2][1] == 3
    assert {top[0][0], top[1][0]} == {"研究室", "人事室"}


def test_missing_daily_score_is_reported_and_the_meeting_score_stands():
    meeting = meeting_with("daily = 94.5\n", "")
    s = result(
        compute_tally(meeting, [ballot("党员代表", "法工委", "较好", "较好", "较好")], issued=72),
        "法工委",
    )
    assert s.daily_score is None and s.final_score == s.meeting_score == 80


def test_rounding_half_up_at_the_last_digit():
    assert str(report(Fraction(80005, 1000), 2)) == "80.01"
    assert str(report(Fraction(80004999, 1000000), 2)) == "80.00"
    assert str(report(Fraction(-1, 200), 2)) == "-0.01"


def test_score_exactly_on_a_band_after_rounding():
    # meeting 260/3 with daily 33197/360 gives exactly 89.995: reported 90.00 reads 好.
    meeting = meeting_with("daily = 94.5\n", 'daily = "33197/360"\n')
    ballots = [ballot("党员代表", "法工委", "较好", "较好", "好")] * 3
    s = result(compute_tally(meeting, ballots, issued=72), "法工委")
    assert s.final_score == Fraction(89995, 1000)
    assert text(s.final_score) == "90.00" and s.final_grade == "好"


def test_override_keeps_both_grades():
    ballots = [ballot("党员代表", "法工委", "较好", "较好", "较好")]
    tally = compute_tally(
        DEMO, ballots, issued=72, overrides={"法工委": Override("好", "日常工作突出，党组研究决定")}
    )
    s = result(tally, "法工委")
    assert (s.computed_grade, s.final_grade, s.override_reason) == (
        "较好",
        "好",
        "日常工作突出，党组研究决定",
    )


def test_more_ballots_than_issued_voids_the_round():
    ballots = [ballot("党员代表", "法工委", "好", "好", "好")] * 3
    tally = compute_tally(DEMO, ballots, issued=2)
    assert tally.voided and all(s.final_score is None for s in tally.subjects)


# -- properties -------------------------------------------------------------

CHOICES = ["好", "较好", "一般", "差", "不了解", None]
SUBJECTS = ["法工委", "人事室"]
ballot_strategy = st.builds(
    lambda category, grades: Ballot(
        category,
        {
            (s, c): g
            for (s, c), g in zip(
                [(s, c) for s in SUBJECTS for c in DEMO.criteria], grades, strict=True
            )
        },
    ),
    st.sampled_from([c.name for c in DEMO.categories]),
    st.lists(st.sampled_from(CHOICES), min_size=6, max_size=6),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(ballot_strategy, max_size=25), st.randoms())
def test_the_tally_does_not_depend_on_ballot_order(ballots, rng):
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    first = compute_tally(DEMO, ballots, issued=1000)
    second = compute_tally(DEMO, shuffled, issued=1000)
    assert [(s.name, s.final_score, s.rank, s.final_grade) for s in first.subjects] == [
        (s.name, s.final_score, s.rank, s.final_grade) for s in second.subjects
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(ballot_strategy, min_size=1, max_size=25),
    st.sampled_from([c.name for c in DEMO.categories]),
)
def test_an_abstaining_ballot_changes_no_score(ballots, category):
    abstain = Ballot(category, {(s, c): "不了解" for s in SUBJECTS for c in DEMO.criteria})
    before = compute_tally(DEMO, ballots, issued=1000)
    after = compute_tally(DEMO, [*ballots, abstain], issued=1000)
    assert [(s.meeting_score, s.final_score, s.final_grade) for s in before.subjects] == [
        (s.meeting_score, s.final_score, s.final_grade) for s in after.subjects
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(ballot_strategy, max_size=25))
def test_scores_stay_within_the_grade_point_range(ballots):
    for s in compute_tally(DEMO, ballots, issued=1000).subjects:
        for value in [
            s.meeting_score,
            *(c.score for c in s.criteria.values()),
            *(c.score for c in s.categories.values()),
        ]:
            assert value is None or 40 <= value <= 100


def test_json_matches_the_contract(demo_db, store):
    from core.ballots.storing import BallotEntry, store_ballot
    from core.ballots.tokens import issue_tokens
    from tui.cli import run

    store.set_poll("open")
    slip = issue_tokens(store, "党员代表", 1)[0]
    store_ballot(
        store,
        slip.token,
        BallotEntry({item: "较好" for item in form_items(store.meeting)} | {("法工委", C1): "好"}),
    )
    store.set_poll("closed")  # results are hidden until scoring closes
    out = demo_db.parent / "tally.json"
    assert run(["tally", "--db", str(demo_db), "--format", "json", "--out", str(out)]) == 0
    data = json.loads(out.read_text("utf-8"))
    assert set(data) >= {"meeting", "ballots", "subjects"}
    assert set(data["meeting"]) >= {"title", "date", "categories", "grade_points"}
    assert data["meeting"]["grade_points"] == {"好": "100", "较好": "80", "一般": "60", "差": "40"}
    contract = {"issued": 1, "returned": 1, "valid": 1, "invalid": 0, "paper": 0}
    assert {key: data["ballots"][key] for key in contract} == contract  # fields only added
    first = data["subjects"][0]
    assert set(first) >= {
        "name",
        "mode",
        "rank",
        "criteria",
        "categories",
        "meeting_score",
        "daily_score",
        "final_score",
        "computed_grade",
        "final_grade",
        "override_reason",
    }
    fa = next(s for s in data["subjects"] if s["name"] == "法工委")
    assert fa["criteria"][C1] == {
        "counts": {"好": 1, "较好": 0, "一般": 0, "差": 0, "不了解": 0},
        "score": "100.00",
    }
    assert fa["categories"]["党员代表"] == {"ballots": 1, "score": "86.67"}
    assert fa["categories"]["党组成员"] == {"ballots": 0, "score": None}
    assert (fa["meeting_score"], fa["daily_score"], fa["final_score"]) == (
        "86.67",
        "94.50",
        "91.37",
    )
    assert fa["rank"] == 1 and fa["final_grade"] == "好"
