"""`sanshu display --web`: the projector's view as a web page, for a big screen driven
by another computer (the page itself: `core/web/screen.py`)."""

from __future__ import annotations

from pathlib import Path

from core.i18n import t
from tui.cli.common import screen


def print_web_screen(db_path: Path) -> None:
    """A new key (the previous address stops working), the service started if it is not
    running, and the address to open on the big screen's browser."""
    from core.ballots.slips import ballot_address
    from core.meeting.store import MeetingStore
    from core.web.screen import new_key
    from core.web.serve import ensure_service

    with MeetingStore(db_path, actor="display") as store:
        key = new_key(store)
        ensure_service(store, db_path)
        address = f"{ballot_address(store)}/screen?key={key}"
    screen.print(t("cli.display.web", url=address), highlight=False, soft_wrap=True)
