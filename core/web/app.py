"""The ballot service: a QR link opens a plain HTML form that works without
JavaScript; every rule is enforced on the server."""

from __future__ import annotations

import logging
import os
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from aiohttp import web

from core.ballots import (
    BallotEntry,
    BallotProblem,
    BallotRefused,
    ballot_grades,
    ballot_problems,
    check_token,
    find_token,
    normalise,
    store_ballot,
)
from core.i18n import language, t
from core.store import Clock, MeetingStore, StoreError
from core.web.form import COMMENT_LIMIT, Drafts, ballot_form, parse_form

# The largest ballot the form allows (21 comments of 500 Chinese characters,
# percent-encoded) is about 95 KiB; twice that, with room to spare.
MAX_BODY = 256 * 1024
STORE = web.AppKey("store", MeetingStore)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
DRAFTS = web.AppKey("drafts", Drafts)
log = logging.getLogger("sanshu.web")

REFUSED_STATUS = {"unknown": 404, "revoked": 403, "used": 409, "not_open": 403, "closed": 403}


def create_app(db_path: str | Path, *, clock: Clock = time.time) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY, middlewares=[_errors])
    app[STORE] = MeetingStore(db_path, actor="voter", clock=clock)
    app[DRAFTS] = Drafts()
    app[TEMPLATES] = jinja2.Environment(
        loader=jinja2.PackageLoader("core.web", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    app.router.add_get("/", code_page)
    app.router.add_post("/", code_submit)
    app.router.add_get("/health", health)
    app.router.add_get("/v/{credential}", ballot_page)
    app.router.add_post("/v/{credential}", ballot_submit)
    app.router.add_get("/v/{credential}/done", done_page)
    app.on_cleanup.append(_close)
    return app


async def _close(app: web.Application) -> None:
    app[STORE].close()


def render(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    store = request.app[STORE]
    html = (
        request.app[TEMPLATES]
        .get_template(name)
        .render(
            t=t,
            lang="zh-CN" if language() == "zh" else "en",
            meeting_title=store.meeting.title,
            title=t("web.title"),
            **context,
        )
    )
    response = web.Response(text=html, content_type="text/html", charset="utf-8", status=status)
    response.headers["Cache-Control"] = "no-store"  # ballots are private
    response.headers["Referrer-Policy"] = "no-referrer"  # never leak the token in a URL
    response.enable_compression()  # ~56 KB of form becomes ~5 KB on a venue's weak Wi-Fi
    return response


def message(request: web.Request, text: str, status: int, back: str | None = None) -> web.Response:
    return render(request, "message.html", status=status, message=text, back=back)


@web.middleware
async def _errors(request: web.Request, handler):
    """Every failure is a plain Chinese page, never a stack trace."""
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        if request.method == "POST" and request.path.startswith("/v/"):
            # The script on the form restores the voter's choices when they go back.
            return message(request, t("form.too_large"), 413, back=request.path)
        return message(request, t("web.too_large"), 413)
    except web.HTTPNotFound:
        return message(request, t("web.not_found"), 404)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return message(request, t("web.bad_request"), exc.status)
    except Exception:
        log.exception("ballot service error on %s %s", request.method, request.path)
        return message(request, t("web.error"), 500)


async def health(request: web.Request) -> web.Response:
    store = request.app[STORE]
    return web.json_response(
        {"app": "sanshu", "meeting_uid": store.meta("meeting_uid"), "title": store.meeting.title}
    )


async def code_page(request: web.Request) -> web.Response:
    return render(request, "code.html")


async def read_form(request: web.Request):
    """The posted fields; a body that is not a form is the client's error, not ours."""
    try:
        return await request.post()
    except (ValueError, UnicodeDecodeError):
        raise web.HTTPBadRequest() from None


async def code_submit(request: web.Request) -> web.Response:
    data = await read_form(request)
    typed = str(data.get("code", ""))[:40]
    code = normalise(typed)
    if not code or len(code) > 32 or not code.isalnum():
        return render(
            request, "code.html", status=400, message=t("web.refused.unknown"), typed=typed
        )
    if find_token(request.app[STORE], code) is None:
        # A mistyped code: the box again, with what was typed, to correct it.
        return render(
            request, "code.html", status=404, message=t("web.refused.unknown"), typed=typed
        )
    raise web.HTTPSeeOther(f"/v/{quote(code)}")


def _refused(request: web.Request, refused: BallotRefused) -> web.Response:
    return message(request, t(f"web.refused.{refused.kind}"), REFUSED_STATUS[refused.kind])


def _form(
    request: web.Request,
    category: str,
    entry: BallotEntry,
    problems: list[BallotProblem] = (),
    status: int = 200,
) -> web.Response:
    large = request.query.get("size") == "large"
    return render(
        request,
        "ballot.html",
        status=status,
        category=category,
        large=large,
        comment_limit=COMMENT_LIMIT,
        form=ballot_form(request.app[STORE].meeting, entry, problems),
    )


async def ballot_page(request: web.Request) -> web.Response:
    store = request.app[STORE]
    try:
        info = check_token(store, request.match_info["credential"])
    except BallotRefused as refused:
        if refused.kind == "used":
            # Back or reload after submitting: the voter is done, not refused.
            return render(request, "done.html", already=True)
        return _refused(request, refused)
    draft = request.app[DRAFTS].get(info.id)
    if draft is not None:
        # Back from a refused post: the voter's choices and what is wrong with them.
        problems = ballot_problems(store.meeting, draft.grades, on_screen=True)
        return _form(request, info.category, draft, problems, status=422 if problems else 200)
    entry = ballot_grades(store, info.ballot_id) if info.ballot_id else BallotEntry({})
    return _form(request, info.category, entry)


async def ballot_submit(request: web.Request) -> web.Response:
    store = request.app[STORE]
    credential = request.match_info["credential"]
    try:
        info = check_token(store, credential)
    except BallotRefused as refused:
        return _refused(request, refused)
    data = await read_form(request)
    fields = [(k, v) for k, v in data.items() if isinstance(v, str)]
    entry, unknown = parse_form(store.meeting, fields)
    if unknown or len(fields) != len(data):
        log.warning("rejected a ballot post with unknown fields: %s", unknown[:5])
        return message(request, t("web.bad_request"), 400, back=request.path)
    problems = ballot_problems(store.meeting, entry.grades, on_screen=True)
    if problems:
        request.app[DRAFTS].keep(info.id, entry)
        raise web.HTTPSeeOther(request.path_qs)  # never a page that Back would re-post
    try:
        store_ballot(store, credential, entry)
    except BallotRefused as refused:
        return _refused(request, refused)
    request.app[DRAFTS].drop(info.id)
    raise web.HTTPSeeOther(f"{request.path}/done")


async def done_page(request: web.Request) -> web.Response:
    store = request.app[STORE]
    credential = request.match_info["credential"]
    info = find_token(store, credential)
    if info is None or info.ballot_id is None:
        return message(request, t("web.refused.unknown"), 404)
    receipt, updated = store.db.execute(
        "SELECT receipt, updated_at FROM ballots WHERE id = ?", [info.ballot_id]
    ).fetchone()
    return render(request, "done.html", receipt=receipt, revised=updated is not None)


def check_port_free(host: str, port: int) -> None:
    """Say so before starting, instead of failing inside aiohttp's startup."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise StoreError(t("web.port_busy", port=port)) from None


def run(db_path: str | Path, host: str, port: int, *, print_fn=print) -> None:
    """Serve until interrupted (the `sanshu serve` command)."""
    app = create_app(db_path)
    store = app[STORE]
    store.set_meta("serve_port", str(port))
    store.set_meta("serve_pid", str(os.getpid()))
    web.run_app(app, host=host, port=port, print=print_fn, access_log=None, handle_signals=True)
