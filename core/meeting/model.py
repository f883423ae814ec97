"""The meeting as plain, immutable data.

Numbers that feed the tally (points, weights, scores, shares) are `Fraction`s so
that arithmetic stays exact; only reported figures are ever rounded.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar, cast

T = TypeVar("T")


class Phase(StrEnum):
    """A step of the agenda: 述职 → 点评 → 询问 per on-site subject, then 测评, then 结果."""

    REPORT = "report"
    COMMENTARY = "commentary"
    QUESTIONS = "questions"
    SCORING = "scoring"
    RESULTS = "results"


class Mode(StrEnum):
    ONSITE = "onsite"  # 现场述职
    WRITTEN = "written"  # 书面述职


class Poll(StrEnum):
    """Whether phones (and paper ballots) may vote now."""

    NOT_OPEN = "not_open"
    OPEN = "open"
    CLOSED = "closed"


class Layout(StrEnum):
    """What a ballot grades per subject."""

    PER_CRITERION = "per_criterion"
    OVERALL = "overall"
    PER_CRITERION_AND_OVERALL = "per_criterion_and_overall"
    NUMERIC = "numeric"


class BlankPolicy(StrEnum):
    ABSTAIN = "abstain"  # a blank item is an abstention
    INVALID = "invalid"  # a blank item voids the ballot


class Combination(StrEnum):
    WEIGHTED = "weighted"  # the final score weighs the meeting's and the daily scores
    COMMITTEE = "committee"  # no formula: the committee decides, informed by the numbers


ONSITE_PHASES: tuple[Phase, ...] = (Phase.REPORT, Phase.COMMENTARY, Phase.QUESTIONS)
TIMED_PHASES: tuple[Phase, ...] = (*ONSITE_PHASES, Phase.SCORING)
MODES: tuple[Mode, ...] = tuple(Mode)
# How a clerk writes a mode (as in the roster workbook); the file stores the English.
MODE_SPELLINGS: dict[str, Mode] = {
    "现场": Mode.ONSITE,
    "书面": Mode.WRITTEN,
    "现场述职": Mode.ONSITE,
    "书面述职": Mode.WRITTEN,
}
LAYOUTS: tuple[Layout, ...] = tuple(Layout)
BLANK_POLICIES: tuple[BlankPolicy, ...] = tuple(BlankPolicy)
COMBINATION_METHODS: tuple[Combination, ...] = tuple(Combination)


@dataclass(frozen=True)
class Grade:
    label: str
    points: Fraction


@dataclass(frozen=True)
class Category:
    name: str
    weight: Fraction
    expected: int


@dataclass(frozen=True)
class PhaseTiming:
    """How long a phase lasts and when its timer changes colour (seconds left)."""

    duration: int
    warning: int
    danger: int
    auto_start: bool = False


@dataclass(frozen=True)
class Subject:
    name: str
    unit: str
    mode: Mode
    order: int
    person: str = ""
    # External score components by name, e.g. {"daily": Fraction(91)}.
    scores: dict[str, Fraction] = field(default_factory=dict)
    # Per-subject overrides of phase timings and category weights.
    timings: dict[Phase, PhaseTiming] = field(default_factory=dict)
    weights: dict[str, Fraction] | None = None

    @property
    def daily(self) -> Fraction | None:
        return self.scores.get("daily")


@dataclass(frozen=True)
class Trim:
    enabled: bool = False
    more_than: int = 5  # trim the highest and lowest grade when a group has more raters


@dataclass(frozen=True)
class Validity:
    top_grade_quota: Fraction | None = None  # share of subjects that may get the top grade
    all_same_invalid: bool = False
    blank: BlankPolicy = BlankPolicy.ABSTAIN
    over_return_voids: bool = True


@dataclass(frozen=True)
class Band:
    min: Fraction
    grade: str


@dataclass(frozen=True)
class ShareRule:
    """When the share of `grades` among non-abstain grades is above/below a bound,
    force the final grade and/or raise a flag."""

    grades: tuple[str, ...]
    above: Fraction | None = None
    below: Fraction | None = None
    grade: str | None = None
    flag: str | None = None


@dataclass(frozen=True)
class Alert:
    """A follow-up flag raised by the final grade or a final score under a bound."""

    flag: str
    grade: str | None = None
    score_below: Fraction | None = None


@dataclass(frozen=True)
class Rules:
    layout: Layout = Layout.PER_CRITERION
    numeric_range: tuple[Fraction, Fraction] = (Fraction(0), Fraction(100))
    average_within_category: bool = True
    trim: Trim = Trim()
    validity: Validity = Validity()
    combination_method: Combination = Combination.WEIGHTED
    combination: dict[str, Fraction] = field(default_factory=lambda: {"meeting": Fraction(1)})
    bands: tuple[Band, ...] = ()
    share_rules: tuple[ShareRule, ...] = ()
    alerts: tuple[Alert, ...] = ()
    digits: int = 2


@dataclass(frozen=True)
class PollRules:
    allow_revision: bool = False
    hide_results_until_close: bool = True


@dataclass(frozen=True)
class ReportSection:
    """A part a subject's report must have, found by its heading's text."""

    headings: tuple[str, ...]  # the first is its name; any of them may head the section
    min_share: Fraction | None = None
    max_share: Fraction | None = None

    @property
    def name(self) -> str:
        return self.headings[0]


@dataclass(frozen=True)
class ReportRules:
    """What the office checks in the reports before the meeting ([reports])."""

    min_chars: int | None = None  # Chinese characters
    max_chars: int | None = None
    sections: tuple[ReportSection, ...] = ()


@dataclass(frozen=True)
class FeedbackRules:
    """The written feedback after the meeting ([feedback])."""

    rectify_days: int = 90  # a 差 subject's deadline to rectify, counted from the meeting


class Publish(StrEnum):
    """What the 通报 publishes of each subject's result."""

    SCORES = "scores"  # the final score and the grade
    GRADES = "grades"  # the grade only


