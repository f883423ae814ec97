"""Errors a user can act on. A light module: the command line catches these
without importing the heavy modules that raise them."""

from __future__ import annotations


class StoreError(Exception):
    """A problem a user can act on; the message is ready to show."""


class StoreBusy(StoreError):
    """Another process holds the meeting database's write lock; try again shortly."""


class ImportProblems(Exception):
    """Every problem found in an imported file, one line each, nothing stored."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines
