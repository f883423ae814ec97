"""The demo meeting as the office gets it after the meeting: held (sign-in, reports,
commentary, questions, `core.record.demo`), voted (72 ballots, `core.ballots.demo`)
and decided (one grade set by the party group), on the demo's own clock: the
morning of 30 January 2024. `sanshu demo --with-ballots` opens it; the renderings
in docs/ are its papers (scripts/render_office.py)."""

from __future__ import annotations

from pathlib import Path

from core.ballots.demo import fill_demo_ballots
from core.ballots.results import set_override
from core.meeting.store import MeetingStore
from core.record.demo import SteppingClock, hold_reports, sign_in

SIGN_IN_AT = 1_706_575_800.0  # 2024-01-30 08:50 in Beijing
START_AT = 1_706_576_400.0  # 09:00
VOTING_S = 12 * 60
OVERRIDE = ("信息中心", "一般", "年度内发生一起信息安全事件，经党组研究确定")


def held_demo_meeting(path: Path, source: str, source_name: str) -> int:
    """Create the demo meeting at `path` as it stands after the meeting; returns the
    number of ballots. The agenda is left at 结果."""
    clock = SteppingClock(SIGN_IN_AT)
    with MeetingStore.create(path, source, source_name, force=True, clock=clock) as store:
        sign_in(store, clock)
        clock.now = max(clock.now, START_AT)
        hold_reports(store, clock)
        count = fill_demo_ballots(store, voting=lambda: clock.advance(VOTING_S))
        store.move(1)  # 结果
        subject, grade, reason = OVERRIDE
        if subject in {s.name for s in store.meeting.subjects}:
            set_override(store, subject, grade, reason)
    return count
