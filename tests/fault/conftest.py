"""The fault suite: crashes, bad input, writers at once (issue #14, targets 6-8).

Small scale by default (CI, under 3 minutes in all); `SANSHU_FAULT=full` runs the
full scale the issue names (1,000 voters, thousands of fuzzed inputs).
"""

from __future__ import annotations

import os

FULL = os.environ.get("SANSHU_FAULT", "").lower() == "full"


def scale(ci: int, full: int) -> int:
    return full if FULL else ci
