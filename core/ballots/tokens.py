"""Voter tokens: the secret in a slip's QR link, and its short typeable code.

A token is 128 random bits, shown as a URL in a QR code, plus a short typeable
code. Only hashes are stored, and nothing links either to a person: slips are
handed out at random within a voter category.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from core.ballots.lifecycle import ensure_changeable
from core.errors import StoreError
from core.i18n import t
from core.meeting.model import Poll
from core.meeting.store import MeetingStore

# Crockford's base32: no I, L, O, U, so a code read aloud or typed is unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

CODE_LENGTH = 10  # 50 bits: typeable, and unguessable among a few thousand slips


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


@dataclass(frozen=True)
class Slip:
    token: str
    code: str
    category: str


class Refusal(StrEnum):
    """Why a slip cannot vote now; each has its own page for the voter."""

    UNKNOWN = "unknown"
    REVOKED = "revoked"
    USED = "used"
    NOT_OPEN = "not_open"
    CLOSED = "closed"


class BallotRefused(Exception):
    """The ballot cannot be taken; `kind` picks the page the voter sees."""

    def __init__(self, kind: Refusal):
        super().__init__(kind)
        self.kind = kind


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
            ensure_changeable(store, t("change.tokens"))  # 发出 is part of the result
            store.conn.executemany(
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
    rows = store.conn.execute(
        "SELECT category, count(*) FROM tokens WHERE revoked_at IS NULL GROUP BY category"
    )
    return dict(rows.fetchall())


def issued_total(store: MeetingStore) -> int:
    """Printed slips, revoked ones left out."""
    return int(
        store.conn.execute("SELECT count(*) FROM tokens WHERE revoked_at IS NULL").fetchone()[0]
    )


def find_token(store: MeetingStore, credential: str) -> TokenInfo | None:
    if not credential or len(credential) > 64:
        return None
    key = digest(credential)
    row = store.conn.execute(
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
        store.conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE id = ?", [store.clock(), info.id]
        )
        store.record("tokens.revoked", {"category": info.category})
    return True


def revoke_unused(store: MeetingStore) -> int:
    """Before scoring opens, revoke every slip printed so far (a reprint for a new
    address replaces them all); returns how many."""
    with store.transaction():
        if store.poll() != Poll.NOT_OPEN:
            raise StoreError(t("tokens.reprint_late"))
        cursor = store.conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE revoked_at IS NULL AND used = 0",
            [store.clock()],
        )
        store.record("tokens.revoked_unused", {"count": cursor.rowcount})
    return cursor.rowcount


def restore_token(store: MeetingStore, code: str) -> bool:
    """Undo a revocation made by mistake (before scoring closes)."""
    with store.transaction():
        info = _token_to_change(store, code)
        if not info.revoked:
            raise StoreError(t("tokens.not_revoked", code=code))
        store.conn.execute("UPDATE tokens SET revoked_at = NULL WHERE id = ?", [info.id])
        store.record("tokens.restored", {"category": info.category})
    return True


def _token_to_change(store: MeetingStore, code: str) -> TokenInfo:
    info = find_token(store, code)
    if info is None:
        raise StoreError(t("tokens.not_found", code=code))
    if store.poll() == Poll.CLOSED:
        raise StoreError(t("tokens.closed"))
    return info


def check_token(store: MeetingStore, credential: str, *, needs_open_poll: bool = True) -> TokenInfo:
    """The token's record, or BallotRefused with the reason a voter should read."""
    info = find_token(store, credential)
    if info is None:
        raise BallotRefused(Refusal.UNKNOWN)
    if info.revoked:
        raise BallotRefused(Refusal.REVOKED)
    poll = store.poll()
    if needs_open_poll and poll != Poll.OPEN:
        raise BallotRefused(Refusal.CLOSED if poll == Poll.CLOSED else Refusal.NOT_OPEN)
    if info.used and info.ballot_id is None:
        raise BallotRefused(Refusal.USED)  # its ballot is stored and, being secret, out of reach
    return info
