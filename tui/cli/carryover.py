"""Next year: `sanshu init next.toml --carry-over last.db --db next.db` (the option lives on
`init` in meeting.py; the work is here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.i18n import t, tn
from tui.cli.common import err


def create_with_carry_over(create: Callable[[], Any], last_db: Path, db_path: Path) -> Any:
    """Check last year's database first, create the new one, bring the items over; if the
    carry-over fails the new database is removed: nothing half-created."""
    from core.ledger.carryover import carry_over, open_last

    if last_db.resolve() == db_path.resolve():
        from core.errors import StoreError

        raise StoreError(t("carry.same_file", path=db_path))
    with open_last(last_db) as last:
        store = create()
        try:
            done = carry_over(last, store)
        except BaseException:
            store.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            raise
    err.print(
        t(
            "carry.done",
            items=tn("carry.done.items", done.items),
            results=tn("carry.done.results", done.results),
            source=last_db.name,
        ),
        style="green",
        highlight=False,
    )
    if not done.results_final:
        err.print(t("carry.not_final"), style="yellow", highlight=False)
    if done.left_out:
        err.print(
            t("carry.left_out", names="、".join(done.left_out)), style="yellow", highlight=False
        )
    return store
