"""Messages widgets send up to their app."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class EntrySubmitted(Message):
    """Enter was pressed in an EntryArea: save what was typed."""

    area_id: str
    text: str
    subject: str = ""  # the subject the text was typed for (the clerk's boxes)
    who: str = ""  # the name beside it when Enter was pressed
