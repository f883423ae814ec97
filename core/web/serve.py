"""Run the ballot service (`sanshu serve`, or `python -m core.web`), and find or start
it from the podium console.

`sanshu serve` runs as its own process (its own session), so a crashed console
never stops ballots coming in; a restarted console finds it again by asking
`/health` for this meeting's id.
"""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from core.errors import StoreError
from core.i18n import t
from core.meeting.store import MeetingStore
from core.venue.addresses import LOOPBACK, is_address, listen_addresses, service_port, url_for
from core.venue.readiness import (
    bind_error,
    check_venue,
    port_free,
    port_taken_message,
    service_reply,
)


def service_answers(store: MeetingStore, timeout: float = 0.5) -> bool:
    # Only a caller that knows the meeting's id is told whose service this is.
    return service_reply(store, "/health", timeout) is not None


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
    """True when a service for this meeting answers (started now if needed);
    StoreError when another program holds the port (the service could not start)."""
    if service_answers(store):
        return True
    port = service_port(store)
    if not port_free(LOOPBACK, port):
        raise StoreError(port_taken_message(port))
    start_service(db_path, port)
    return False


def check_port_free(host: str, port: int) -> None:
    """Say so before starting, instead of failing inside aiohttp's startup."""
    error = bind_error(host, port)
    if error is not None and error.errno == errno.EADDRNOTAVAIL:
        raise StoreError(t("web.address_not_here", address=host))
    if error is not None:
        raise StoreError(t("web.port_busy", port=port))


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


def serve(
    db_path: Path, host: str | None, port: int | None, *, say: Callable[[str, str], None]
) -> None:
    """Check the venue's network (the slips' address is this laptop's now), say where
    phones reach the service, and serve until interrupted. StoreError, with the ways
    out, when phones could not reach it. `say(line, style)` reports to the person who
    started it."""
    with MeetingStore(db_path) as store:
        store.check_writable()  # a read-only file: one line now, not after "started"
        readiness = check_venue(store, ask_service=False)
        place = readiness.where
        fixed_port = place.port if place.fixed else None
    rehearsal = host == LOOPBACK  # this laptop only (a rehearsal, a test): any port
    if port is not None and fixed_port is not None and port != fixed_port and not rehearsal:
        raise StoreError(t("venue.port_fixed", url=place.url, port=port))
    port = port or place.port
    if host is not None and host not in ("0.0.0.0", LOOPBACK) and not is_address(host):
        raise StoreError(t("venue.bad_address", got=host))
    if rehearsal:  # no phone can reach it
        say(t("cli.serve.local"), "yellow")
    elif host is not None and host != "0.0.0.0" and place.fixed and host != place.host:
        raise StoreError(t("venue.host_differs", url=place.url, address=host))
    elif host is None or host == "0.0.0.0":  # the meeting's address: is it this laptop's?
        if readiness.blockers:
            raise StoreError("\n\n".join(readiness.blockers))
        for warning in readiness.warnings:
            say(warning, "yellow")
    address = host or place.host or LOOPBACK
    hosts = listen_addresses(address)
    for one in hosts:
        check_port_free(one, port)
    shown = place.host if address == "0.0.0.0" and place.host else address
    say(t("cli.serve.start", url=url_for(shown, port)), "green")
    if len(hosts) > 1:
        say(t("cli.serve.loopback"), "")
    run(db_path, hosts, port, print_fn=lambda *_: None)


def main(argv: list[str] | None = None) -> int:
    """`python -m core.web --db DB [--host H] [--port P]`: how the podium starts it."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m core.web")
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--address", "--host", dest="host", default=None)
    parser.add_argument("--port", default=None, type=int)
    args = parser.parse_args(argv)
    try:
        serve(args.db, args.host, args.port, say=lambda line, _style: print(line, file=sys.stderr))
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
