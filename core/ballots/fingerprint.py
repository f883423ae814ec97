"""A result's fingerprint (结果校验码): a short code of everything a tally is computed
from, printed on every paper that carries results.

Two papers with the same code were computed from the same rules, ballots, daily
scores, overrides and comments; a paper whose code differs from the meeting's
current one is out of date (`sanshu tally --check FILE`). The code is a pure
function of what the tally reads (the counts of valid choices, the ballots by
source and problem, the rules as written), so the stored counts and a count of
every ballot again give the same code (tests/test_lifecycle.py checks it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction

from core.ballots.tally import BallotCounts, Override, SubjectCounts

# How a fingerprint is written, and found again in a file (either language's label).
FINGERPRINT = re.compile(r"\b([0-9A-F]{4}-[0-9A-F]{4})\b")
LABELLED = re.compile(r"(?:校验码|check code)\s*[:：]?\s*([0-9A-F]{4}-[0-9A-F]{4})", re.IGNORECASE)


def fingerprint(
    rules: str,
    ballots: BallotCounts,
    counted: Mapping[str, SubjectCounts],
    *,
    daily: Mapping[str, Mapping[str, Fraction]],
    overrides: Mapping[str, Override],
    comments: Mapping[str, Sequence[str]],
) -> str:
    """Eight hex digits, `7F3A-91C2`: the first 32 bits of a SHA-256 over a canonical
    form of the tally's inputs (a chance of one in four billion that an outdated paper
    happens to carry the current code)."""
    choices: Counter[tuple[str, str, str, str]] = Counter()
    graded: Counter[tuple[str, str]] = Counter()
    for subject, counts in counted.items():
        for (column, category), labels in counts.labels.items():
            for label, n in labels.items():
                choices[(subject, column, category, label or "")] += n  # blank: one key
        for category, n in counts.graded.items():
            graded[(subject, category)] += n
    canonical = {
        "rules": hashlib.sha256(rules.encode("utf-8")).hexdigest(),
        "ballots": [
            ballots.issued,
            ballots.returned,
            ballots.valid,
            ballots.invalid,
            ballots.paper,
            ballots.imported,
            sorted((str(kind), n) for kind, n in ballots.invalid_reasons.items() if n),
        ],
        "choices": sorted([*key, n] for key, n in choices.items() if n),
        "graded": sorted([*key, n] for key, n in graded.items() if n),
        "daily": sorted(
            (subject, name, str(value))
            for subject, parts in daily.items()
            for name, value in parts.items()
        ),
        "overrides": sorted((subject, o.grade, o.reason) for subject, o in overrides.items()),
        "comments": sorted(
            (subject, text) for subject, texts in comments.items() for text in texts
        ),
    }
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8].upper()
    return f"{digest[:4]}-{digest[4:]}"


def found_in(text: str) -> str | None:
    """The fingerprint a paper's text carries after its label (结果校验码：…), if any."""
    match = LABELLED.search(text)
    return match.group(1).upper() if match else None