class BulletinOrder(StrEnum):
    RANK = "rank"  # by final score, highest first
    AGENDA = "agenda"  # the subjects' order (on-site first, as on the ballot)


PUBLISH_CHOICES: tuple[Publish, ...] = tuple(Publish)
BULLETIN_ORDERS: tuple[BulletinOrder, ...] = tuple(BulletinOrder)

# The documents an office can replace with its own Word template ([documents] templates).
DOCUMENT_KINDS: tuple[str, ...] = ("letter", "bulletin", "minutes", "ranking", "ballot", "signin")


@dataclass(frozen=True)
class BulletinRules:
    """The 通报 of the result ([documents.bulletin])."""

    publish: Publish = Publish.SCORES
    order: BulletinOrder = BulletinOrder.RANK
    number: int | None = None  # its {n} in the 字号 pattern; None: the one after the letters
    addressee: str = ""  # 主送机关


@dataclass(frozen=True)
class DocumentSettings:
    """What the office's papers carry around their body ([documents]): the 版头, the
    署名 and 成文日期, the 版记, and the office's own templates. Empty texts fall back
    to the meeting's organiser; no date means the day the paper is written."""

    issuer: str = ""  # 发文机关标志 (the red head)
    signature: str = ""  # 署名
    written_on: date | None = None  # 成文日期
    printed_on: date | None = None  # 印发日期 (default: the 成文日期)
    number: str = ""  # 发文字号 pattern, e.g. 常办发〔{year}〕{n}号; empty: no 字号 line
    number_start: int = 1  # {n} of the first feedback letter; the letters count up
    cc: tuple[str, ...] = ()  # 抄送
    printer: str = ""  # 印发机关
    templates: dict[str, str] = field(default_factory=dict)  # kind → the office's .docx
    bulletin: BulletinRules = BulletinRules()


