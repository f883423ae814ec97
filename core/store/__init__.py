"""The meeting database: connections, transactions, the audit trail, migrations.

Nothing here knows what a ballot or a subject is; each concept package keeps
the queries on its own tables.
"""

from core.errors import StoreBusy, StoreError
from core.store.database import (
    APP_ID,
    BUSY_TIMEOUT_MS,
    HISTORY_PENDING,
    Clock,
    Event,
    Store,
    prepare_new_file,
)
from core.store.rows import insert_rows, random_keys

__all__ = [
    "APP_ID",
    "BUSY_TIMEOUT_MS",
    "HISTORY_PENDING",
    "Clock",
    "Event",
    "Store",
    "StoreBusy",
    "StoreError",
    "insert_rows",
    "prepare_new_file",
    "random_keys",
]
