"""Sample meeting files and templates, shipped as the `sanshu_data` package."""

from importlib.resources import files
from pathlib import Path


def demo_meeting_path() -> Path:
    return Path(str(files(__name__) / "demo-meeting.toml"))


def sample_reports_path() -> Path:
    """Sample 述职报告 for the demo's subjects, some passing the checks, some not."""
    return Path(str(files(__name__) / "reports"))
