"""Finishing an erasure of the voting history that a reader kept from happening.

Closing scoring promises that the file no longer holds the order in which ballots
were written (`Store.forget_history`). When another program holds a read
transaction open, the write-ahead log cannot be emptied yet: the mark
`HISTORY_PENDING` stays, every program that opens the file tries again, and a
command that closed scoring and is about to exit leaves this behind to keep
trying (`python -m core.store.forgetting DB`) until it is done.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from core.errors import StoreError
from core.store.database import Store

RETRY_S = 2.0  # between two tries
GIVE_UP_S = 6 * 3600.0  # a reader left open all day: the next program that opens the file


def keep_trying(path: Path, *, retry_s: float = RETRY_S, give_up_s: float = GIVE_UP_S) -> bool:
    """Try until the history is erased (True), the file is gone, or `give_up_s` passed."""
    deadline = time.monotonic() + give_up_s
    while True:
        try:
            with Store(path, actor="organiser") as store:  # opening it tries (finish_forgetting)
                if store.history_erased():
                    return True
        except StoreError:  # the file was moved or deleted: nothing left to erase here
            return False
        if time.monotonic() >= deadline:
            return False
        time.sleep(retry_s)


def keep_trying_in_background(path: Path) -> subprocess.Popen[bytes]:
    """A small detached process that keeps trying after the command that closed
    scoring has exited (it outlives the terminal and a Ctrl+C aimed at it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "core.store.forgetting", str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        return 2
    return 0 if keep_trying(Path(args[0])) else 1


if __name__ == "__main__":
    sys.exit(main())
