"""Where sanshu keeps its own files (demo database, crash log)."""

from __future__ import annotations

from pathlib import Path

import platformdirs


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir("sanshu"))


def crash_log() -> Path:
    path = data_dir() / "crash.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
