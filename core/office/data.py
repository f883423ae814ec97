"""Everything the office's result papers show beyond the tally itself.

The tally (core/tally.py) gives scores and grades. The papers also need: the
turnout per category, the category means behind every score (so anyone can
re-check a score by hand), the voters' comments, the warnings a reader must
see (a category that returned nothing, turnout under the quorum, a void round)
and whether the results are provisional (scoring still open).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from core.ballots.items import form_columns
from core.ballots.labels import invalid_reason_label
from core.ballots.lifecycle import recomputed_lines
from core.ballots.points import category_weights, label_mean
from core.ballots.results import load_computed
from core.ballots.tally import SubjectCounts, Tally
from core.ballots.turnout import over_expected, turnout
from core.i18n import t, tn
from core.meeting.labels import poll_label
from core.meeting.model import Poll
from core.meeting.store import MeetingStore
from core.office.document import chinese_date
from core.store import StoreError

# What a cell of the office's tables holds: text, a count, a vote share (Fraction), a
# reported score (Decimal), or nothing.
CellValue = str | int | float | Fraction | Decimal | None


class ResultsHidden(StoreError):
    """Scoring is still open and the meeting hides results until it closes."""


@dataclass(frozen=True)
class DetailRow:
    """One subject × criterion × voter category: what its part of the score is made of."""

    subject: str
    criterion: str
    category: str
    ballots: int  # valid ballots of this category
    scored: int  # of them, answers that carry points (abstentions and blanks left out)
    mean: Fraction | None  # mean points (trimmed when the rules trim); None: nobody scored
    weight: Fraction


@dataclass(frozen=True)
class OfficeResults:
    tally: Tally
    provisional: bool  # scoring not closed yet
    turnout: dict[str, tuple[int, int]]  # category → (returned, expected)
    details: tuple[DetailRow, ...]
    comments: dict[str, list[str]]  # subject → comments, sorted (no order that follows voters)
    warnings: tuple[str, ...]
    made_on: dt.date
    fingerprint: str  # of what the tally was computed from (结果校验码)

    @property
    def title(self) -> str:
        title = t("tally.title", title=self.tally.meeting.title)
        return f"{title}　" + t("tally.provisional") if self.provisional else title


def load_office_results(
    store: MeetingStore, *, provisional: bool = False, today: dt.date | None = None
) -> OfficeResults:
    """The tally and its paperwork. While scoring is open and the meeting hides results
    until it closes, this refuses unless `provisional` is asked for (every output then
    says so in its title)."""
    meeting = store.meeting
    state = store.state()
    still_open = state.poll != Poll.CLOSED
    hidden = still_open and meeting.poll.hide_results_until_close
    if hidden and not provisional:
        raise ResultsHidden(t("tally.hidden", poll=poll_label(state.poll)))
    computed = load_computed(store)  # counts, not every ballot again
    tally = computed.tally
    per_category = turnout(store)
    return OfficeResults(
        tally=tally,
        provisional=still_open,
        turnout=per_category,
        details=tuple(detail_rows(tally, computed.counted)),
        comments=computed.comments,
        # A reader must also know that the result was recomputed after a reopening.
        warnings=(*warnings(tally, per_category), *recomputed_lines(store)),
        made_on=today or dt.date.fromtimestamp(store.clock()),
        fingerprint=computed.fingerprint,
    )


def detail_rows(tally: Tally, counted: Mapping[str, SubjectCounts]) -> list[DetailRow]:
    """The category means behind each criterion score, computed by the tally's own rule
    (core.ballots.points.label_mean) from the same counts, so the two can never disagree."""
    meeting = tally.meeting
    rows = []
    for result in tally.subjects:
        subject = meeting.subject(result.name)
        weights = category_weights(meeting, subject)
        own = {} if tally.voided else counted.get(subject.name, SubjectCounts({}, {})).labels
        for column in form_columns(meeting):
            for category in meeting.categories:
                # Every valid ballot holds one choice (maybe blank) per item of the form.
                labels = own.get((column, category.name), {})
                rows.append(
                    DetailRow(
                        subject=subject.name,
                        criterion=column,
                        category=category.name,
                        ballots=sum(labels.values()),
                        scored=sum(
                            n for label, n in labels.items() if label and label != meeting.abstain
                        ),
                        mean=label_mean(meeting, labels),  # label → count
                        weight=weights.get(category.name, Fraction(0)),
                    )
                )
    return rows


def recompute_criterion(rows: list[DetailRow]) -> Fraction | None:
    """A criterion's score from its detail rows, as the spreadsheet formula does:
    Σ weight × mean / Σ weight, over the categories that scored."""
    scored = [(r.weight, r.mean) for r in rows if r.mean is not None and r.weight]
    weight = sum((w for w, _ in scored), Fraction(0))
    return sum((w * mean for w, mean in scored), Fraction(0)) / weight if weight else None


def warnings(tally: Tally, per_category: dict[str, tuple[int, int]]) -> list[str]:
    """What a reader must know before trusting the figures."""
    meeting = tally.meeting
    out = []
    if tally.voided:
        out.append(t("tally.voided"))
    for category, (returned, expected) in per_category.items():
        if returned == 0 and expected:
            out.append(t("tally.warn.no_ballots", category=category))
    out += over_expected(per_category)
    expected_total = meeting.expected_voters
    returned_total = sum(returned for returned, _ in per_category.values())
    quorum = meeting.quorum
    if quorum is not None and expected_total and returned_total < quorum * expected_total:
        out.append(
            tn(
                "tally.warn.quorum",
                returned_total,
                returned=returned_total,
                expected=expected_total,
                share=f"{returned_total / expected_total:.1%}",
                quorum=f"{float(quorum):.1%}",
            )
        )
    return out


def invalid_reason_text(kind: str) -> str:
    return invalid_reason_label(kind)


def ballots_caption(tally: Tally) -> list[str]:
    """Ballots issued, returned, valid, invalid (with reasons), paper; whether the round is
    void."""
    b = tally.ballots
    # 发出 counts printed slips only: say where the returned ballots came from, so
    # "发出 66 · 收回 72" never reads as more returned than issued.
    parts = t("tally.caption_phone", phone=b.returned - b.paper - b.imported)
    if b.paper:
        parts += t("tally.caption_paper", paper=b.paper)
    if b.imported:
        parts += t("tally.caption_imported", imported=b.imported)
    line = t(
        "tally.caption",
        issued=b.issued,
        returned=b.returned,
        parts=parts,
        valid=b.valid,
        invalid=b.invalid,
    )
    if b.invalid_reasons:
        reasons = "；".join(
            f"{invalid_reason_text(kind)} {count}" for kind, count in b.invalid_reasons.items()
        )
        line += t("tally.caption_reasons", reasons=reasons)
    return [line, t("tally.voided")] if tally.voided else [line]


def turnout_line(results: OfficeResults) -> str:
    returned = sum(r for r, _ in results.turnout.values())
    expected = sum(e for _, e in results.turnout.values())
    parts = "；".join(
        f"{name} {r}/{e}" + (f"（{r / e:.0%}）" if e else "")
        for name, (r, e) in results.turnout.items()
    )
    share = f"{returned / expected:.1%}" if expected else "—"
    return t("tally.turnout", returned=returned, expected=expected, share=share, parts=parts)


def made_by_line(results: OfficeResults) -> str:
    """制表单位, 制表日期 and the result's fingerprint: the last line of every table."""
    made_by = t(
        "tally.made_by",
        unit=results.tally.meeting.organiser or "—",
        date=chinese_date(results.made_on),
    )
    return f"{made_by}　　{fingerprint_line(results)}"


def fingerprint_line(results: OfficeResults) -> str:
    return t("fingerprint.line", code=results.fingerprint)
