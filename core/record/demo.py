"""The demo meeting as it was held: sign-in, each on-site subject's report, commentary
and questions with their times, as the host and the clerk would have logged them.

Deterministic: the same meeting every time, on the demo's own clock (the morning of
the meeting date), so the minutes, the letters and the sign-in record read like the
office's real papers. The ballots are `core.ballots.demo`; `core.office.demo` puts
the two together.
"""

from __future__ import annotations

from core.meeting.model import Phase
from core.meeting.store import MeetingStore
from core.record.attendance import Mark, set_mark
from core.record.entries import Record


class SteppingClock:
    """A clock the demo moves by hand: every stored instant is where the demo says."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


CLERK = "王记录"
# (report, commentary, questions) in seconds, per on-site subject: the first subject's
# questions and the second's report run over.
PHASE_SECONDS = ((462, 270, 520), (515, 300, 430), (440, 255, 395), (470, 280, 455))
COMMENTARY = (
    ("李清", "支部品牌建设有特色，立法与党建结合得紧，要进一步发挥示范引领作用。"),
    ("王建国", "问题查摆还不够具体，整改措施要有时限、可检验。"),
)
QUESTIONS = (
    (
        "高天庚",
        "廉政风险点排查是否覆盖全部岗位？发现的问题如何整改？",
        "共排查风险点9个，覆盖全部岗位，已逐一制定防控措施，纳入支部台账跟踪。",
    ),
    (
        "机关纪委书记",
        "如何落实“一岗双责”，做到管业务同时管党风廉政？",
        "把党风廉政建设与业务工作同部署同检查，每季度在支委会上专题研究一次。",
    ),
)
UNANSWERED = ("驻机关纪检监察组组长", "支部集体学习流于形式的问题，下一步有什么具体打算？")
ON_LEAVE = {"丁雅琴": "因公出差"}  # 列席人员
ABSENT = ("潘思远",)


def sign_in(store: MeetingStore, clock: SteppingClock) -> None:
    """Everyone on the list signs in before nine, but one on leave and one absent."""
    for group in store.meeting.attendees:
        for name in group.people:
            if name in ON_LEAVE:
                set_mark(store, name, Mark.LEAVE, ON_LEAVE[name])
            elif name in ABSENT:
                set_mark(store, name, Mark.ABSENT)
            else:
                set_mark(store, name, Mark.PRESENT)
            clock.advance(7)


def hold_reports(store: MeetingStore, clock: SteppingClock) -> None:
    """Each on-site subject: 述职, 点评, 询问, timed; the clerk logs as it happens. Ends
    with the agenda at 测评."""
    store.set_meta("clerk_name", CLERK)
    record = Record(store)
    store.toggle_timer()  # the host presses Space: the first report begins
    for index, subject in enumerate(store.meeting.onsite):
        report_s, commentary_s, questions_s = PHASE_SECONDS[index % len(PHASE_SECONDS)]
        clock.advance(report_s)
        store.move(1)  # 点评 (its clock starts by itself)
        for commenter, text in COMMENTARY:
            clock.advance(commentary_s // 3)
            record.add_commentary(subject.name, commenter, text)
        clock.advance(commentary_s - 2 * (commentary_s // 3))
        store.move(1)  # 询问
        for asker, question, answer in QUESTIONS:
            asked = record.add_question(subject.name, asker, question)
            record.mark_asking(asked)
            clock.advance(questions_s // 3)
            record.answer(asked, answer)
        if index == 0:  # asked as time ran out, never answered
            left = record.add_question(subject.name, *UNANSWERED)
            record.mark_asking(left)
        clock.advance(questions_s - 2 * (questions_s // 3))
        store.move(1)  # the next subject's report, or 测评
    assert store.state().step.phase == Phase.SCORING
