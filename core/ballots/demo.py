"""Plausible ballots for the demo meeting, so the tally can be seen end to end.

Deterministic (seeded): the same demo every time. Most ballots come in by
phone; a few are paper (entered and confirmed by two people), and two paper
ballots give everyone the same grade, which the demo rules make invalid.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from core.ballots.items import Item, form_items
from core.ballots.paper import confirm_paper_ballot, enter_paper_ballot
from core.ballots.results import close_scoring
from core.ballots.storing import BallotEntry, store_ballot
from core.ballots.tokens import issue_tokens
from core.meeting.model import Poll
from core.meeting.store import MeetingStore

PAPER = 4
INVALID = 2


def fill_demo_ballots(
    store: MeetingStore, seed: int = 2024, voting: Callable[[], None] = lambda: None
) -> int:
    """Open scoring, store the demo's ballots, close scoring; `voting` runs while it is
    open (the demo moves its clock there: voting takes minutes)."""
    rng = random.Random(seed)
    meeting = store.meeting
    items = form_items(meeting)
    labels = [g.label for g in meeting.grades]
    # Each subject has a reputation: how likely its grades are good.
    leaning = {s.name: rng.uniform(0.55, 0.9) for s in meeting.subjects}
    store.set_poll(Poll.OPEN)
    count = 0
    for category in meeting.categories:
        web = category.expected - (PAPER + INVALID if category.name == "党员代表" else 0)
        for slip in issue_tokens(store, category.name, web):
            store_ballot(
                store,
                slip.token,
                BallotEntry(_grades(rng, items, labels, leaning, meeting.abstain)),
            )
            count += 1
    for number in range(PAPER + INVALID):
        if number < PAPER:
            grades = _grades(rng, items, labels, leaning, meeting.abstain)
        else:
            grades = dict.fromkeys(items, labels[0])  # everyone 好: invalid under the demo rules
        stored = enter_paper_ballot(store, "党员代表", BallotEntry(grades), "王记录")
        confirm_paper_ballot(store, stored.ballot_id, "李核对")
        count += 1
    voting()
    close_scoring(store)
    store.forget_history()  # as `poll close` does: the history goes with the close
    return count


def _grades(
    rng: random.Random,
    items: Sequence[Item],
    labels: list[str],
    leaning: dict[str, float],
    abstain: str | None,
) -> dict[Item, str | None]:
    grades: dict[Item, str | None] = {}
    for subject, criterion in items:
        if abstain and rng.random() < 0.04:
            grades[(subject, criterion)] = abstain
            continue
        p = leaning[subject]
        roll = rng.random()
        index = 0 if roll < p else 1 if roll < p + (1 - p) * 0.6 else 2 if roll < 0.985 else 3
        grades[(subject, criterion)] = labels[index]
    return grades
