"""Ballot service and tally throughput, as ratios against a baseline in the same run.

    .venv/bin/python bench/bench_ballots.py [--voters 2000]

Baselines: a bare aiohttp handler that answers a POST with nothing behind it
(what the web stack costs), and a plain SQL pass over the same score rows (what
reading the ballots costs). Only ratios are comparable between machines.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import ClientSession, TCPConnector, web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sanshu_data import demo_meeting_path

from core.ballots.items import form_items
from core.ballots.results import load_tally
from core.ballots.tokens import issue_tokens
from core.meeting.store import MeetingStore
from core.web.app import create_app
from core.web.form import form_fields


async def _serve(app: web.Application, port: int) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


async def _post_all(urls: list[str], body: dict[str, str], concurrency: int) -> float:
    queue = list(urls)
    async with ClientSession(connector=TCPConnector(limit=concurrency)) as session:

        async def worker() -> None:
            while queue:
                url = queue.pop()
                async with session.post(url, data=body, allow_redirects=False) as response:
                    assert response.status in (200, 303), response.status
                    await response.read()

        start = time.perf_counter()
        await asyncio.gather(*[worker() for _ in range(concurrency)])
        return time.perf_counter() - start


async def main(voters: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store = MeetingStore.create(db, demo_meeting_path().read_text("utf-8"), "bench.toml")
        store.set_poll("open")
        per_category = max(1, voters // len(store.meeting.categories))
        slips = [
            s for c in store.meeting.categories for s in issue_tokens(store, c.name, per_category)
        ]
        grades = dict.fromkeys(form_items(store.meeting), "较好")
        grades[("法工委", store.meeting.criteria[0])] = "好"
        body = form_fields(store.meeting, grades)

        baseline = web.Application()

        async def accept(request: web.Request) -> web.Response:
            await request.post()
            return web.Response(text="ok")

        baseline.router.add_post("/v/{credential}", accept)
        runner = await _serve(baseline, 8791)
        base_s = await _post_all(
            [f"http://127.0.0.1:8791/v/{s.token}" for s in slips], body, concurrency
        )
        await runner.cleanup()

        runner = await _serve(create_app(db), 8792)
        real_s = await _post_all(
            [f"http://127.0.0.1:8792/v/{s.token}" for s in slips], body, concurrency
        )
        await runner.cleanup()

        start = time.perf_counter()
        rows = store.db.execute("SELECT grade, count(*) FROM scores GROUP BY grade").fetchall()
        sql_s = time.perf_counter() - start
        start = time.perf_counter()
        tally = load_tally(store)
        tally_s = time.perf_counter() - start

    n = len(slips)
    print(f"ballots: {n} ({len(body)} items each), {concurrency} connections")
    print(f"  baseline POST        {n / base_s:8.0f} /s")
    print(f"  sanshu ballot POST   {n / real_s:8.0f} /s   ratio {base_s / real_s:.2f} of baseline")
    print(f"tally of {tally.ballots.valid} ballots, {sum(c for _, c in rows)} score rows")
    print(f"  baseline SQL pass    {sql_s * 1000:8.1f} ms")
    print(
        f"  sanshu tally         {tally_s * 1000:8.1f} ms   ratio {tally_s / sql_s:.1f}x baseline"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=1200)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(main(args.voters, args.concurrency))
