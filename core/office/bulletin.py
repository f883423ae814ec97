"""The 通报 of the result, as the body publishes it, and the one-page 排名表 for the
主任会议 / 常委会: both from the tally exactly as `sanshu tally` reports it.

The meeting file says what the 通报 publishes ([documents.bulletin] publish: the
final score and the grade, or the grade only) and in what order (by rank, or in
the subjects' order); the 排名表 always shows 排名, 述职对象, 综合得分, 等次.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from core.ballots.tally import SubjectResult, Tally
from core.errors import StoreError
from core.i18n import t
from core.meeting.model import BulletinOrder, Combination, Meeting, Mode, Publish
from core.office import templates
from core.office.data import OfficeResults, fingerprint_line
from core.office.heads import atoms, convener, head_fields, sentence
from core.office.letters import figure


def _weight(value: Fraction) -> str:
    return f"{float(value * 100):g}%"


def method_text(meeting: Meeting) -> str:
    """How the grade is reached, in one or two sentences of the 通报."""
    rules = meeting.rules
    if rules.combination_method == Combination.COMMITTEE:
        return t("bulletin.method_committee", convener=convener(meeting))
    names = {"meeting": t("bulletin.part_meeting"), "daily": t("bulletin.part_daily")}
    parts = t("office.list_sep").join(
        t("bulletin.part", name=names.get(name, name), weight=_weight(weight))
        for name, weight in rules.combination.items()
    )
    text = t("bulletin.method", parts=parts) if len(rules.combination) > 1 else ""
    bands = rules.bands
    if bands:
        described = []
        for index, band in enumerate(bands):
            if index and index == len(bands) - 1 and band.min <= 0:  # the rest: below the last
                below = _score(bands[index - 1].min)
                described.append(t("bulletin.band_last", below=below, grade=band.grade))
            else:
                described.append(t("bulletin.band", low=_score(band.min), grade=band.grade))
        text += t("bulletin.bands", bands=t("office.clause_sep").join(described))
    return text


def _score(value: Fraction) -> str:
    return str(int(value)) if value == int(value) else f"{float(value):g}"


def ballots_parts(tally: Tally) -> str:
    """电子票 66 张、纸质票 6 张: where the returned ballots came from."""
    b = tally.ballots
    phone = b.returned - b.paper - b.imported
    parts = [t("bulletin.ballots_phone", count=phone)]
    if b.paper:
        parts.append(t("bulletin.ballots_paper", count=b.paper))
    if b.imported:
        parts.append(t("bulletin.ballots_imported", count=b.imported))
    return t("office.list_sep").join(parts)


def ordered(results: OfficeResults) -> list[SubjectResult]:
    """The subjects as the 通报 lists them: by rank, or in the subjects' order."""
    tally = results.tally
    meeting = tally.meeting
    if meeting.documents.bulletin.order == BulletinOrder.RANK:
        return list(tally.subjects)
    by_name = {r.name: r for r in tally.subjects}
    return [by_name[s.name] for s in (*meeting.onsite, *meeting.written)]


def _grade_text(result: SubjectResult) -> str:
    return result.final_grade or "—"


def bulletin_context(results: OfficeResults) -> dict[str, Any]:
    """Every field of the 通报 template (docs/templates.md)."""
    tally = results.tally
    meeting = tally.meeting
    documents = meeting.documents
    rules = documents.bulletin
    digits = meeting.rules.digits
    number = rules.number or documents.number_start + len(meeting.subjects)
    context: dict[str, Any] = head_fields(meeting, results.made_on, number)
    listed = ordered(results)
    grades = [g.label for g in meeting.grades]
    context.update(
        {
            "主送机关": rules.addressee or t("bulletin.addressee"),
            "对象总数": str(len(meeting.subjects)),
            "现场述职数": str(sum(1 for s in meeting.subjects if s.mode == Mode.ONSITE)),
            "书面述职数": str(sum(1 for s in meeting.subjects if s.mode == Mode.WRITTEN)),
            "应到人数": str(meeting.expected_voters),
            "收回票数": str(tally.ballots.returned),
            "有效票数": str(tally.ballots.valid),
            "票数构成": ballots_parts(tally),
            templates.FINGERPRINT_FIELD: results.fingerprint,
            "计分方法": method_text(meeting),
            "公布得分": rules.publish == Publish.SCORES,
            "排列说明": (
                t("bulletin.order_rank")
                if rules.order == BulletinOrder.RANK
                else t("bulletin.order_agenda")
            ),
            "结果": [
                {
                    "序号": str(position),
                    "名次": "—" if r.rank is None else str(r.rank),
                    "述职对象": r.name,
                    "综合得分": figure(r.final_score, digits),
                    "等次": _grade_text(r),
                }
                for position, r in enumerate(listed, 1)
            ],
            "等次汇总": [
                {"等次": grade, "个数": str(len(names)), "名单": "、".join(names)}
                for grade, names in (
                    (grade, [r.name for r in listed if r.final_grade == grade]) for grade in grades
                )
            ],
            "调整": [
                {
                    "述职对象": r.name,
                    "计算等次": r.computed_grade or "—",
                    "最终等次": _grade_text(r),
                    "理由": sentence(r.override_reason or ""),
                }
                for r in listed
                if r.override_reason
            ],
        }
    )
    return context


def write_bulletin(results: OfficeResults, template: templates.Template, path: Path) -> None:
    if results.tally.voided:
        raise StoreError(t("tally.voided"))
    context = bulletin_context(results)
    templates.check(template, context)
    templates.write(template, context, path, atoms(results.tally.meeting))


# -- the 排名表 ------------------------------------------------------------------------


def ranking_notes(results: OfficeResults) -> list[str]:
    """What a reader of the 排名表 must know: how the score is made, the committee's
    changes, missing parts, warnings."""
    tally = results.tally
    meeting = tally.meeting
    notes = []
    method = method_text(meeting)
    if method:
        notes.append(t("ranking.note_method", text=method))
    changed = []
    for r in tally.subjects:
        if r.override_reason:
            computed, final = r.computed_grade or "—", r.final_grade or "—"
            changed.append(t("ranking.override", name=r.name, computed=computed, final=final))
    if changed:
        names = "；".join(changed)
        notes.append(t("ranking.note_override", convener=convener(meeting), names=names))
    missing = [r.name for r in tally.subjects if any(v is None for v in r.components.values())]
    if missing:
        notes.append(t("ranking.note_missing", names="、".join(missing)))
    notes += [f"⚠ {line}" for line in results.warnings]
    if results.provisional:
        notes.append("⚠ " + t("tally.provisional"))
    notes.append(fingerprint_line(results))
    return notes


def ranking_rows(results: OfficeResults) -> list[dict[str, str]]:
    digits = results.tally.meeting.rules.digits
    return [
        {
            "名次": "—" if r.rank is None else str(r.rank),
            "述职对象": r.name,
            "综合得分": figure(r.final_score, digits),
            "等次": _grade_text(r) + ("*" if r.override_reason else ""),
        }
        for r in results.tally.subjects
    ]


def ranking_context(results: OfficeResults) -> dict[str, Any]:
    meeting = results.tally.meeting
    context: dict[str, Any] = head_fields(meeting, results.made_on)
    context.update(
        {
            "排名": ranking_rows(results),
            "说明": ranking_notes(results),
            templates.FINGERPRINT_FIELD: results.fingerprint,
        }
    )
    return context


def write_ranking_docx(results: OfficeResults, template: templates.Template, path: Path) -> None:
    context = ranking_context(results)
    templates.check(template, context)
    templates.write(template, context, path, atoms(results.tally.meeting))
