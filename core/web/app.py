"""The ballot service: a QR link opens a plain HTML form that works without
JavaScript; every rule is enforced on the server (the pages: `core.web.pages`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from core.i18n import t
from core.meeting.store import MeetingStore
from core.store import Clock
from core.web import connection, pages, screen
from core.web.assets import asset, content_security_policy, favicon
from core.web.rendering import SERVICE, Service, _shown_path, log, message, render
from core.web.worker import Database, ServiceBusy

# The largest ballot the form allows (21 comments of 500 Chinese characters,
# percent-encoded) is about 95 KiB; twice that, with room to spare.
MAX_BODY = 256 * 1024

# How `sanshu serve` runs the server (tests use the same): no access log, since
# every ballot URL carries its token.
# A connection that completes no request for 20 s (a half-sent header, an idle
# keep-alive) is closed, so slow or stuck clients cannot pile up.
SERVER_OPTIONS: dict[str, Any] = {"access_log": None, "keepalive_timeout": 20.0}

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": content_security_policy(),
    "X-Content-Type-Options": "nosniff",
    # The token in a URL never leaves the service; and the service's own posts carry
    # their origin (with no-referrer, a browser sends `Origin: null` on them).
    "Referrer-Policy": "same-origin",
    "Server": "sanshu",  # no software versions for a scanner to match
}


def create_app(db_path: str | Path, *, clock: Clock = time.time, **worker: Any) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY, middlewares=[_errors, _same_origin])
    with MeetingStore(db_path, actor="voter", clock=clock) as store:  # once, at start
        meeting, uid = store.meeting, store.meta("meeting_uid") or ""
    app[SERVICE] = Service(
        meeting=meeting,
        meeting_uid=uid,
        database=Database(db_path, clock=clock, **worker),
        templates=jinja2.Environment(
            loader=jinja2.PackageLoader("core.web", "templates"),
            autoescape=jinja2.select_autoescape(["html"]),
            auto_reload=False,  # templates do not change under a running service
            trim_blocks=True,
            lstrip_blocks=True,
        ),
    )
    app[SERVICE].templates.globals["asset"] = asset
    app.router.add_get("/", pages.code_page)
    app.router.add_post("/", pages.code_submit)
    app.router.add_get("/health", health)
    app.router.add_get("/favicon.ico", icon)
    app.router.add_get("/v/{credential}", pages.ballot_page)
    app.router.add_post("/v/{credential}", pages.ballot_submit)
    app.router.add_get("/v/{credential}/done", pages.done_page)
    screen.add_routes(app)  # the projector's view for a browser (core/web/screen.py)
    connection.add_routes(app)  # the phones' connection test (core/web/connection.py)
    app.on_response_prepare.append(_security_headers)
    app.on_startup.append(pages._prepare_forms)
    app.on_cleanup.append(_close)
    return app


async def _close(app: web.Application) -> None:
    await asyncio.get_running_loop().run_in_executor(None, app[SERVICE].database.close)


async def _security_headers(_request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)


@web.middleware
async def _errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Every failure is a plain Chinese page, never a stack trace."""
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        if request.method == "POST" and request.path.startswith("/v/"):
            # Going back in the history keeps the choices (the browser restores the
            # form; with script, the phone's own copy does too).
            return render(
                request,
                "message.html",
                status=413,
                message=t("form.too_large"),
                back=request.path,
                back_in_history=True,
            )
        return message(request, t("web.too_large"), 413)
    except web.HTTPNotFound:
        return message(request, t("web.not_found"), 404)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return message(request, t("web.bad_request"), exc.status)
    except ServiceBusy:
        response = message(request, t("web.busy"), 503, back=None)
        response.headers["Retry-After"] = "5"
        return response
    except Exception:
        log.exception("ballot service error on %s %s", request.method, _shown_path(request))
        return message(request, t("web.error"), 500)


@web.middleware
async def _same_origin(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """A post made by another site's page (a forged ballot, a code guessed through a
    visitor's browser) is refused before its body is read."""
    if request.method == "POST" and cross_site(request):
        log.info("refused a cross-site post")
        return message(request, t("web.cross_site"), 403, back="/", back_text=t("web.code_title"))
    return await handler(request)


def cross_site(request: web.Request) -> bool:
    """What the browser says about where the request comes from: `Sec-Fetch-Site` when
    it sends one, else `Origin` against the address the request was sent to. A client
    that sends neither (an old browser, a script) is not a browser page of another
    site: allowed, as Go's CrossOriginProtection does."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return origin != f"{request.scheme}://{request.host}"


async def icon(_request: web.Request) -> web.Response:
    response = web.Response(body=favicon(), content_type="image/x-icon")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


async def health(request: web.Request) -> web.Response:
    """From memory, whatever the database is doing. Anyone gets "ok"; the podium
    console, which knows the meeting's id, may ask whether this service is its own."""
    service = request.app[SERVICE]
    asked = request.query.get("meeting", "")
    if asked and asked == service.meeting_uid:
        return web.json_response({"app": "sanshu", "meeting_uid": service.meeting_uid})
    return web.Response(text="ok")
