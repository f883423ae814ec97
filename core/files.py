"""Reading a file a user names, bounded before anything parses it.

Every command that reads a user's file (a meeting file, a workbook, a report, a
template) goes through here: only a regular file is opened (a FIFO or a device
would block or never end), at most a stated number of bytes is read, and a zip
container (.xlsx, .docx) has its declared member sizes checked before anything
is inflated. Each refusal is one line naming the file and the limit.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

from core.errors import StoreError
from core.i18n import t

# Zip members inflate to at most this many times their compressed size; real
# workbooks and documents stay far below (XML compresses about 10:1 to 30:1).
MAX_ZIP_RATIO = 200
MAX_ZIP_MEMBERS = 2_000


class FileRefused(StoreError):
    """A file that is not read: missing, not a regular file, too large, a zip bomb."""


def size_text(limit: int) -> str:
    """20 MB, 512 KB: a limit as the refusal shows it."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB"


def checked_file(path: Path) -> os.stat_result:
    """The file's status; refused unless it is a regular file. Never opens it: opening
    a FIFO for reading waits for a writer, forever."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise FileRefused(t("file.not_found", file=path)) from None
    except OSError as exc:
        raise FileRefused(t("file.unreadable", file=path, detail=exc.strerror or exc)) from None
    if not stat.S_ISREG(status.st_mode):
        raise FileRefused(t("file.not_regular", file=path))
    return status


def read_bounded(path: Path, limit: int) -> bytes:
    """The whole file, if it is a regular file of at most `limit` bytes. What is read is
    cut at the limit too: a file that grows while it is read is still refused."""
    if checked_file(path).st_size > limit:
        raise FileRefused(t("file.too_large", file=path.name, limit=size_text(limit)))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FileRefused(t("file.unreadable", file=path, detail=exc.strerror or exc)) from None
    if len(data) > limit:
        raise FileRefused(t("file.too_large", file=path.name, limit=size_text(limit)))
    return data


def check_zip(data: bytes | Path, name: str, limit: int) -> None:
    """Refuse a zip (an .xlsx or .docx) whose members would inflate past `limit` bytes
    in all, or whose compression is implausible for a document (a zip bomb). Reads only
    the central directory; Python's zipfile never inflates a member past the size it
    declares, so the declared sizes bound what a reader later holds. `data`: the
    file's bytes, or its path (a reader that streams it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(t("file.not_zip", file=name)) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileRefused(t("file.zip_too_large", file=name, limit=size_text(limit)))
    total = 0
    for member in members:
        total += member.file_size
        plausible = member.file_size <= max(member.compress_size, 1024) * MAX_ZIP_RATIO
        if total > limit or not plausible:
            raise FileRefused(t("file.zip_too_large", file=name, limit=size_text(limit)))
