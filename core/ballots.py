"""Voter tokens, ballot validity and storing ballots.

A token is 128 random bits, shown as a URL in a QR code, plus a short typeable
code. Only hashes are stored, and nothing links either to a person.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import sqlite3
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from core.i18n import t
from core.model import Meeting, derived
from core.numbers import bounded_decimal
from core.sqlrows import insert_rows
from core.store import MeetingStore, StoreError
from core.text import clean_text

# Crockford's base32: no I, L, O, U, so a code read aloud or typed is unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 bits: typeable, and unguessable among a few thousand slips
OVERALL = "总体评价"

Item = tuple[str, str]  # (subject name, criterion name or OVERALL)


def _encode(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def new_token() -> str:
    return _encode(secrets.randbits(128), 26)


def new_code() -> str:
    return _encode(secrets.randbits(5 * CODE_LENGTH), CODE_LENGTH)


def pretty_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


# Letters a person may type for the digits (and V) that codes are printed with.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def normalise(credential: str) -> str:
    """What a person typed or a QR code carried, in canonical form."""
    text = credential.strip().upper().replace("-", "").replace(" ", "")
    return text.translate(_LOOKALIKES)


def digest(credential: str) -> str:
    return hashlib.sha256(normalise(credential).encode()).hexdigest()


def criterion_ids_of(store: MeetingStore) -> dict[str, int]:
    """Criterion name → id as stored in `scores`; the overall grade is criterion 0."""
    return {**store.ids("criteria"), OVERALL: 0}


def criterion_names_of(store: MeetingStore) -> dict[int, str]:
    return {**store.names("criteria"), 0: OVERALL}


@dataclass(frozen=True)
class Slip:
    token: str
    code: str
    category: str


# ---------------------------------------------------------------------------
# The form a voter fills


@derived
def form_columns(meeting: Meeting) -> tuple[str, ...]:
    layout = meeting.rules.layout
    if layout == "overall":
        return (OVERALL,)
    if layout == "per_criterion_and_overall":
        return (*meeting.criteria, OVERALL)
    return meeting.criteria


@derived
def form_items(meeting: Meeting) -> tuple[Item, ...]:
    """Every item of a ballot in form order: on-site subjects first, then written."""
    columns = form_columns(meeting)
    return tuple((s.name, c) for s in (*meeting.onsite, *meeting.written) for c in columns)


@derived
def choice_labels(meeting: Meeting) -> tuple[str, ...]:
    labels = tuple(g.label for g in meeting.grades)
    return (*labels, meeting.abstain) if meeting.abstain else labels


@derived
def _known_labels(meeting: Meeting) -> frozenset[str]:
    return frozenset(choice_labels(meeting))


@derived
def _items_by_column(meeting: Meeting) -> tuple[tuple[str, tuple[Item, ...]], ...]:
    items = form_items(meeting)
    return tuple((c, tuple(i for i in items if i[1] == c)) for c in form_columns(meeting))


def top_grade_limit(meeting: Meeting) -> int | None:
    """The most subjects one ballot may give the top grade per column; None: no quota."""
    quota = meeting.rules.validity.top_grade_quota
    return None if quota is None else math.floor(quota * len(meeting.subjects))


@dataclass(frozen=True)
class BallotProblem:
    kind: str  # incomplete | quota | all_same | bad_value
    message: str
    items: tuple[Item, ...] = ()


def ballot_problems(
    meeting: Meeting, grades: Mapping[Item, str | None], *, on_screen: bool
) -> list[BallotProblem]:
    """Why a ballot is not valid under the meeting's rules (empty list: valid).

    `on_screen` is for forms the voter fills themselves: there every item needs
    an answer when an abstain choice is offered, so nothing is left out by
    mistake. On paper a blank item abstains unless the rules say it voids the
    ballot.

    Runs for every ballot stored or counted, so each rule is first checked on the
    choices as a whole (in C); the items at fault are listed only for a ballot
    that breaks it.
    """
    rules = meeting.rules
    items = form_items(meeting)
    values = [grades.get(i) for i in items]  # the choice for each item, in form order
    problems: list[BallotProblem] = []
    numeric = rules.layout == "numeric"

    blank_is_error = rules.validity.blank == "invalid" or (on_screen and meeting.abstain)
    if blank_is_error and not all(values):
        blank = tuple(i for i, v in zip(items, values, strict=True) if not v)
        problems.append(
            BallotProblem("incomplete", t("ballot.incomplete", count=len(blank)), blank)
        )

    if numeric:
        low, high = rules.numeric_range
        bad = tuple(
            i for i, v in zip(items, values, strict=True) if v and not _in_range(v, low, high)
        )
        if bad:
            problems.append(
                BallotProblem("bad_value", t("ballot.bad_number", low=low, high=high), bad)
            )
        return problems

    known = _known_labels(meeting)
    if not known.issuperset(filter(None, values)):
        bad = tuple(i for i, v in zip(items, values, strict=True) if v and v not in known)
        problems.append(BallotProblem("bad_value", t("ballot.bad_grade"), bad))

    limit = top_grade_limit(meeting)
    if limit is not None:
        top = meeting.grades[0].label
        if values.count(top) > limit:  # else no column can hold more than the limit
            for column, in_column in _items_by_column(meeting):
                tops = tuple(i for i in in_column if grades.get(i) == top)
                if len(tops) > limit:
                    problems.append(
                        BallotProblem(
                            "quota",
                            t("ballot.quota", column=column, grade=top, limit=limit, got=len(tops)),
                            tops,
                        )
                    )

    if rules.validity.all_same_invalid:
        # One grade for everyone the voter graded, across at least two subjects.
        scored = set(values)
        scored.difference_update((None, "", meeting.abstain))
        if len(scored) == 1:
            graded = {s for (s, _), v in zip(items, values, strict=True) if v in scored}
            if len(graded) >= 2:
                problems.append(
                    BallotProblem("all_same", t("ballot.all_same", grade=next(iter(scored))))
                )
    return problems


def _in_range(value: str, low: Fraction, high: Fraction) -> bool:
    return bounded_decimal(value, low, high) is not None


# ---------------------------------------------------------------------------
# Tokens in the store


class BallotRefused(Exception):
    """The ballot cannot be taken; `kind` picks the page the voter sees."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind  # unknown | revoked | used | not_open | closed


