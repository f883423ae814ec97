"""Drafts: what a clerk has typed but not saved, kept as it is typed so a killed
console loses nothing. Stored in the store's key/value table (no audit event: a
draft is not part of the record until it is saved)."""

from __future__ import annotations

from core.meeting.store import MeetingStore

_DRAFT = "draft\x1f{clerk}\x1f{box}\x1f{subject}"


def save_draft(store: MeetingStore, clerk: str, box: str, subject: str, text: str) -> None:
    key = _DRAFT.format(clerk=clerk, box=box, subject=subject)
    store.set_meta(key, text if text.strip() else None)


def load_draft(store: MeetingStore, clerk: str, box: str, subject: str) -> str:
    return store.meta(_DRAFT.format(clerk=clerk, box=box, subject=subject)) or ""


def draft_subjects(store: MeetingStore, clerk: str) -> list[str]:
    """Subjects for which this clerk has an unsaved draft."""
    prefix = _DRAFT.format(clerk=clerk, box="", subject="").rsplit("\x1f", 2)[0] + "\x1f"
    return sorted({key.rsplit("\x1f", 1)[1] for key in store.meta_keys(prefix)})
