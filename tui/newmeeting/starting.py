"""Where `sanshu new` starts: the demo meeting's values, with a head that says what
the file is (the demo's own comments, which explain each part, are kept)."""

from __future__ import annotations

from core.i18n import t


def starting_text() -> str:
    from sanshu_data import demo_meeting_path

    text = demo_meeting_path().read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    body = lines[next(i for i, line in enumerate(lines) if not line.startswith("#")) :]
    return t("new.file_head") + "\n" + "".join(body)
