"""Next year (承接上年): last year's open ledger items and results come into the new meeting.

`sanshu init next.toml --carry-over last.db --db next.db` copies every item not
yet closed (销号) of a subject that is still reviewed, and each subject's final
result, into the new database. On the subject's 述职 this year the podium can
show how many items were carried in and how many are still open; the clerk
marks an item answered when the report dealt with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import StoreError
from core.i18n import t, tn
from core.ledger.items import EDITABLE, ItemStatus, LedgerItem
from core.ledger.ledger import Ledger
from core.meeting.model import Poll
from core.meeting.store import MeetingStore


@dataclass(frozen=True)
class CarriedResult:
    meeting: str
    final_score: str | None
    final_grade: str | None
    rank: int | None
    override_reason: str | None


@dataclass(frozen=True)
class CarryReport:
    items: int
    results: int
    left_out: tuple[str, ...]  # last year's subjects that this meeting does not review
    results_final: bool  # False: last year's scoring was not closed, results not carried


@dataclass(frozen=True)
class CarriedStatus:
    """What the podium shows on a subject's 述职: carried N / open M."""

    carried: int
    open: int
    answered: int
    last: CarriedResult | None


def carry_over(last: MeetingStore, store: MeetingStore) -> CarryReport:
    """Copy last year's open items and results into `store`, once (a second run adds
    nothing it already brought)."""
    uid = last.meta("meeting_uid") or str(last.path)
    title = last.meeting.title
    names = set(store.ids("subjects"))
    items = [i for i in Ledger(last).items(status=ItemStatus.OPEN) if i.subject in names]
    left_out = sorted({s.name for s in last.meeting.subjects} - names)
    results = _final_results(last)
    ledger = Ledger(store)
    ids = store.ids("subjects")
    carried = 0
    with store.transaction():
        for item in items:
            origin = f"carried:{uid}:{item.id}"
            if store.conn.execute("SELECT 1 FROM ledger WHERE origin = ?", [origin]).fetchone():
                continue
            ledger.insert(item.subject, _values(item, origin, title))
            carried += 1
        for name, result in (results or {}).items():
            if name not in ids:
                continue
            store.db.table("carried_results").upsert(
                {
                    "subject_id": ids[name],
                    "meeting": title,
                    "final_score": result.final_score,
                    "final_grade": result.final_grade,
                    "rank": result.rank,
                    "override_reason": result.override_reason,
                },
                pk="subject_id",
            )
        store.record(
            "carryover.imported",
            {
                "from": title,
                "items": carried,
                "results": len([n for n in results or {} if n in ids]),
                "left_out": left_out,
            },
        )
    return CarryReport(
        items=carried,
        results=len([n for n in results or {} if n in ids]),
        left_out=tuple(left_out),
        results_final=results is not None,
    )


def _values(item: LedgerItem, origin: str, title: str) -> dict[str, Any]:
    values = {name: getattr(item, name) for name in EDITABLE if name != "closed_on"}
    values.update(origin=origin, carried_from=title)
    return values


def _final_results(last: MeetingStore) -> dict[str, CarriedResult] | None:
    """Last year's final results by subject; None while its scoring was not closed."""
    if last.state().poll != Poll.CLOSED:
        return None
    from core.ballots.points import report
    from core.ballots.results import load_tally

    tally = load_tally(last)
    if tally.voided:
        return None
    digits = last.meeting.rules.digits
    return {
        r.name: CarriedResult(
            meeting=last.meeting.title,
            final_score=None if r.final_score is None else str(report(r.final_score, digits)),
            final_grade=r.final_grade,
            rank=r.rank,
            override_reason=r.override_reason,
        )
        for r in tally.subjects
    }


def open_last(path: Path) -> MeetingStore:
    """Last year's database, checked before anything new is created."""
    if not Path(path).exists():
        raise StoreError(t("carry.missing", path=path))
    return MeetingStore(path, actor="organiser")


# ---------------------------------------------------------------------------
# For the podium and the clerk


def carried_status(store: MeetingStore, subject: str) -> CarriedStatus:
    subject_id = store.ids("subjects")[subject]
    carried, still_open, answered = store.conn.execute(
        "SELECT count(*), "
        "coalesce(sum(CASE WHEN closed_on IS NULL THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), 0) "
        "FROM ledger WHERE subject_id = ? AND carried_from IS NOT NULL",
        [subject_id],
    ).fetchone()
    row = store.conn.execute(
        "SELECT meeting, final_score, final_grade, rank, override_reason "
        "FROM carried_results WHERE subject_id = ?",
        [subject_id],
    ).fetchone()
    last = CarriedResult(*row) if row else None
    return CarriedStatus(carried, still_open, answered, last)


def carried_items(store: MeetingStore, subject: str) -> list[LedgerItem]:
    return [i for i in Ledger(store).items(subject=subject) if i.carried_from]


def status_line(status: CarriedStatus) -> str:
    """One line for the podium: 上年整改 3 项 · 未销号 2 · 已答复 1 · 上年等次 较好."""
    if not status.carried and status.last is None:
        return ""
    parts = []
    if status.carried:
        parts.append(
            tn(
                "carry.line",
                status.carried,
                carried=status.carried,
                open=status.open,
                answered=status.answered,
            )
        )
    if status.last is not None and status.last.final_grade:
        parts.append(t("carry.last_grade", grade=status.last.final_grade))
    return " · ".join(parts)


def mark_answered(store: MeetingStore, item_id: int, answered: bool = True) -> None:
    """The clerk: this carried item was answered in this year's report."""
    Ledger(store).mark_answered(item_id, answered)
