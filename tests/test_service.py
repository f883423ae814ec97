"""The podium finds the ballot service for its meeting, or starts it."""

from __future__ import annotations

import os
import signal

from core.web.serve import ensure_service, service_answers
from tests.conftest import free_port, wait_for


def test_ensure_service_starts_it_once_and_finds_it_again(demo_db, store):
    store.set_meta("serve_port", str(free_port()))
    assert not service_answers(store)
    assert ensure_service(store, demo_db) is False  # not there yet: started now
    try:
        wait_for(lambda: service_answers(store), what="the started service to answer")
        assert service_answers(store)
        assert ensure_service(store, demo_db) is True  # a restarted console finds it
    finally:
        pid = int(store.meta("serve_pid"))
        os.kill(pid, signal.SIGTERM)


def test_a_service_for_another_meeting_is_not_ours(demo_db, store, tmp_path, clock):
    from core.meeting.store import MeetingStore
    from tests.conftest import DEMO_TEXT

    other_db = tmp_path / "other.db"
    other = MeetingStore.create(other_db, DEMO_TEXT, "other.toml", clock=clock)
    port = free_port()
    other.set_meta("serve_port", str(port))
    store.set_meta("serve_port", str(port))
    ensure_service(other, other_db)
    try:
        wait_for(lambda: service_answers(other), what="the other meeting's service")
        assert service_answers(other)
        assert not service_answers(store)  # same port, different meeting
    finally:
        os.kill(int(other.meta("serve_pid")), signal.SIGTERM)
