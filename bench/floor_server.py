"""The ballot service's floor: a minimal aiohttp + sqlite3 endpoint doing the same work
as `sanshu serve` for one voter, and nothing else (bench_service.py runs it).

GET /v/{token}: look the token up, answer a fixed page of the same size as the real
form. POST: read the form, one BEGIN IMMEDIATE transaction (token unused? insert the
ballot and its score rows, mark the token used), 303 to the thank-you page.

    python bench/floor_server.py DB PORT FORM_FILE
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path

from aiohttp import web


def main() -> None:
    db, port, form_file = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    form = form_file.read_bytes()
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("CREATE TABLE IF NOT EXISTS floor_ballots (id INTEGER PRIMARY KEY, category TEXT)")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS floor_scores (ballot_id INTEGER, field TEXT, grade TEXT, "
        "PRIMARY KEY (ballot_id, field)) WITHOUT ROWID"
    )

    def token_row(token: str):
        key = hashlib.sha256(token.encode()).hexdigest()
        return conn.execute(
            "SELECT id, category, used FROM tokens WHERE hash = ?", [key]
        ).fetchone()

    async def page(request: web.Request) -> web.Response:
        if token_row(request.match_info["token"]) is None:
            raise web.HTTPNotFound()
        return web.Response(body=form, content_type="text/html")

    async def post(request: web.Request) -> web.Response:
        data = await request.post()
        row = token_row(request.match_info["token"])
        if row is None or row[2]:
            raise web.HTTPNotFound()
        conn.execute("BEGIN IMMEDIATE")
        cursor = conn.execute("INSERT INTO floor_ballots (category) VALUES (?)", [row[1]])
        conn.executemany(
            "INSERT INTO floor_scores VALUES (?, ?, ?)",
            [(cursor.lastrowid, k, str(v)) for k, v in data.items()],
        )
        conn.execute("UPDATE tokens SET used = 1 WHERE id = ?", [row[0]])
        conn.execute("COMMIT")
        raise web.HTTPSeeOther(f"{request.path}/done")

    async def done(_request: web.Request) -> web.Response:
        return web.Response(text="<p>提交成功，谢谢！</p>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/v/{token}", page)
    app.router.add_post("/v/{token}", post)
    app.router.add_get("/v/{token}/done", done)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=lambda *_: None)


if __name__ == "__main__":
    main()
