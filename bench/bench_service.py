"""The ballot service against its floor, same run: server CPU per ballot and throughput
with 50 and 500 phones at once.

    .venv/bin/python bench/bench_service.py [--voters 1500] [--phones 50,500]

Each voter opens the form (GET), submits it (POST) and reads the thank-you page (GET),
as a phone does. The floor (bench/floor_server.py) is a minimal aiohttp + sqlite3
endpoint doing the same work for one voter with nothing else. Server CPU is read from
/proc for the server process alone; the simulator's own CPU is reported too, so a
saturated simulator (not the server) shows. Targets: CPU per ballot ≤ 2x the
floor's; throughput ≥ 0.8x the floor's; zero errors; every ballot counted once.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sanshu_data import demo_meeting_path

from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from tests.fault.harness import random_ballot

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(base: str, path: str) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(base + path, timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"server at {base} did not start")


def meeting(tmp: Path, name: str, voters: int) -> tuple[Path, list[str], MeetingStore]:
    db = tmp / f"{name}.db"
    store = MeetingStore.create(db, demo_meeting_path().read_text("utf-8"), "bench.toml")
    store.set_poll("open")
    categories = [c.name for c in store.meeting.categories]
    tokens = [
        s.token
        for i, c in enumerate(categories)
        for s in issue_tokens(store, c, voters // len(categories) + (i < voters % 6))
    ]
    return db, tokens, store


async def phones(base: str, tokens: list[str], bodies: list[dict], concurrency: int) -> Counter:
    """Every voter: GET form, POST, GET thank-you. Returns what went wrong, by kind."""
    queue = list(zip(tokens, bodies, strict=True))
    errors: Counter[str] = Counter()
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def phone() -> None:
            while queue:
                token, body = queue.pop()
                url = f"{base}/v/{token}"
                try:
                    async with session.get(url) as r:
                        await r.read()
                        if r.status != 200:
                            errors[f"GET form {r.status}"] += 1
                            continue
                    async with session.post(url, data=body, allow_redirects=False) as r:
                        await r.read()
                        if r.status != 303:
                            errors[f"POST {r.status}"] += 1
                            continue
                        done = r.headers.get("Location", "")
                    async with session.get(base + done) as r:
                        await r.read()
                        if r.status != 200:
                            errors[f"GET thank-you {r.status}"] += 1
                except (TimeoutError, aiohttp.ClientError) as exc:
                    errors[type(exc).__name__] += 1

        await asyncio.gather(*(phone() for _ in range(concurrency)))
    return errors


def run_one(argv: list[str], base: str, up: str, tokens, bodies, concurrency) -> dict:
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(base, up)
        cpu0 = cpu_seconds(server.pid)
        own0 = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        errors = asyncio.run(phones(base, tokens, bodies, concurrency))
        wall = time.perf_counter() - start
        cpu = cpu_seconds(server.pid) - cpu0
        own1 = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        server.terminate()
        server.wait(10)
    client = (own1.ru_utime - own0.ru_utime) + (own1.ru_stime - own0.ru_stime)
    n = len(tokens)
    return {
        "rate": n / wall,
        "cpu_ms": cpu / n * 1000,
        "client": client / wall,
        "errors": sum(errors.values()),
        "kinds": dict(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=1500)
    parser.add_argument("--phones", default="50,500")
    args = parser.parse_args()
    print(
        f"{'phones':>6} {'server':>8} {'ballots/s':>10} {'CPU ms/ballot':>14} "
        f"{'simulator CPU':>14} {'errors':>7} {'counted':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for concurrency in (int(p) for p in args.phones.split(",")):
            rows = {}
            for name in ("floor", "sanshu"):
                db, tokens, store = meeting(tmp, f"{name}-{concurrency}", args.voters)
                rng = random.Random(concurrency)
                bodies = [random_ballot(store.meeting, rng) for _ in tokens]
                port = free_port()
                base = f"http://127.0.0.1:{port}"
                if name == "floor":
                    form = tmp / "form.html"
                    form.write_bytes(_real_form(db, tokens[0]))
                    argv = [sys.executable, str(ROOT / "bench" / "floor_server.py")]
                    argv += [str(db), str(port), str(form)]
                    up = "/v/" + tokens[0]
                else:
                    argv = [sys.executable, "-m", "tui", "serve", "--db", str(db)]
                    argv += ["--host", "127.0.0.1", "--port", str(port)]
                    up = "/health"
                store.close()
                row = run_one(argv, base, up, tokens, bodies, concurrency)
                with sqlite3.connect(db) as conn:
                    table = "floor_ballots" if name == "floor" else "ballots"
                    row["counted"] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                rows[name] = row
                print(
                    f"{concurrency:6d} {name:>8} {row['rate']:10.0f} {row['cpu_ms']:14.2f} "
                    f"{row['client']:13.0%} {row['errors']:7d} {row['counted']:8d}  "
                    + (str(row["kinds"]) if row["kinds"] else ""),
                    flush=True,
                )
            f, s = rows["floor"], rows["sanshu"]
            print(
                f"{'':6} {'ratio':>8} {s['rate'] / f['rate']:10.2f} "
                f"{s['cpu_ms'] / f['cpu_ms']:14.2f}   (targets: rate ≥ 0.8, CPU ≤ 2.0)"
            )


def _real_form(db: Path, token: str) -> bytes:
    """The form page sanshu serves (uncompressed), so the floor sends as many bytes."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui",
            "serve",
            "--db",
            str(db),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_up(f"http://127.0.0.1:{port}", "/health")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v/{token}") as response:
            return response.read()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
