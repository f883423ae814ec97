"""The rectification ledger (整改台账): problems, measures and deadlines per subject.

The office follows it for months after the meeting. Every change is one
transaction with its audit event (`ledger.*`), naming the fields that changed
with their old and new values, so the trail shows who changed what and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import fields, replace
from typing import Any

from core.errors import StoreError
from core.i18n import t
from core.ledger.items import (
    EDITABLE,
    HEADINGS,
    Completion,
    Draft,
    ItemStatus,
    LedgerItem,
    ProblemSource,
    check_values,
    parse_date,
    shown_value,
    stored_value,
)
from core.meeting.store import MeetingStore
from core.record.entries import Commentary, Question, Record


def today_of(store: MeetingStore) -> dt.date:
    return dt.date.fromtimestamp(store.clock())


class Ledger:
    """Reads and writes the ledger of one meeting database."""

    def __init__(self, store: MeetingStore):
        self.store = store
        self._ids = store.ids("subjects")
        self._names = store.names("subjects")

    # -- reading -------------------------------------------------------------

    def items(
        self,
        subject: str | None = None,
        status: ItemStatus | None = None,
        today: dt.date | None = None,
    ) -> list[LedgerItem]:
        """Items in the subjects' order, then 序号; `status` open / closed / overdue."""
        query = "SELECT l.* FROM ledger l JOIN subjects s ON s.id = l.subject_id WHERE 1 = 1"
        args: list[Any] = []
        if subject is not None:
            query += " AND l.subject_id = ?"
            args.append(self._ids[subject])
        rows = self.store.db.query(query + " ORDER BY s.position, l.seq", args)
        items = [self._item(row) for row in rows]
        today = today or today_of(self.store)
        if status == ItemStatus.OPEN:
            items = [i for i in items if not i.closed]
        elif status == ItemStatus.CLOSED:
            items = [i for i in items if i.closed]
        elif status == ItemStatus.OVERDUE:
            items = [i for i in items if i.overdue(today)]
        return items

    def item(self, item_id: int) -> LedgerItem:
        rows = list(self.store.db.query("SELECT * FROM ledger WHERE id = ?", [item_id]))
        if not rows:
            raise StoreError(t("ledger.no_item", id=item_id))
        return self._item(rows[0])

    def overdue(self, today: dt.date | None = None) -> list[LedgerItem]:
        return self.items(status=ItemStatus.OVERDUE, today=today)

    def _item(self, row: dict[str, Any]) -> LedgerItem:
        return LedgerItem(
            id=row["id"],
            subject=self._names[row["subject_id"]],
            seq=row["seq"],
            source=ProblemSource(row["source"]),
            problem=row["problem"],
            measure=row["measure"] or "",
            owner=row["owner"] or "",
            deadline=parse_date(row["deadline"]),
            progress=row["progress"] or "",
            completion=Completion(row["completion"] or Completion.IN_PROGRESS),
            evidence=row["evidence"] or "",
            closed_on=parse_date(row["closed_on"]),
            origin=row["origin"] or "",
            carried_from=row["carried_from"] or "",
            answered_at=row["answered_at"],
        )

    # -- writing -------------------------------------------------------------

    def add(self, subject: str, **values: Any) -> int:
        """A new item at the end of the subject's list; returns its id."""
        return self.add_many([(subject, values)])[0]

    def add_many(self, entries: Iterable[tuple[str, dict[str, Any]]]) -> list[int]:
        """Several items in one transaction (an import, a carry-over): all or none."""
        entries = list(entries)
        for subject, values in entries:
            if subject not in self._ids:
                raise StoreError(t("ledger.unknown_subject", got=subject))
            values.setdefault("source", ProblemSource.SELF_CHECK)
            values.setdefault("completion", Completion.IN_PROGRESS)
            self._refuse(values)
        with self.store.transaction():
            return [self._insert(subject, values) for subject, values in entries]

    def _insert(self, subject: str, values: dict[str, Any]) -> int:
        subject_id = self._ids[subject]
        last = self.store.conn.execute(
            "SELECT max(seq) FROM ledger WHERE subject_id = ?", [subject_id]
        ).fetchone()[0]
        now = self.store.clock()
        row = {name: stored_value(name, value) for name, value in values.items()}
        row.update(subject_id=subject_id, seq=(last or 0) + 1, created_at=now, updated_at=now)
        item_id = self.store.db.table("ledger").insert(row).last_pk
        assert isinstance(item_id, int)  # the rowid the insert gave
        self.store.record(
            "ledger.added",
            {
                "id": item_id,
                "subject": subject,
                "seq": row["seq"],
                **{k: shown_value(v) for k, v in values.items()},
            },
        )
        return item_id

    def edit(
        self, item_id: int, changes: dict[str, Any], *, kind: str = "ledger.edited"
    ) -> dict[str, tuple[str, Any]]:
        """Change some fields; returns {field: (old, new)} of what really changed."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise StoreError(t("ledger.not_editable", field=", ".join(sorted(unknown))))
        self._refuse(changes)
        with self.store.transaction():
            return self.apply_edit(item_id, changes, kind=kind)

    def apply_edit(
        self, item_id: int, changes: dict[str, Any], *, kind: str = "ledger.edited", via: str = ""
    ) -> dict[str, tuple[str, Any]]:
        """`edit` inside a transaction the caller holds (an import edits many items)."""
        before = self.item(item_id)
        diff = {
            name: (before.value(name), shown_value(stored_value(name, value)) or "")
            for name, value in changes.items()
            if before.value(name) != (shown_value(stored_value(name, value)) or "")
        }
        if not diff:
            return {}
        self.store.db.table("ledger").update(
            item_id,
            {
                **{name: stored_value(name, changes[name]) or None for name in diff},
                "updated_at": self.store.clock(),
            },
        )
        payload = {
            "id": item_id,
            "subject": before.subject,
            "seq": before.seq,
            "changes": {name: list(pair) for name, pair in diff.items()},
        }
        if via:
            payload["via"] = via
        self.store.record(kind, payload)
        return diff

    def insert(self, subject: str, values: dict[str, Any]) -> int:
        """`add` inside a transaction the caller holds."""
        return self._insert(subject, values)

    def close(self, item_id: int, on: dt.date | None = None) -> None:
        """销号: the item is done; the date defaults to today."""
        on = on or today_of(self.store)
        self.edit(item_id, {"closed_on": on, "completion": Completion.DONE}, kind="ledger.closed")

    def reopen(self, item_id: int) -> None:
        self.edit(
            item_id,
            {"closed_on": None, "completion": Completion.IN_PROGRESS},
            kind="ledger.reopened",
        )

    def mark_answered(self, item_id: int, answered: bool = True) -> None:
        """This year's meeting heard the subject answer a carried item (or not after all)."""
        with self.store.transaction():
            item = self.item(item_id)
            self.store.db.table("ledger").update(
                item_id,
                {
                    "answered_at": self.store.clock() if answered else None,
                    "updated_at": self.store.clock(),
                },
            )
            self.store.record(
                "ledger.answered" if answered else "ledger.unanswered",
                {"id": item_id, "subject": item.subject, "seq": item.seq},
            )

    def _refuse(self, values: dict[str, Any]) -> None:
        unknown = set(values) - set(EDITABLE) - {"origin", "carried_from"}
        if unknown:
            raise StoreError(t("ledger.not_editable", field=", ".join(sorted(unknown))))
        problems = check_values(values)
        if problems:
            raise StoreError(
                "；".join(f"{HEADINGS[name]}：{message}" for name, message in problems)
            )

    # -- from the clerk's record ------------------------------------------------

    def add_draft(self, draft: Draft) -> tuple[int, bool]:
        """Store a draft item; a second press on the same entry finds the first item.
        Returns (id, created)."""
        if draft.origin:
            row = self.store.conn.execute(
                "SELECT id FROM ledger WHERE origin = ?", [draft.origin]
            ).fetchone()
            if row:
                return row[0], False
        values = {f.name: getattr(draft, f.name) for f in fields(draft) if f.name != "subject"}
        return self.add(draft.subject, **values), True


