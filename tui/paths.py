"""Where sanshu keeps its own files (the demo database, crash reports)."""

from __future__ import annotations

from pathlib import Path

import platformdirs


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir("sanshu"))
