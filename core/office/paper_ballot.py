"""The paper ballot (纸质测评票): one A4 form per voter category, for voters without a
phone. The same subjects, criteria and choices in the same order as the phone form
and the clerk's paper-entry screen (`core.ballots.items`), so the clerk types what
is ticked in the order it is printed; the rules in one paragraph; a comment line
per subject; the voter category printed; no name field."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from core.ballots.items import choice_labels, form_columns
from core.ballots.validity import top_grade_limit
from core.i18n import t
from core.meeting.model import BlankPolicy, Layout, Meeting
from core.office import templates
from core.office.heads import atoms, head_fields


def _number(value: Fraction) -> str:
    return str(int(value)) if value == int(value) else f"{float(value):g}"


def rules_text(meeting: Meeting) -> str:
    """What a paper voter must know, from the meeting's own rules, as one paragraph."""
    rules = meeting.rules
    if rules.layout == Layout.NUMERIC:
        low, high = rules.numeric_range
        parts = [t("paper.rule.numeric", low=_number(low), high=_number(high))]
    else:
        grades = " / ".join(g.label for g in meeting.grades)
        parts = [t("paper.rule.grades", grades=grades)]
        if meeting.abstain:
            parts.append(t("paper.rule.abstain", abstain=meeting.abstain))
        limit = top_grade_limit(meeting)
        if limit is not None:
            parts.append(t("paper.rule.quota", grade=meeting.grades[0].label, limit=limit))
        if rules.validity.all_same_invalid:
            parts.append(t("paper.rule.all_same"))
    if rules.validity.blank == BlankPolicy.INVALID:
        parts.append(t("paper.rule.blank_invalid"))
    else:
        parts.append(t("paper.rule.blank_abstain"))
    parts.append(t("paper.rule.comments"))
    return "".join(parts)


def choices(meeting: Meeting) -> list[str]:
    if meeting.rules.layout == Layout.NUMERIC:
        return [t("paper.score")]
    return list(choice_labels(meeting))


def ballot_context(
    meeting: Meeting, made_on: Any, categories: list[str] | None = None
) -> dict[str, Any]:
    """Every field of the paper-ballot template (docs/templates.md)."""
    subjects = [
        {"序号": str(n), "名称": s.name}
        for n, s in enumerate((*meeting.onsite, *meeting.written), 1)
    ]
    chosen = categories or [c.name for c in meeting.categories]
    labels = choices(meeting)
    context: dict[str, Any] = head_fields(meeting, made_on)
    context.update(
        {
            "表": [{"类别": name, "述职对象": subjects} for name in chosen],
            "测评项目": list(form_columns(meeting)),
            "选项": labels,
            "选项数": len(labels),
            "填写说明": rules_text(meeting),
            "投票说明": t("paper.secret"),
        }
    )
    return context


def write_paper_ballot(
    meeting: Meeting,
    made_on: Any,
    template: templates.Template,
    path: Path,
    categories: list[str] | None = None,
) -> None:
    context = ballot_context(meeting, made_on, categories)
    templates.check(template, context)
    templates.write(template, context, path, atoms(meeting))