@dataclass(frozen=True)
class TokenInfo:
    id: int
    category: str
    used: bool
    revoked: bool
    # Only while the meeting allows revising and scoring is open (see README).
    ballot_id: int | None = None
    receipt: str | None = None


def issue_tokens(
    store: MeetingStore,
    category: str,
    count: int,
    *,
    progress: Callable[[int], None] | None = None,
    chunk: int = 500,
) -> list[Slip]:
    if category not in {c.name for c in store.meeting.categories}:
        known = " / ".join(c.name for c in store.meeting.categories)
        raise StoreError(t("tokens.unknown_category", got=category, known=known))
    slips: list[Slip] = []
    batch = int(store.clock() * 1000)
    while len(slips) < count:
        part = [
            Slip(new_token(), new_code(), category) for _ in range(min(chunk, count - len(slips)))
        ]
        with store.transaction():
            store.db.conn.executemany(
                "INSERT INTO tokens (hash, code_hash, category, issued_at, batch) "
                "VALUES (?, ?, ?, ?, ?)",
                [(digest(s.token), digest(s.code), category, store.clock(), batch) for s in part],
            )
            store.record("tokens.issued", {"category": category, "count": len(part)})
        slips.extend(part)
        if progress:
            progress(len(part))
    return slips


def issued_counts(store: MeetingStore) -> dict[str, int]:
    """Printed slips per category, revoked ones left out (paper and imported ballots
    have no slip and are counted on their own lines)."""
    rows = store.db.execute(
        "SELECT category, count(*) FROM tokens WHERE revoked_at IS NULL GROUP BY category"
    )
    return dict(rows.fetchall())


def find_token(store: MeetingStore, credential: str) -> TokenInfo | None:
    if not credential or len(credential) > 64:
        return None
    key = digest(credential)
    row = store.db.conn.execute(
        "SELECT t.id, t.category, t.used, t.revoked_at, l.ballot_id, l.receipt FROM tokens t "
        "LEFT JOIN revision_links l ON l.token_id = t.id WHERE t.hash = ? OR t.code_hash = ?",
        [key, key],
    ).fetchone()
    if row is None:
        return None
    return TokenInfo(
        id=row[0],
        category=row[1],
        used=bool(row[2]),
        revoked=row[3] is not None,
        ballot_id=row[4],
        receipt=row[5],
    )


def _poll(store: MeetingStore) -> str:
    return store.db.conn.execute("SELECT poll FROM state WHERE id = 1").fetchone()[0]


