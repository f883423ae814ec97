"""One podium per meeting: an OS file lock beside the database.

The lock is held by the open file descriptor, so the kernel releases it when the
process ends in any way, `kill -9` included: a crashed console never blocks its
own restart.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no podium lock
    fcntl = None  # type: ignore[assignment]


class PodiumBusy(Exception):
    pass


class PodiumLock:
    def __init__(self, db_path: str | Path):
        self.path = Path(f"{db_path}.podium.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise PodiumBusy(str(self.path)) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None

    def __enter__(self) -> PodiumLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
