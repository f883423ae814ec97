"""Run the ballot service (`sanshu serve`, or `python -m core.web`), and find or start
it from the podium console.

`sanshu serve` runs as its own process (its own session), so a crashed console
never stops ballots coming in; a restarted console finds it again by asking
`/health` for this meeting's id.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from core.errors import StoreError
from core.i18n import t
from core.meeting.store import MeetingStore
from core.venue.addresses import (
    DEFAULT_PORT,
    base_url,
    lan_address,
    listen_addresses,
    service_port,
)


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


def start_service(db_path: str | Path, port: int) -> subprocess.Popen[bytes]:
    """`python -m core.web` for this meeting, detached from the console."""
    # The child keeps its own copy of the log descriptor; ours closes with the block.
    with Path(f"{db_path}.serve.log").open("ab") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "core.web",
                "--db",
                str(db_path),
                "--port",
                str(port),
            ],
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


def check_port_free(host: str, port: int) -> None:
    """Say so before starting, instead of failing inside aiohttp's startup."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise StoreError(t("web.port_busy", port=port)) from None


def run(
    db_path: str | Path, hosts: list[str], port: int, *, print_fn: Callable[..., None] = print
) -> None:
    """Serve until interrupted."""
    from aiohttp import web

    from core.web.app import SERVER_OPTIONS, create_app
    from core.web.logs import service_log_handler

    root = logging.getLogger()
    root.addHandler(service_log_handler())
    root.setLevel(logging.INFO)
    app = create_app(db_path)
    with MeetingStore(db_path, actor="organiser") as store:
        store.set_meta("serve_port", str(port))
        store.set_meta("serve_pid", str(os.getpid()))
    web.run_app(app, host=hosts, port=port, print=print_fn, handle_signals=True, **SERVER_OPTIONS)


def serve(db_path: Path, host: str | None, port: int, *, say: Callable[[str, str], None]) -> None:
    """Check the meeting and the addresses, say where phones reach the service, and
    serve until interrupted. `say(line, style)` reports to the person who started it."""
    with MeetingStore(db_path) as store:
        store.check_writable()  # a read-only file: one line now, not after "started"
    address = host or lan_address()
    hosts = listen_addresses(host, address)
    for one in hosts:
        check_port_free(one, port)
    url = base_url(port) if host in (None, "0.0.0.0") else f"http://{address}:{port}"
    if "127.0.0.1" in url:
        say(t("cli.serve.local"), "yellow")
    say(t("cli.serve.start", url=url), "green")
    if len(hosts) > 1:
        say(t("cli.serve.loopback"), "")
    run(db_path, hosts, port, print_fn=lambda *_: None)


def main(argv: list[str] | None = None) -> int:
    """`python -m core.web --db DB [--host H] [--port P]`: how the podium starts it."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m core.web")
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--host", default=None)
    parser.add_argument("--port", default=DEFAULT_PORT, type=int)
    args = parser.parse_args(argv)
    try:
        serve(args.db, args.host, args.port, say=lambda line, _style: print(line, file=sys.stderr))
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