def revoke_token(store: MeetingStore, code: str) -> bool:
    """Revoke an unused slip (lost, or handed out by mistake).

    Refused with the reason when the slip has voted (its ballot is cast and cannot
    be found: it is secret) or when scoring has closed (the count is final).
    """
    with store.transaction():
        info = _token_to_change(store, code)
        if info.revoked:
            raise StoreError(t("tokens.already_revoked", code=code))
        if info.used:
            raise StoreError(t("tokens.revoke_used", code=code))
        store.db.execute("UPDATE tokens SET revoked_at = ? WHERE id = ?", [store.clock(), info.id])
        store.record("tokens.revoked", {"category": info.category})
    return True


def restore_token(store: MeetingStore, code: str) -> bool:
    """Undo a revocation made by mistake (before scoring closes)."""
    with store.transaction():
        info = _token_to_change(store, code)
        if not info.revoked:
            raise StoreError(t("tokens.not_revoked", code=code))
        store.db.execute("UPDATE tokens SET revoked_at = NULL WHERE id = ?", [info.id])
        store.record("tokens.restored", {"category": info.category})
    return True


def _token_to_change(store: MeetingStore, code: str) -> TokenInfo:
    info = find_token(store, code)
    if info is None:
        raise StoreError(t("tokens.not_found", code=code))
    if _poll(store) == "closed":
        raise StoreError(t("tokens.closed"))
    return info


# ---------------------------------------------------------------------------
# Ballots in the store
#
# Secrecy is a property of what is stored: a ballot row holds a random id, its
# voter category, its source and whether it counts; nothing that leads back to
# a token (no reference, no time, no row order: the tables have no rowid and
# are keyed by the random id). "Used" is a flag on the token, set in the same
# transaction that inserts the ballot. Receipts live in a table of their own.

BALLOT_ID_LOW = 100_000_000  # nine digits: random, yet short enough to read out
BALLOT_ID_SPAN = 900_000_000


def new_ballot_id(db, table: str = "ballots") -> int:
    """A random ballot id not yet taken (inside the caller's write transaction)."""
    while True:
        candidate = BALLOT_ID_LOW + secrets.randbelow(BALLOT_ID_SPAN)
        if db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [candidate]).fetchone() is None:
            return candidate


def _insert_unique(store: MeetingStore, sql: str, draw: Callable[[], object], *rest) -> object:
    """Insert a row keyed by a freshly drawn random value, drawing again on the rare
    collision (the primary key refuses it; the transaction goes on)."""
    while True:
        value = draw()
        try:
            store.db.conn.execute(sql, [value, *rest])
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" not in str(exc):
                raise
            continue
        return value


@dataclass(frozen=True)
class Stored:
    ballot_id: int
    receipt: str | None  # shown once to a phone voter; paper and imported ballots have none
    revised: bool


@dataclass
class BallotEntry:
    grades: dict[Item, str | None]
    comments: dict[str, str] = field(default_factory=dict)


def check_token(store: MeetingStore, credential: str, *, needs_open_poll: bool = True) -> TokenInfo:
    """The token's record, or BallotRefused with the reason a voter should read."""
    info = find_token(store, credential)
    if info is None:
        raise BallotRefused("unknown")
    if info.revoked:
        raise BallotRefused("revoked")
    poll = _poll(store)
    if needs_open_poll and poll != "open":
        raise BallotRefused("closed" if poll == "closed" else "not_open")
    if info.used and info.ballot_id is None:
        raise BallotRefused("used")  # its ballot is stored and, being secret, out of reach
    return info


def store_ballot(store: MeetingStore, credential: str, entry: BallotEntry) -> Stored:
    """Store a voter's ballot for their token, atomically: one ballot per token, ever.

    A replayed or second POST changes nothing (BallotRefused "used"), unless the
    meeting lets voters revise until scoring closes.
    """
    with store.transaction():
        # Checked inside the write lock: two posts of one token cannot both pass.
        info = check_token(store, credential)
        if info.ballot_id is not None:
            from core.tally_counts import count_stored_ballot

            count_stored_ballot(store, info.ballot_id, sign=-1)  # old choices leave the tally
            _clear_ballot(store, info.ballot_id)
            _write_grades(store, info.ballot_id, entry)
            count_stored_ballot(store, info.ballot_id)
            store.record("ballot.revised", {"category": info.category, "source": "web"})
            return Stored(info.ballot_id, info.receipt, revised=True)
        ballot_id = _insert_ballot(store, info.category, entry, "web", None)
        receipt = _insert_unique(
            store, "INSERT INTO receipts (receipt) VALUES (?)", lambda: pretty_code(new_code())
        )
        store.db.conn.execute("UPDATE tokens SET used = 1 WHERE id = ?", [info.id])
        if store.meeting.poll.allow_revision:
            store.db.execute(
                "INSERT INTO revision_links (token_id, ballot_id, receipt) VALUES (?, ?, ?)",
                [info.id, ballot_id, receipt],
            )
        # The audit event names neither the token nor the ballot.
        store.record("ballot.submitted", {"category": info.category, "source": "web"})
        return Stored(ballot_id, receipt, revised=False)


