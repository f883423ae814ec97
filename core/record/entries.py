"""The clerk's record of the meeting: commentary (点评) and questions (询问)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.meeting.store import MeetingStore
from core.text import clean_block, clean_line  # pasted control characters break exports


class QuestionState(StrEnum):
    QUEUED = "queued"
    ASKING = "asking"  # being asked now: one at a time per subject
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"


QUESTION_STATES = tuple(QuestionState)


@dataclass(frozen=True)
class Commentary:
    id: int
    subject: str
    commenter: str
    text: str
    at: float


@dataclass(frozen=True)
class Question:
    id: int
    subject: str
    asker: str
    text: str
    state: QuestionState
    answer: str
    created_at: float
    asked_at: float | None
    answered_at: float | None


class Record:
    """Reads and writes the record; every write is one transaction with its event."""

    def __init__(self, store: MeetingStore):
        self.store = store
        self._subject_ids = store.ids("subjects")
        self._subject_names = store.names("subjects")

    # -- commentary ------------------------------------------------------------

    def add_commentary(self, subject: str, commenter: str, text: str) -> int:
        commenter, text = clean_line(commenter), clean_block(text)
        with self.store.transaction():
            cursor = self.store.conn.execute(
                "INSERT INTO commentary (subject_id, commenter, text, at) VALUES (?, ?, ?, ?)",
                [self._subject_ids[subject], commenter.strip(), text.strip(), self.store.clock()],
            )
            entry_id = cursor.lastrowid
            assert entry_id is not None  # set by the INSERT
            self.store.record(
                "commentary.added",
                {"id": entry_id, "subject": subject, "commenter": commenter.strip()},
            )
        return entry_id

    def edit_commentary(self, entry_id: int, commenter: str, text: str) -> None:
        commenter, text = clean_line(commenter), clean_block(text)
        with self.store.transaction():
            self.store.conn.execute(
                "UPDATE commentary SET commenter = ?, text = ?, edited_at = ? WHERE id = ?",
                [commenter.strip(), text.strip(), self.store.clock(), entry_id],
            )
            self.store.record("commentary.edited", {"id": entry_id})

    def delete_commentary(self, entry_id: int) -> None:
        with self.store.transaction():
            self.store.conn.execute(
                "UPDATE commentary SET deleted_at = ? WHERE id = ?", [self.store.clock(), entry_id]
            )
            self.store.record("commentary.deleted", {"id": entry_id})

    def restore_commentary(self, entry_id: int) -> None:
        """Undo a deletion (the clerk's `u`)."""
        with self.store.transaction():
            self.store.conn.execute(
                "UPDATE commentary SET deleted_at = NULL WHERE id = ?", [entry_id]
            )
            self.store.record("commentary.restored", {"id": entry_id})

    def commentary(self, subject: str | None = None) -> list[Commentary]:
        query = (
            "SELECT id, subject_id, commenter, text, at FROM commentary WHERE deleted_at IS NULL"
        )
        args: list[object] = []
        if subject is not None:
            query += " AND subject_id = ?"
            args.append(self._subject_ids[subject])
        return [
            Commentary(r[0], self._subject_names[r[1]], r[2], r[3], r[4])
            for r in self.store.conn.execute(query + " ORDER BY at, id", args)
        ]

    # -- questions -------------------------------------------------------------

    def add_question(self, subject: str, asker: str, text: str) -> int:
        asker, text = clean_line(asker), clean_block(text)
        subject_id = self._subject_ids[subject]
        with self.store.transaction():
            last = self.store.conn.execute(
                "SELECT max(position) FROM questions WHERE subject_id = ?", [subject_id]
            ).fetchone()[0]
            cursor = self.store.conn.execute(
                "INSERT INTO questions (subject_id, asker, text, state, answer, position, "
                "created_at) VALUES (?, ?, ?, 'queued', '', ?, ?)",
                [subject_id, asker.strip(), text.strip(), (last or 0) + 1, self.store.clock()],
            )
            question_id = cursor.lastrowid
            assert question_id is not None  # set by the INSERT
            self.store.record(
                "question.added",
                {"id": question_id, "subject": subject, "asker": asker.strip()},
            )
        return question_id

    def questions(
        self, subject: str | None = None, *, include_withdrawn: bool = True
    ) -> list[Question]:
        query = (
            "SELECT id, subject_id, asker, text, state, answer, created_at, asked_at, "
            "answered_at FROM questions WHERE 1 = 1"
        )
        args: list[object] = []
        if subject is not None:
            query += " AND subject_id = ?"
            args.append(self._subject_ids[subject])
        if not include_withdrawn:
            query += " AND state != 'withdrawn'"
        rows = self.store.conn.execute(query + " ORDER BY subject_id, position", args)
        return [
            Question(r[0], self._subject_names[r[1]], r[2], r[3], QuestionState(r[4]), *r[5:])
            for r in rows
        ]

    def edit_question(self, question_id: int, asker: str, text: str) -> None:
        asker, text = clean_line(asker), clean_block(text)
        with self.store.transaction():
            self.store.conn.execute(
                "UPDATE questions SET asker = ?, text = ?, edited_at = ? WHERE id = ?",
                [asker.strip(), text.strip(), self.store.clock(), question_id],
            )
            self.store.record("question.edited", {"id": question_id})

    def mark_asking(self, question_id: int) -> None:
        """This question is being asked now; one at a time per subject."""
        with self.store.transaction():
            subject_id = self._subject_of(question_id)
            self.store.conn.execute(
                "UPDATE questions SET state = 'queued' WHERE subject_id = ? AND state = 'asking'",
                [subject_id],
            )
            self.store.conn.execute(
                "UPDATE questions SET state = 'asking', asked_at = coalesce(asked_at, ?) "
                "WHERE id = ?",
                [self.store.clock(), question_id],
            )
            self.store.record("question.asking", {"id": question_id})

    def answer(self, question_id: int, answer: str) -> None:
        answer = clean_block(answer)
        with self.store.transaction():
            now = self.store.clock()
            self.store.conn.execute(
                "UPDATE questions SET state = 'answered', answer = ?, "
                "asked_at = coalesce(asked_at, ?), answered_at = coalesce(answered_at, ?) "
                "WHERE id = ?",
                [answer.strip(), now, now, question_id],
            )
            self.store.record("question.answered", {"id": question_id})

    def withdraw(self, question_id: int) -> None:
        with self.store.transaction():
            self.store.conn.execute(
                "UPDATE questions SET state = 'withdrawn', withdrawn_at = ? WHERE id = ?",
                [self.store.clock(), question_id],
            )
            self.store.record("question.withdrawn", {"id": question_id})

    def restore_question(self, question_id: int, state: QuestionState) -> None:
        """Undo a withdrawal (the clerk's `u`): back to the state it had."""
        with self.store.transaction():
            self.store.conn.execute(
                "UPDATE questions SET state = ?, withdrawn_at = NULL WHERE id = ?",
                [state, question_id],
            )
            self.store.record("question.restored", {"id": question_id, "state": state})

    def move(self, question_id: int, delta: int) -> None:
        """Move a question up (-1) or down (+1) in its subject's queue."""
        with self.store.transaction():
            subject_id = self._subject_of(question_id)
            ids = [
                r[0]
                for r in self.store.conn.execute(
                    "SELECT id FROM questions WHERE subject_id = ? ORDER BY position", [subject_id]
                )
            ]
            index = ids.index(question_id)
            target = index + delta
            if not 0 <= target < len(ids):
                return
            ids[index], ids[target] = ids[target], ids[index]
            self.store.conn.executemany(
                "UPDATE questions SET position = ? WHERE id = ?",
                [(position, qid) for position, qid in enumerate(ids, 1)],
            )
            self.store.record("question.moved", {"id": question_id, "to": target + 1})

    def _subject_of(self, question_id: int) -> int:
        row: tuple[int] = self.store.conn.execute(
            "SELECT subject_id FROM questions WHERE id = ?", [question_id]
        ).fetchone()
        return row[0]
