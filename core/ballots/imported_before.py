"""What was imported before, recognised by content: per digest of a row's category,
grades and comments (keyed by the meeting), how many times it came, in `import_rows`
(no ballot id, no file, ordered by the digest); and the files imported before, by
their own digest, in the event log. core/ballots/importing.py asks before storing."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from core.i18n import tn
from core.meeting.store import MeetingStore

ROWS_NAMED = 20  # repeated rows named in a refusal; the count says how many in all


def already_imported(store: MeetingStore, kind: str, digest: str) -> str | None:
    """The file name under which this content was imported before, if it was."""
    for event in store.events(kind):
        if event.payload.get("sha256") == digest:
            return str(event.payload.get("file", ""))
    return None


def repeated_rows(store: MeetingStore, digests: Sequence[bytes], rows: Sequence[int]) -> list[int]:
    """The sheet rows (`rows`, beside each row's digest) whose ballots were imported
    before (as many of each content as were imported before), in sheet order."""
    wanted = Counter(digests)
    before: dict[bytes, int] = {}
    keys = [d.hex() for d in wanted]
    for start in range(0, len(keys), 50_000):
        for digest, count in store.conn.execute(
            "SELECT r.digest, r.n FROM json_each(?) AS j JOIN import_rows AS r "
            "ON r.digest = j.value",
            [json.dumps(keys[start : start + 50_000])],
        ):
            before[bytes.fromhex(digest)] = count
    if not before:
        return []
    out = []
    for digest, row in zip(digests, rows, strict=True):
        if before.get(digest, 0) > 0:
            before[digest] -= 1
            out.append(row)
    return out


def remember(store: MeetingStore, digests: Sequence[bytes]) -> None:
    """Count each row's content as imported, in the digest's order (not the file's)."""
    counts = Counter(digests)
    store.conn.executemany(
        "INSERT INTO import_rows (digest, n) VALUES (?, ?) "
        "ON CONFLICT (digest) DO UPDATE SET n = n + excluded.n",
        sorted((digest.hex(), n) for digest, n in counts.items()),
    )


def repeats_line(store: MeetingStore, file: str, rows: list[int]) -> str:
    named = "、".join(map(str, rows[:ROWS_NAMED])) + ("…" if len(rows) > ROWS_NAMED else "")
    files = "、".join(
        dict.fromkeys(str(e.payload.get("file", "")) for e in store.events("import.ballots"))
    )
    return tn("import.repeats", len(rows), file=file, rows=named, before=files or "—")
