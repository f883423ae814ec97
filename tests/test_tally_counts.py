"""The stored counts give exactly the reference tally, whatever the rules and ballots.

`load_tally` reads counts kept up to date as ballots are stored, revised,
imported and confirmed; `load_tally_reference` recomputes everything ballot by
ballot with the pure `compute_tally`. Both must agree to the last fraction.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.ballots.items import form_items
from core.ballots.paper import confirm_paper_ballot, enter_paper_ballot
from core.ballots.recount import recount
from core.ballots.results import load_tally, load_tally_reference, set_override
from core.ballots.storing import BallotEntry, add_ballots, store_ballot
from core.ballots.tokens import issue_tokens, revoke_token
from core.meeting.store import MeetingStore
from tests.conftest import DEMO_TEXT

# Each rule the tally knows, as a change to the demo meeting file.
RULES = {
    "trim": (
        "[scoring.combination]",
        "[scoring.trim]\nenabled = true\nmore_than = 2\n\n[scoring.combination]",
    ),
    "quota": ("all_same_invalid = true", 'all_same_invalid = true\ntop_grade_quota = "1/3"'),
    "same_allowed": ("all_same_invalid = true", "all_same_invalid = false"),
    "blank_invalid": ("all_same_invalid = true", 'all_same_invalid = true\nblank = "invalid"'),
    "overall": ('layout = "per_criterion"', 'layout = "overall"'),
    "both": ('layout = "per_criterion"', 'layout = "per_criterion_and_overall"'),
    "numeric": ('layout = "per_criterion"', 'layout = "numeric"'),
    "pooled": ("average_within_category = true", "average_within_category = false"),
    "revision": ("allow_revision = false", "allow_revision = true"),
    "no_void": ("all_same_invalid = true", "all_same_invalid = true\nover_return_voids = false"),
}
EXCLUSIVE = {"overall", "both", "numeric"}  # one layout at a time


def meeting_text(rules: set[str]) -> str:
    text = DEMO_TEXT
    layouts = sorted(rules & EXCLUSIVE)
    for name in sorted(rules - EXCLUSIVE) + layouts[:1]:
        old, new = RULES[name]
        assert old in text, name
        text = text.replace(old, new, 1)
    return text


def choices_for(store: MeetingStore, rng: random.Random, style: str) -> dict:
    meeting = store.meeting
    items = form_items(meeting)
    if meeting.rules.layout == "numeric":
        labels = ["100", "85", "60.5", "0", "101", "abc", "", meeting.abstain]
    else:
        labels = [g.label for g in meeting.grades] + [meeting.abstain, "", "优秀"]
    if style == "same":
        label = rng.choice(labels[:3])
        return {item: label for item in items}
    if style == "top":
        return {item: labels[0] if rng.random() < 0.7 else labels[1] for item in items}
    if style == "sparse":  # only a few subjects graded, the rest left out
        return {item: rng.choice(labels) for item in rng.sample(items, 5)}
    weights = [30, 25, 20, 10, 6, 3, 1, 1][: len(labels)]
    return {item: rng.choices(labels, weights)[0] for item in items}


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["web", "web", "web", "import", "paper", "paper_confirmed", "revise"]),
        st.sampled_from(["random", "random", "same", "top", "sparse"]),
        st.integers(0, 5),  # voter category
    ),
    max_size=30,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sets(st.sampled_from(sorted(RULES))),
    ACTIONS,
    st.integers(0, 2**32),
    st.booleans(),
)
def test_stored_counts_equal_the_reference_tally(rules, actions, seed, override):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        store = MeetingStore.create(Path(tmp) / "m.db", meeting_text(rules), "rules.toml")
        meeting = store.meeting
        categories = [c.name for c in meeting.categories]
        store.set_poll("open")
        slips = {c: issue_tokens(store, c, 6) for c in categories}
        revoke_token(store, slips[categories[0]][0].code)
        used: list = []
        for kind, style, index in actions:
            category = categories[index]
            entry = BallotEntry(choices_for(store, rng, style))
            if kind == "web" and slips[category]:
                slip = slips[category].pop()
                if slip.code != store_token_code(store, slip):
                    continue
                store_ballot(store, slip.token, entry)
                used.append(slip)
            elif kind == "revise" and used and meeting.poll.allow_revision:
                store_ballot(store, rng.choice(used).token, entry)
            elif kind == "import":
                add_ballots(store, [(category, entry)], source="import")
            elif kind.startswith("paper"):
                stored = enter_paper_ballot(store, category, entry, "王记录")
                if kind == "paper_confirmed":
                    confirm_paper_ballot(store, stored.ballot_id, "李核对")
        if override:
            set_override(store, meeting.subjects[0].name, meeting.grades[-1].label, "党组研究")
        fast = load_tally(store)
        assert fast == load_tally_reference(store)
        with store.transaction():  # counting everything again changes nothing
            recount(store)
        assert load_tally(store) == fast
        store.close()


def store_token_code(store: MeetingStore, slip) -> str:
    """The slip's code if its token can still vote (not revoked), else ''."""
    from core.ballots.tokens import find_token

    info = find_token(store, slip.token)
    return slip.code if info and not info.revoked else ""


def test_a_database_from_before_the_counts_tallies_as_it_did(tmp_path):
    """Migration 6 counts the ballots already stored."""
    db = tmp_path / "old.db"
    store = MeetingStore.create(db, DEMO_TEXT, "demo.toml")
    store.set_poll("open")
    rng = random.Random(7)
    for slip in issue_tokens(store, "党员代表", 12):
        store_ballot(store, slip.token, BallotEntry(choices_for(store, rng, "random")))
    expected = load_tally_reference(store)
    store.close()
    conn = sqlite3.connect(db)  # as schema 5 left it: no count tables
    for table in ("tally_counts", "tally_graded", "tally_ballots"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with MeetingStore(db) as reopened:
        assert load_tally(reopened) == expected
        assert expected.ballots.returned == 12