def draft_from_commentary(entry: Commentary) -> Draft:
    """A leader's remark becomes a problem to rectify (the measure is the subject's)."""
    return Draft(
        subject=entry.subject,
        source=ProblemSource.COMMENTARY,
        problem=f"{entry.text}（{entry.commenter}点评）" if entry.commenter else entry.text,
        origin=f"commentary:{entry.id}",
    )


def draft_from_question(question: Question) -> Draft:
    """An inspector's question becomes a problem; the answer given is kept as a hint."""
    problem = f"{question.text}（{question.asker}询问）" if question.asker else question.text
    draft = Draft(
        subject=question.subject,
        source=ProblemSource.QUESTION,
        problem=problem,
        origin=f"question:{question.id}",
    )
    if question.answer:
        draft = replace(draft, measure=t("ledger.answer_given", answer=question.answer))
    return draft


def draft_entry(store: MeetingStore, kind: str, entry_id: int) -> tuple[LedgerItem, bool]:
    """The clerk's key: the commentary or question `entry_id` becomes a draft ledger item
    (once; pressing again finds the same item). Returns (item, created)."""
    record = Record(store)
    if kind == "commentary":
        entry = next((c for c in record.commentary() if c.id == entry_id), None)
        draft = draft_from_commentary(entry) if entry else None
    elif kind == "question":
        question = next((q for q in record.questions() if q.id == entry_id), None)
        draft = draft_from_question(question) if question else None
    else:
        raise ValueError(kind)
    if draft is None:
        raise StoreError(t("ledger.no_entry"))
    ledger = Ledger(store)
    item_id, created = ledger.add_draft(draft)
    return ledger.item(item_id), created


def drafted_message(item: LedgerItem, created: bool) -> str:
    if created:
        return t("ledger.drafted", subject=item.subject, seq=item.seq)
    return t("ledger.draft_exists", subject=item.subject, seq=item.seq)
