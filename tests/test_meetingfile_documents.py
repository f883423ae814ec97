"""The meeting file's [documents], [roles] and [[attendees]]: read, checked with every
problem named, and used: who reports, comments and asks comes from the file."""

from __future__ import annotations

import datetime as dt

import pytest

from core.i18n import set_language
from core.meeting.file import MeetingFileError, parse_meeting
from core.meeting.model import BulletinOrder, Publish
from tests.conftest import DEMO_TEXT
from tests.office import text_of
from tui.cli import run


def problems(text: str) -> list[str]:
    with pytest.raises(MeetingFileError) as caught:
        parse_meeting(text)
    return caught.value.lines()


def test_the_demo_file_reads_whole():
    meeting = parse_meeting(DEMO_TEXT)
    documents = meeting.documents
    assert documents.issuer == documents.signature == "中共市人大常委会机关党组"
    assert documents.written_on == dt.date(2024, 2, 5) and documents.printed_on is None
    assert documents.number == "市人大机党〔{year}〕{n}号" and documents.number_start == 1
    assert documents.cc == ("驻市人大机关纪检监察组",)
    assert documents.bulletin.publish == Publish.SCORES
    assert documents.bulletin.order == BulletinOrder.RANK and documents.bulletin.number == 22
    assert documents.templates == {}
    roles = meeting.roles
    assert (roles.convener, roles.commenters, roles.askers, roles.reporter) == (
        "机关党组",
        "党组成员",
        "纪检监察人员",
        None,
    )
    assert meeting.attendees[0].name == "党组成员"
    assert len(meeting.attendee_names) == 76 == len(set(meeting.attendee_names))


def test_without_the_sections_the_papers_fall_back_to_the_organiser():
    start = DEMO_TEXT.index("[documents]")
    end = DEMO_TEXT.index("# 述职对象：")
    text = DEMO_TEXT[:start] + DEMO_TEXT[end:]
    text = text[: text.index("[[attendees]]")]
    text = text.replace(text[text.index("[roles]") : text.index("# 环节时长")], "")
    meeting = parse_meeting(text)
    assert meeting.documents.issuer == "" and meeting.attendees == ()
    assert meeting.roles.convener is None


@pytest.mark.parametrize(
    ("change", "where", "said"),
    [
        (
            ('number = "市人大机党〔{year}〕{n}号"', 'number = "机党〔{年}〕{n}号"'),
            "documents.number",
            "{年}",
        ),
        (
            ('number = "市人大机党〔{year}〕{n}号"', 'number = "机党〔{year〕号"'),
            "documents.number",
            "花括号",
        ),
        (("number_start = 1", "number_start = 0"), "documents.number_start", "1"),
        (("date = 2024-02-05", 'date = "二月五日"'), "documents.date", "日期"),
        (('cc = ["驻市人大机关纪检监察组"]', "cc = [3]"), "documents.cc[1]", "文字"),
        (('publish = "scores"', 'publish = "all"'), "documents.bulletin.publish", '"grades"'),
        (('order = "rank"', 'order = "score"'), "documents.bulletin.order", '"agenda"'),
        (('printer = "', 'seal = "x"\nprinter = "'), "documents.seal", "未知"),
        (('commenters = "党组成员"', 'commenters = ""'), "roles.commenters", "空"),
    ],
)
def test_a_wrong_value_is_named_with_its_field(change, where, said):
    lines = problems(DEMO_TEXT.replace(*change, 1))
    assert any(where in line and said in line for line in lines), lines


def test_a_template_must_be_a_word_document_and_a_kind_we_write():
    text = DEMO_TEXT + '\n[documents.templates]\nletter = "红头.doc"\nposter = "x.docx"\n'
    lines = problems(text)
    assert any("documents.templates.letter" in x and ".docx" in x for x in lines)
    assert any("documents.templates.poster" in x for x in lines)


def test_a_person_listed_twice_is_named_at_both_places():
    text = DEMO_TEXT.replace('"孙立新"]', '"孙立新", "李清"]', 1)
    lines = problems(text)
    assert any("attendees[1].names[8]" in x and "attendees[1].names[2]" in x for x in lines)
    empty = DEMO_TEXT.replace(
        'group = "列席人员"\nnames = ["冯启明", "蔡文斌", "丁雅琴", "潘思远"]',
        'group = "列席人员"\nnames = []',
    )
    assert any("attendees[7].names" in x for x in problems(empty))


NPC = (
    DEMO_TEXT.replace('convener = "机关党组"', 'convener = "主任会议"', 1)
    .replace('commenters = "党组成员"', 'commenters = "常委会组成人员"', 1)
    .replace('askers = "纪检监察人员"', 'askers = "人大代表"\nreporter = "主要负责同志"', 1)
)


def test_who_reports_comments_and_asks_comes_from_the_meeting_file(tmp_path):
    """A 人大常委会's own wording in the agenda, the minutes and the letters."""
    from core.office.demo import held_demo_meeting

    db = tmp_path / "npc.db"
    held_demo_meeting(db, NPC, "npc.toml")
    minutes = tmp_path / "记录.md"
    assert run(["minutes", "--db", str(db), "--out", str(minutes)]) == 0
    agenda = minutes.read_text("utf-8")
    assert (
        "1. 法工委（法制工作委员会）主要负责同志现场述职，常委会组成人员点评，人大代表询问"
        in agenda
    )
    assert "党组成员点评" not in agenda
    letters = tmp_path / "反馈"
    assert run(["feedback", "--db", str(db), "--out", str(letters)]) == 0
    first = text_of(next(letters.glob("01-*.docx")))
    assert (
        "根据主任会议安排" in first
        and "常委会组成人员对你单位述职作了点评，人大代表进行了询问" in first
    )
    poor = text_of(next(letters.glob("*-信息中心-*.docx")))
    assert "经主任会议研究确定为“一般”" in poor


def test_the_demos_roles_keep_todays_wording(tmp_path):
    from core.office.demo import held_demo_meeting

    db = tmp_path / "d.db"
    held_demo_meeting(db, DEMO_TEXT, "d.toml")
    minutes = tmp_path / "记录.md"
    assert run(["minutes", "--db", str(db), "--out", str(minutes)]) == 0
    assert "法工委（法制工作委员会）现场述职，党组成员点评，纪检监察人员询问" in minutes.read_text(
        "utf-8"
    )


def test_english_papers_without_roles_say_it_in_english(tmp_path):
    from core.meeting.store import MeetingStore
    from core.office.minutes_data import gather

    text = DEMO_TEXT.replace(
        DEMO_TEXT[DEMO_TEXT.index("[roles]") : DEMO_TEXT.index("# 环节时长")], ""
    )
    db = tmp_path / "e.db"
    MeetingStore.create(db, text, "e.toml").close()
    set_language("en")
    with MeetingStore(db) as store:
        agenda = gather(store).agenda
    assert agenda[0].endswith(
        "commentary by members of the party group; questions by discipline inspectors"
    )