def _insert_ballot(
    store: MeetingStore,
    category: str,
    entry: BallotEntry,
    source: str,
    entered_by: str | None,
) -> int:
    """The ballot's rows and, when it counts at once, the tally's counts (gathered by
    the batch being stored, when there is one: `MeetingStore.batch`)."""
    from core.tally_counts import counting

    ballot_id = _insert_unique(
        store,
        "INSERT INTO ballots (id, category, source, counted, entered_by) VALUES (?, ?, ?, ?, ?)",
        lambda: BALLOT_ID_LOW + secrets.randbelow(BALLOT_ID_SPAN),
        category,
        source,
        int(source != "paper"),
        entered_by,
    )
    _write_grades(store, ballot_id, entry)
    if source != "paper":  # a paper ballot counts once a second person confirms it
        with counting(store) as delta:
            delta.add(category, source, entry.grades)
    return ballot_id


def _clear_ballot(store: MeetingStore, ballot_id: int) -> None:
    store.db.execute("DELETE FROM scores WHERE ballot_id = ?", [ballot_id])
    store.db.execute("DELETE FROM comments WHERE ballot_id = ?", [ballot_id])


def _write_grades(store: MeetingStore, ballot_id: int, entry: BallotEntry) -> None:
    _write_many_grades(store, [(ballot_id, entry)])


def _write_many_grades(store: MeetingStore, ballots: list[tuple[int, BallotEntry]]) -> None:
    """The grades and comments of many ballots, a few hundred rows per statement (an
    import of 100,000 ballots is 6 million score rows, not 100,000 calls)."""
    subject_ids = store.ids("subjects")
    criterion_ids = criterion_ids_of(store)
    insert_rows(
        store.db.conn,
        "INSERT INTO scores (ballot_id, subject_id, criterion_id, grade)",
        (  # a generator: the rows stream into SQLite, never all in memory at once
            (ballot_id, subject_ids[subject], criterion_ids[criterion], grade or None)
            for ballot_id, entry in ballots
            for (subject, criterion), grade in entry.grades.items()
        ),
        width=4,
    )
    insert_rows(
        store.db.conn,
        "INSERT INTO comments (ballot_id, subject_id, text)",
        (
            (ballot_id, subject_ids[s], cleaned)
            for ballot_id, entry in ballots
            for s, text in entry.comments.items()
            if (cleaned := clean_text(text).strip())
        ),
        width=3,
    )


def ballot_grades(store: MeetingStore, ballot_id: int) -> BallotEntry:
    """A stored ballot as the form shows it (for revising or confirming)."""
    subjects = store.names("subjects")
    criteria = criterion_names_of(store)
    grades = {
        (subjects[s], criteria[c]): g
        for s, c, g in store.db.execute(
            "SELECT subject_id, criterion_id, grade FROM scores WHERE ballot_id = ?", [ballot_id]
        )
    }
    comments = {
        subjects[s]: text
        for s, text in store.db.execute(
            "SELECT subject_id, text FROM comments WHERE ballot_id = ?", [ballot_id]
        )
    }
    return BallotEntry(grades, comments)


def receipts(store: MeetingStore) -> list[str]:
    """The receipts of every stored phone ballot, sorted: publishable, since nothing
    links a receipt to a ballot or to a slip."""
    return [r for (r,) in store.db.execute("SELECT receipt FROM receipts ORDER BY receipt")]


@dataclass(frozen=True)
class PaperBallot:
    id: int
    category: str
    entered_by: str


def enter_paper_ballot(
    store: MeetingStore, category: str, entry: BallotEntry, entered_by: str
) -> Stored:
    """A paper ballot, typed in by staff.

    It is stored as the voter wrote it, valid or not (the tally counts invalid
    ballots), and counts only once a second person confirms it.
    """
    return add_ballots(store, [(category, entry)], source="paper", entered_by=entered_by)[0]


