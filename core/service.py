"""Find or start the ballot service for a meeting, from the podium console.

`sanshu serve` runs as its own process (its own session), so a crashed console
never stops ballots coming in; a restarted console finds it again by asking
`/health` for this meeting's id.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from core.net import DEFAULT_PORT
from core.store import MeetingStore


def service_port(store: MeetingStore) -> int:
    return int(store.meta("serve_port") or DEFAULT_PORT)


def service_answers(store: MeetingStore, timeout: float = 0.5) -> bool:
    uid = store.meta("meeting_uid") or ""
    # Only a caller that knows the meeting's id is told whose service this is.
    url = f"http://127.0.0.1:{service_port(store)}/health?meeting={uid}"
    import urllib.request  # ~15 ms: only when the service is looked for, not at start

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = json.loads(response.read())
    except (OSError, ValueError):
        return False
    return isinstance(body, dict) and body.get("meeting_uid") == uid


def start_service(db_path: str | Path, port: int) -> subprocess.Popen:
    # The child keeps its own copy of the log descriptor; ours closes with the block.
    with Path(f"{db_path}.serve.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "tui", "serve", "--db", str(db_path), "--port", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,  # outlives the console, and a Ctrl+C aimed at it
        )


def ensure_service(store: MeetingStore, db_path: str | Path) -> bool:
    """True when a service for this meeting answers (started now if needed)."""
    if service_answers(store):
        return True
    start_service(db_path, service_port(store))
    return False