@dataclass(frozen=True)
class Roles:
    """Who does what at the meeting, as the papers name them ([roles]); None: the
    wording of the language's default (党组成员 comment, 纪检监察人员 ask)."""

    convener: str | None = None  # who holds the meeting and decides: 机关党组
    reporter: str | None = None  # who speaks for a subject, after its name: 主要负责同志
    commenters: str | None = None  # who comments: 党组成员
    askers: str | None = None  # who asks: 纪检监察人员


@dataclass(frozen=True)
class AttendeeGroup:
    """People expected at the meeting, by group (常委会组成人员, 列席人员 …)."""

    name: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class VenueNetwork:
    """The venue's network ([venue]): where phones reach the ballot service, and the
    Wi-Fi they join (its QR code goes on the slips and the projector)."""

    address: str | None = None  # the laptop's address the slips carry, e.g. its hotspot's
    port: int | None = None
    wifi_name: str = ""
    wifi_password: str = ""
    security: str = "WPA"  # WPA (WPA2/WPA3 too), WEP, or nopass for an open network
    hidden: bool = False


@dataclass(frozen=True)
class Meeting:
    title: str
    date: date
    venue: str
    organiser: str
    criteria: tuple[str, ...]
    grades: tuple[Grade, ...]  # best first
    abstain: str | None
    categories: tuple[Category, ...]
    subjects: tuple[Subject, ...]
    timings: dict[Phase, PhaseTiming]
    rules: Rules
    poll: PollRules
    commenters: tuple[str, ...] = ()
    askers: tuple[str, ...] = ()
    reports: ReportRules = ReportRules()
    feedback: FeedbackRules = FeedbackRules()
    host: str = ""  # 主持人, for the minutes
    recorder: str = ""  # 记录人; the clerk's --name when unset
    quorum: Fraction | None = None  # share of expected voters below which results are flagged
    # The podium's clicker keys the file sets ([keys]): next, previous, blank, scoring,
    # results → Textual key names. Actions left out keep the console's defaults.
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    documents: DocumentSettings = DocumentSettings()
    roles: Roles = Roles()
    attendees: tuple[AttendeeGroup, ...] = ()  # who should attend (the sign-in sheet)
    network: VenueNetwork = VenueNetwork()  # [venue]

    @functools.cached_property  # a meeting never changes once read
    def onsite(self) -> tuple[Subject, ...]:
        return tuple(sorted((s for s in self.subjects if s.mode == Mode.ONSITE), key=_order))

    @functools.cached_property
    def written(self) -> tuple[Subject, ...]:
        return tuple(sorted((s for s in self.subjects if s.mode == Mode.WRITTEN), key=_order))

    @property
    def expected_voters(self) -> int:
        return sum(c.expected for c in self.categories)

    @property
    def attendee_names(self) -> tuple[str, ...]:
        return tuple(name for group in self.attendees for name in group.people)

    def subject(self, name: str) -> Subject:
        for s in self.subjects:
            if s.name == name:
                return s
        raise KeyError(name)

    def timing(self, phase: Phase, subject: Subject | None = None) -> PhaseTiming:
        if subject is not None and phase in subject.timings:
            return subject.timings[phase]
        return self.timings[phase]


def _order(subject: Subject) -> int:
    return subject.order


def derived(fn: Callable[[Meeting], T]) -> Callable[[Meeting], T]:
    """Memoise a pure function of a meeting on the meeting itself.

    A meeting never changes once read, so what follows from it alone (the form's
    items, its field names) is worked out once instead of on every ballot. The value
    is shared: callers must not mutate it (return tuples, frozensets, or dicts
    nobody writes to).
    """
    slot = f"_derived_{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def cached(meeting: Meeting) -> T:
        memo = meeting.__dict__  # frozen dataclass: fields are fixed, the dict is not
        try:
            return cast(T, memo[slot])  # only `cached` writes this slot, with fn's value
        except KeyError:
            value = memo[slot] = fn(meeting)
            return value

    return cached
