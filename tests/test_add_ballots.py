"""Ballots added in bulk (`sanshu ballots import` ends here): stored in one go, yet with
every guarantee of a ballot stored alone — random ids, no order that follows the
file, counts equal to the reference tally, one meaningful audit event."""

from __future__ import annotations

import random

import pytest

from core.ballots.importing import import_ballots
from core.ballots.items import form_items
from core.ballots.results import load_tally, load_tally_reference
from core.ballots.storing import BallotEntry, add_ballots, store_ballot
from core.ballots.tokens import issue_tokens
from core.errors import ImportProblems
from core.store import rows as rows_module
from core.store.schema import BALLOT_IDS
from tests.test_imports import ballot_count, clean_sheet

BALLOT_ID_LOW, BALLOT_ID_SPAN = BALLOT_IDS


def entry_for(store, rng: random.Random) -> BallotEntry:
    meeting = store.meeting
    labels = [g.label for g in meeting.grades] + [meeting.abstain, ""]
    style = rng.random()
    items = form_items(meeting)
    if style < 0.1:  # invalid: one grade for everyone
        return BallotEntry(dict.fromkeys(items, labels[1]))
    if style < 0.2:  # a few items only
        return BallotEntry({i: rng.choice(labels) for i in rng.sample(items, 4)})
    return BallotEntry({i: rng.choices(labels, (40, 30, 18, 7, 4, 1))[0] for i in items})


def rank_correlation(xs: list[int], ys: list[int]) -> float:
    """Spearman's rho of two lists of distinct values."""
    n = len(xs)
    rank_x = {x: r for r, x in enumerate(sorted(xs))}
    rank_y = {y: r for r, y in enumerate(sorted(ys))}
    d2 = sum((rank_x[x] - rank_y[y]) ** 2 for x, y in zip(xs, ys, strict=True))
    return 1 - 6 * d2 / (n * (n * n - 1))


def test_an_import_keeps_nothing_of_the_files_order(store):
    rng = random.Random(3)
    ballots = [("党员代表", entry_for(store, rng)) for _ in range(600)]
    stored = add_ballots(store, ballots, source="import")
    ids = [s.ballot_id for s in stored]
    assert len(set(ids)) == len(ids)
    assert all(BALLOT_ID_LOW <= i < BALLOT_ID_LOW + BALLOT_ID_SPAN for i in ids)
    # The table is kept in id order: the ids must not follow the file's rows. For 600
    # random ids |rho| > 0.2 has a chance below one in a million.
    assert abs(rank_correlation(list(range(len(ids))), ids)) < 0.2
    # Read back in the table's own order, the rows are not in the file's order either.
    table_order = [i for (i,) in store.db.execute("SELECT id FROM ballots")]
    position = {ballot_id: index for index, ballot_id in enumerate(ids)}
    assert abs(rank_correlation(list(range(600)), [position[i] for i in table_order])) < 0.2


def test_an_import_is_one_audit_event_with_its_categories(store):
    rng = random.Random(4)
    ballots = [("党员代表", entry_for(store, rng)) for _ in range(5)]
    ballots += [("党组成员", entry_for(store, rng)) for _ in range(3)]
    add_ballots(store, ballots, source="import")
    events = store.events("ballot")
    assert [e.kind for e in events] == ["ballots.added"]
    assert events[0].payload == {
        "source": "import",
        "count": 8,
        "categories": {"党员代表": 5, "党组成员": 3},
    }


def test_paper_ballots_are_each_named_in_their_own_event(store):
    store.set_poll("open")
    rng = random.Random(5)
    stored = add_ballots(
        store,
        [("党员代表", entry_for(store, rng)) for _ in range(3)],
        source="paper",
        entered_by="王记录",
    )
    events = store.events("ballot")
    assert [e.payload["ballot"] for e in events] == [s.ballot_id for s in stored]


def test_counts_of_a_bulk_import_equal_the_reference_tally(store):
    rng = random.Random(6)
    store.set_poll("open")
    for slip in issue_tokens(store, "党组成员", 5):
        store_ballot(store, slip.token, entry_for(store, rng))
    categories = [c.name for c in store.meeting.categories]
    add_ballots(
        store,
        [(rng.choice(categories), entry_for(store, rng)) for _ in range(300)],
        source="import",
    )
    tally = load_tally(store)
    assert tally == load_tally_reference(store)
    assert tally.ballots.imported == 300 and tally.ballots.invalid > 0


def test_ids_taken_or_drawn_twice_are_drawn_again(store, monkeypatch):
    rng = random.Random(7)
    (first,) = add_ballots(store, [("党员代表", entry_for(store, rng))], source="import")
    taken = first.ballot_id - BALLOT_ID_LOW
    # The next draws: an id already stored, the same id twice, then fresh ones.
    draws = iter([taken, 11, 11, 12, 13, 14, 15, 16])
    monkeypatch.setattr(rows_module.secrets, "randbelow", lambda _span: next(draws))
    stored = add_ballots(store, [("党员代表", entry_for(store, rng))] * 3, source="import")
    assert [s.ballot_id - BALLOT_ID_LOW for s in stored] == [11, 12, 13]
    assert ballot_count(store) == 4


def test_a_crash_before_the_import_is_recorded_stores_no_ballot(store, tmp_path, monkeypatch):
    """The ballots and the record of the file's import are one transaction: if writing
    the record fails, no ballot is stored, and the file can simply be imported again."""
    path = tmp_path / "ballots.xlsx"
    clean_sheet(store, rows=3).save(path)
    record = store.record

    def crash_on_the_import_record(kind, payload):
        if kind == "import.ballots":
            raise OSError("disk full")
        record(kind, payload)

    monkeypatch.setattr(store, "record", crash_on_the_import_record)
    with pytest.raises(OSError):
        import_ballots(store, path)
    assert ballot_count(store) == 0
    assert load_tally(store).ballots.returned == 0
    assert store.events("import") == [] and store.events("ballots") == []

    monkeypatch.setattr(store, "record", record)
    assert import_ballots(store, path) == (3, 0)
    assert ballot_count(store) == 3
    with pytest.raises(ImportProblems):  # the same file again, without --again
        import_ballots(store, path)
    assert ballot_count(store) == 3


def test_an_import_reports_how_many_of_its_ballots_are_invalid(store, tmp_path):
    path = tmp_path / "ballots.xlsx"
    book = clean_sheet(store, rows=3)
    width = len(book.active[1]) - 1
    for _ in range(2):  # one grade for everyone: invalid under the demo meeting's rules
        book.active.append(["党员代表", *(["好"] * width)])
    book.save(path)
    assert import_ballots(store, path) == (5, 2)
    tally = load_tally(store)
    assert (tally.ballots.imported, tally.ballots.invalid) == (5, 2)
    again = tmp_path / "again.xlsx"
    other = clean_sheet(store, rows=1)
    other.active.cell(row=2, column=2, value="差")  # another ballot, not a repeat
    other.save(again)
    assert import_ballots(store, again) == (1, 0)  # this file's ballots only