def add_ballots(
    store: MeetingStore,
    ballots: list[tuple[str, BallotEntry]],
    *,
    source: str,
    entered_by: str | None = None,
) -> list[Stored]:
    """Ballots that arrive without a slip (paper, imported), all in one transaction:
    every one is stored, or none is. They take no token: "issued" counts printed slips.

    Paper ballots need scoring open; imported ones may come in later. Returns what
    was stored for each ballot, in the order given.
    """
    from core.tally_counts import store_delta

    known = {c.name for c in store.meeting.categories}
    for category, _ in ballots:
        if category not in known:
            raise KeyError(category)
    with store.transaction():
        poll = _poll(store)
        if source == "paper" and poll != "open":
            raise BallotRefused("closed" if poll == "closed" else "not_open")
        ids = _new_ballot_ids(store, len(ballots))  # ids[i] is ballots[i]'s, drawn at random
        # Rows are written in the order of their random ids, so nothing of the order the
        # ballots came in (a file's rows) is kept, and the tables fill from one end.
        order = sorted(range(len(ballots)), key=ids.__getitem__)
        counted = source != "paper"  # a paper ballot counts once a second person confirms it
        store.db.conn.executemany(
            "INSERT INTO ballots (id, category, source, counted, entered_by) "
            "VALUES (?, ?, ?, ?, ?)",
            [(ids[i], ballots[i][0], source, int(counted), entered_by) for i in order],
        )
        _write_many_grades(store, [(ids[i], ballots[i][1]) for i in order])
        if counted:
            counts = store_delta(store)
            for category, entry in ballots:
                counts.add(category, source, entry.grades)
            counts.apply(store.db.conn)
        if source == "paper":
            # A paper ballot is named in its events: the two-person check is audited,
            # and a paper form leads to no slip and no voter.
            for ballot_id, (category, _) in zip(ids, ballots, strict=True):
                store.record(
                    "ballot.submitted",
                    {"category": category, "source": source, "ballot": ballot_id},
                )
        elif ballots:
            # One event for the whole import: how many ballots of each category.
            per_category = Counter(category for category, _ in ballots)
            store.record(
                "ballots.added",
                {"source": source, "count": len(ballots), "categories": dict(per_category)},
            )
    return [Stored(ballot_id, None, revised=False) for ballot_id in ids]


def _new_ballot_ids(store: MeetingStore, count: int) -> list[int]:
    """`count` distinct random ballot ids not yet taken, in the (random) order drawn;
    inside the caller's write transaction. Checked against the table in one query
    per draw, not one per ballot."""
    ids: dict[int, None] = {}  # an ordered set: a set of ints would iterate near sorted
    while len(ids) < count:
        drawn = [BALLOT_ID_LOW + secrets.randbelow(BALLOT_ID_SPAN) for _ in range(count - len(ids))]
        taken = {
            row[0]
            for row in store.db.conn.execute(
                "SELECT b.id FROM json_each(?) AS j JOIN ballots AS b ON b.id = j.value",
                [json.dumps(drawn)],
            )
        }
        for candidate in drawn:
            if candidate not in taken:
                ids[candidate] = None
    return list(ids)


def pending_paper_ballots(store: MeetingStore) -> list[PaperBallot]:
    rows = store.db.execute(
        "SELECT id, category, coalesce(entered_by, '') FROM ballots "
        "WHERE source = 'paper' AND counted = 0 ORDER BY id"
    )
    return [PaperBallot(*row) for row in rows]


def confirm_paper_ballot(store: MeetingStore, ballot_id: int, confirmer: str) -> bool:
    """Count a paper ballot. The confirmer must not be the person who entered it."""
    from core.tally_counts import count_stored_ballot

    with store.transaction():
        row = store.db.execute(
            "SELECT counted, entered_by FROM ballots WHERE id = ? AND source = 'paper'",
            [ballot_id],
        ).fetchone()
        if row is None or row[0]:
            return False
        if not confirmer.strip() or confirmer.strip() == (row[1] or "").strip():
            raise StoreError(t("paper.same_person"))
        store.db.execute("UPDATE ballots SET counted = 1 WHERE id = ?", [ballot_id])
        count_stored_ballot(store, ballot_id)
        store.record("ballot.confirmed", {"ballot": ballot_id, "confirmer": confirmer})
    return True


def turnout(store: MeetingStore) -> dict[str, tuple[int, int]]:
    """Per category: (counted ballots, expected voters). Unconfirmed paper ballots wait."""
    counted = dict(
        store.db.execute(
            "SELECT category, count(*) FROM ballots WHERE counted = 1 GROUP BY category"
        ).fetchall()
    )
    return {c.name: (counted.get(c.name, 0), c.expected) for c in store.meeting.categories}


def pending_paper(store: MeetingStore) -> int:
    query = "SELECT count(*) FROM ballots WHERE source = 'paper' AND counted = 0"
    return store.db.execute(query).fetchone()[0]
