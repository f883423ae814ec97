"""Save SVG screenshots of the podium console (used for the README and reviews).

.venv/bin/python scripts/screenshot.py [OUT_DIR]
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.cells import cell_len
from sanshu_data import demo_meeting_path

from core.meeting.store import MeetingStore
from tests.conftest import FakeClock
from tui.host import HostApp

CELL_WIDTH = 12.2  # Textual's SVG export: one terminal cell
_TEXT = re.compile(r'(<text [^>]*?textLength=")([0-9.]+)("[^>]*>)([^<]*)(</text>)')


def fix_wide_characters(svg: str) -> str:
    """Textual sizes each SVG text run by its character count; Chinese characters take
    two cells, so give each run its width in cells or browsers squeeze the glyphs."""

    def widen(match: re.Match[str]) -> str:
        width = cell_len(html.unescape(match.group(4))) * CELL_WIDTH
        return f"{match.group(1)}{width:.1f}{match.group(3)}{match.group(4)}{match.group(5)}"

    return _TEXT.sub(widen, svg)


async def shoot(out: Path, size: tuple[int, int], name: str, seconds_in: float) -> Path:
    clock = FakeClock()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        MeetingStore.create(
            db, demo_meeting_path().read_text("utf-8"), "demo-meeting.toml", clock=clock
        ).close()
        app = HostApp(db, clock=clock, manage_service=False)
        async with app.run_test(size=size) as pilot:
            await pilot.press("space")
            clock.advance(seconds_in)
            await pilot.pause(0.3)
            path = out / name
            svg = fix_wide_characters(app.export_screenshot(title="三述 · 主持台"))
            path.write_text(svg, encoding="utf-8")
    return path


async def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    print(await shoot(out, (120, 32), "host-console.svg", 155))
    if len(sys.argv) > 1:  # review sizes
        print(await shoot(out, (80, 24), "host-80x24.svg", 440))
        print(await shoot(out, (200, 60), "host-200x60.svg", 500))


if __name__ == "__main__":
    asyncio.run(main())
