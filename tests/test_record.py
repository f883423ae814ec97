"""Two writers, one file: host and clerk together lose nothing."""

from __future__ import annotations

import threading

from core.meeting.store import MeetingStore
from core.record.entries import Record


def test_host_and_clerk_write_hundreds_of_entries_at_the_same_moment(demo_db):
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def clerk() -> None:
        try:
            record = Record(MeetingStore(demo_db, actor="clerk"))
            start.wait()
            for i in range(300):
                record.add_question("法工委", "询问人", f"问题 {i}")
                record.add_commentary("法工委", "李清", f"点评 {i}")
        except BaseException as exc:
            errors.append(exc)

    def host() -> None:
        try:
            store = MeetingStore(demo_db, actor="host")
            start.wait()
            for i in range(300):
                store.toggle_timer()
                if i % 50 == 49:
                    store.adjust_timer(30)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=clerk), threading.Thread(target=host)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    store = MeetingStore(demo_db)
    record = Record(store)
    assert [q.text for q in record.questions("法工委")] == [f"问题 {i}" for i in range(300)]
    assert len(record.commentary("法工委")) == 300
    assert len(store.events("timer.")) == 306
    assert len(store.events("question.added")) == 300
