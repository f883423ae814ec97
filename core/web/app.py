"""The ballot service: a QR link opens a plain HTML form that works without
JavaScript; every rule is enforced on the server.

The event loop never touches SQLite (see `core.web.worker`); what depends only
on the voter category (the empty form) is rendered and compressed once and
served from memory; nothing a voter types, and no token, reaches the log.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import os
import re
import socket
import sys
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

from core.ballots import (
    BallotEntry,
    BallotProblem,
    BallotRefused,
    ballot_grades,
    ballot_problems,
    check_token,
    digest,
    find_token,
    normalise,
    store_ballot,
)
from core.i18n import language, t
from core.model import Meeting
from core.store import Clock, MeetingStore, StoreError
from core.web.form import COMMENT_LIMIT, Drafts, ballot_form, parse_form
from core.web.limits import FailureLimit, ReceiptHandoff
from core.web.worker import Database, ServiceBusy

# The largest ballot the form allows (21 comments of 500 Chinese characters,
# percent-encoded) is about 95 KiB; twice that, with room to spare.
MAX_BODY = 256 * 1024
BODY_TIMEOUT_S = 20.0  # a half-sent body is dropped after this long
# Only the form is worth compressing: the thank-you and message pages (~6 KB) fit the
# first round trip of any connection, and compressing each one costs more than sending it.
COMPRESS_OVER = 16 * 1024
log = logging.getLogger("sanshu.web")
RECEIPT = re.compile(r"[0-9A-Z]{5}-[0-9A-Z]{5}")

# How `sanshu serve` runs the server (tests use the same): no access log, since
# every ballot URL carries its token.
# A connection that completes no request for 20 s (a half-sent header, an idle
# keep-alive) is closed, so slow or stuck clients cannot pile up.
SERVER_OPTIONS: dict[str, Any] = {"access_log": None, "keepalive_timeout": 20.0}

REFUSED_STATUS = {"unknown": 404, "revoked": 403, "not_open": 403, "closed": 403}
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # never leak the token in a URL
    "Server": "sanshu",  # no software versions for a scanner to match
}


@dataclass
class Service:
    """What the service keeps in memory: the meeting, its id, the form cache."""

    meeting: Meeting
    meeting_uid: str
    database: Database
    templates: jinja2.Environment
    failures: FailureLimit = field(default_factory=FailureLimit)
    drafts: Drafts = field(default_factory=Drafts)
    handoff: ReceiptHandoff = field(default_factory=ReceiptHandoff)
    forms: dict[tuple[str, str], tuple[bytes, bytes]] = field(default_factory=dict)
    thanks: dict[tuple[str, bool], tuple[str, str]] = field(default_factory=dict)


SERVICE = web.AppKey("service", Service)


def create_app(db_path: str | Path, *, clock: Clock = time.time, **worker: Any) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY, middlewares=[_errors])
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
    app.router.add_get("/", code_page)
    app.router.add_post("/", code_submit)
    app.router.add_get("/health", health)
    app.router.add_get("/v/{credential}", ballot_page)
    app.router.add_post("/v/{credential}", ballot_submit)
    app.router.add_get("/v/{credential}/done", done_page)
    app.on_response_prepare.append(_security_headers)
    app.on_startup.append(_prepare_forms)
    app.on_cleanup.append(_close)
    return app


async def _close(app: web.Application) -> None:
    await asyncio.get_running_loop().run_in_executor(None, app[SERVICE].database.close)


async def _security_headers(_request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)


def _html(request: web.Request, name: str, **context: Any) -> str:
    return _service_html(request.app[SERVICE], name, **context)


def _service_html(service: Service, name: str, **context: Any) -> str:
    return service.templates.get_template(name).render(
        t=t,
        lang="zh-CN" if language() == "zh" else "en",
        meeting_title=service.meeting.title,
        title=t("web.title"),
        **context,
    )


def render(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    return _page(_html(request, name, **context), status)


def _page(text: str, status: int = 200) -> web.Response:
    response = web.Response(text=text, content_type="text/html", charset="utf-8", status=status)
    response.headers["Cache-Control"] = "no-store"  # ballots are private
    if len(response.body) > COMPRESS_OVER:
        response.enable_compression()  # ~56 KB of form becomes ~5 KB on a venue's weak Wi-Fi
    return response


def see_other(location: str) -> web.Response:
    """A redirect after a post (returned, not raised: an exception costs more, per voter)."""
    return web.Response(status=303, headers={"Location": location})


_RECEIPT_SLOT = "SANSHU-RECEIPT-SLOT"


def thanks(request: web.Request, receipt: str, revised: bool = False) -> web.Response:
    """The thank-you page, the same for every voter but the receipt: rendered once."""
    pages = request.app[SERVICE].thanks
    key = (language(), revised)
    if key not in pages:
        head, tail = _html(request, "done.html", receipt=_RECEIPT_SLOT, revised=revised).split(
            _RECEIPT_SLOT
        )
        pages[key] = (head, tail)
    head, tail = pages[key]
    return _page(head + escape(receipt) + tail)


def message(request: web.Request, text: str, status: int, back: str | None = None) -> web.Response:
    return render(request, "message.html", status=status, message=text, back=back)


def _shown_path(request: web.Request) -> str:
    """The path for a log line, with any token cut out."""
    return "/v/…" if request.path.startswith("/v/") else request.path


@web.middleware
async def _errors(request: web.Request, handler):
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


async def health(request: web.Request) -> web.Response:
    """From memory, whatever the database is doing. Anyone gets "ok"; the podium
    console, which knows the meeting's id, may ask whether this service is its own."""
    service = request.app[SERVICE]
    asked = request.query.get("meeting", "")
    if asked and asked == service.meeting_uid:
        return web.json_response({"app": "sanshu", "meeting_uid": service.meeting_uid})
    return web.Response(text="ok")


async def code_page(request: web.Request) -> web.Response:
    return render(request, "code.html")


async def read_form(request: web.Request):
    """The posted fields, read within a time limit; a body that is not a form (bad
    charset, bad encoding) is the client's error, not ours."""
    try:
        return await asyncio.wait_for(request.post(), BODY_TIMEOUT_S)
    except TimeoutError:
        raise web.HTTPRequestTimeout() from None
    except (
        ValueError,
        UnicodeDecodeError,
        LookupError,
        AssertionError,
        *CLIENT_ERRORS,  # a body that is not the gzip its header claims; a phone gone
    ):
        raise web.HTTPBadRequest() from None


def _address(request: web.Request) -> str:
    return request.remote or "?"


def _too_many(request: web.Request) -> web.Response | None:
    if request.app[SERVICE].failures.blocked(_address(request)):
        return message(request, t("web.too_many_attempts"), 429)
    return None


async def code_submit(request: web.Request) -> web.Response:
    if refused := _too_many(request):
        return refused
    data = await read_form(request)
    typed = str(data.get("code", ""))[:40]
    code = normalise(typed)
    known = (
        code
        and len(code) <= 32
        and code.isalnum()
        and code.isascii()
        and await request.app[SERVICE].database.read(find_token, code) is not None
    )
    if not known:
        # A mistyped code: the box again, with what was typed, to correct it.
        request.app[SERVICE].failures.failed(_address(request))
        return render(
            request, "code.html", status=404, message=t("web.refused.unknown"), typed=typed
        )
    return see_other(f"/v/{quote(code)}")


def _already_in(request: web.Request) -> web.Response:
    """The ballot of this slip is stored: its receipt if it has not been shown yet,
    else a kind word. Almost always the same voter (a double tap, a dropped connection)."""
    key = digest(request.match_info["credential"])
    receipt = request.app[SERVICE].handoff.take(key)
    if receipt is not None:
        return thanks(request, receipt)
    return render(request, "submitted.html")


def _refused(request: web.Request, refused: BallotRefused) -> web.Response:
    if refused.kind == "used":
        return _already_in(request)
    if refused.kind == "unknown":
        request.app[SERVICE].failures.failed(_address(request))
        # A damaged or mistyped link: the way to type the code from the slip instead.
        return render(
            request,
            "message.html",
            status=404,
            message=t("web.refused.unknown"),
            back="/",
            back_text=t("web.code_title"),
        )
    return message(request, t(f"web.refused.{refused.kind}"), REFUSED_STATUS[refused.kind])


def _form(
    request: web.Request,
    category: str,
    entry: BallotEntry,
    problems: list[BallotProblem] = (),
    status: int = 200,
    busy: str | None = None,
) -> web.Response:
    """The form with a voter's own choices (a refused post, a busy database, a revision)."""
    return render(
        request,
        "ballot.html",
        status=status,
        **_form_context(request, category, entry, problems),
        busy=busy,
    )


SIZE_SWITCH = "size"  # the name of the form's text-size button


def _large(request: web.Request) -> bool:
    return request.query.get(SIZE_SWITCH) == "large"


def _form_context(
    request: web.Request,
    category: str,
    entry: BallotEntry,
    problems: list[BallotProblem] = (),
) -> dict[str, Any]:
    return _context_of_form(request.app[SERVICE], category, entry, problems, _large(request))


def _context_of_form(
    service: Service,
    category: str,
    entry: BallotEntry,
    problems: list[BallotProblem] = (),
    large: bool = False,
) -> dict[str, Any]:
    return dict(
        category=category,
        large=large,
        comment_limit=COMMENT_LIMIT,
        form=ballot_form(service.meeting, entry, problems),
    )


def _empty_form_bytes(service: Service, category: str, large: bool) -> tuple[bytes, bytes]:
    """Work once, serve many: the empty form of a category, rendered and compressed once."""
    key = (category, language(), large)
    if key not in service.forms:
        context = _context_of_form(service, category, BallotEntry({}), large=large)
        html = _service_html(service, "ballot.html", **context).encode()
        service.forms[key] = (html, gzip.compress(html, compresslevel=9, mtime=0))
    return service.forms[key]


async def _prepare_forms(app: web.Application) -> None:
    """Render every category's form before the first voter arrives (~40 ms each),
    rather than in front of the first voter of each category."""
    service = app[SERVICE]
    for category in service.meeting.categories:
        _empty_form_bytes(service, category.name, large=False)


def _empty_form(request: web.Request, category: str) -> web.Response:
    html, packed = _empty_form_bytes(request.app[SERVICE], category, _large(request))
    gzip_ok = "gzip" in request.headers.get("Accept-Encoding", "")
    response = web.Response(
        body=packed if gzip_ok else html, content_type="text/html", charset="utf-8"
    )
    if gzip_ok:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "no-store"
    return response


def _page_data(store: MeetingStore, credential: str) -> tuple[str, BallotEntry | None]:
    info = check_token(store, credential)
    return info.category, ballot_grades(store, info.ballot_id) if info.ballot_id else None


async def ballot_page(request: web.Request) -> web.Response:
    if refused := _too_many(request):
        return refused
    database = request.app[SERVICE].database
    try:
        category, stored = await database.read(_page_data, request.match_info["credential"])
    except BallotRefused as refused:
        return _refused(request, refused)
    draft = request.app[SERVICE].drafts.get(_draft_key(request))
    if draft is not None:
        # Back from a refused post: the voter's choices and what is wrong with them
        # (after a change of text size: the choices only, nothing is wrong yet).
        meeting = request.app[SERVICE].meeting
        problems = []
        if draft.refused:
            problems = ballot_problems(meeting, draft.entry.grades, on_screen=True)
        return _form(request, category, draft.entry, problems, status=422 if problems else 200)
    if stored is None:
        return _empty_form(request, category)
    return _form(request, category, stored)


def _draft_key(request: web.Request) -> str:
    """Drafts are kept by the slip's digest: a refused post needs no database."""
    return digest(request.match_info["credential"])


def _category_of(store: MeetingStore, credential: str) -> str:
    return check_token(store, credential).category


async def ballot_submit(request: web.Request) -> web.Response:
    if refused := _too_many(request):
        return refused
    service = request.app[SERVICE]
    credential = request.match_info["credential"]
    data = await read_form(request)
    size = data.get(SIZE_SWITCH)  # the text-size button, not a choice
    fields = [(k, v) for k, v in data.items() if k != SIZE_SWITCH]
    texts = [(k, v) for k, v in fields if isinstance(v, str)]  # a file is not a ballot
    entry, unknown = parse_form(service.meeting, texts)
    if unknown or len(texts) != len(fields):
        # Counted, not quoted: what a client sends is not written to the log.
        log.warning("rejected a ballot post with %d unknown fields", len(unknown))
        return message(request, t("web.bad_request"), 400, back=request.path)
    if size is not None:
        # The text-size button without script: the choices so far wait on the server
        # and come back on the larger (or standard) form; nothing is stored.
        service.drafts.keep(_draft_key(request), entry, refused=False)
        return see_other(f"{request.path}?size={'large' if size == 'large' else 'standard'}")
    problems = ballot_problems(service.meeting, entry.grades, on_screen=True)
    if problems:
        # The form page after the redirect checks the slip (and refuses a bad one).
        service.drafts.keep(_draft_key(request), entry)
        return see_other(request.path_qs)  # never a page that Back would re-post
    try:
        # The slip is checked inside the write, under the lock: one trip to the database.
        stored = await service.database.write(store_ballot, credential, entry)
    except BallotRefused as refused:
        return _refused(request, refused)
    except ServiceBusy:
        # Reads still work while another program holds the write lock.
        category = await service.database.read(_category_of, credential)
        busy = _form(request, category, entry, status=503, busy=t("web.busy"))
        busy.headers["Retry-After"] = "5"
        return busy
    service.drafts.drop(_draft_key(request))
    if service.meeting.poll.allow_revision:
        # Posts apply in order; the page after the redirect reads the state that stands.
        return see_other(f"{request.path}/done" + ("?revised=1" if stored.revised else ""))
    # Post/Redirect/Get, so reload never re-posts. Nothing stored leads from the token to
    # the receipt again: it travels once, in the address of the voter's own thank-you page,
    # and waits a few minutes in memory in case that page never arrives.
    service.handoff.keep(digest(credential), stored.receipt or "")
    return see_other(f"{request.path}/done?r={quote(stored.receipt or '')}")


def _link_of(store: MeetingStore, credential: str):
    return find_token(store, credential)


async def done_page(request: web.Request) -> web.Response:
    if refused := _too_many(request):
        return refused
    shown = request.query.get("r", "")
    handed = request.app[SERVICE].handoff.take(digest(request.match_info["credential"]))
    if handed is not None and handed == shown:  # straight from the post that stored it
        return thanks(request, shown)
    info = await request.app[SERVICE].database.read(_link_of, request.match_info["credential"])
    if info is None:
        request.app[SERVICE].failures.failed(_address(request))
        return message(request, t("web.refused.unknown"), 404)
    if info.receipt is None:  # no revising: nothing stored leads back to the ballot
        if not info.used:
            return message(request, t("web.refused.unknown"), 404)
        if RECEIPT.fullmatch(shown):  # the voter's own redirect after submitting (reloaded)
            return thanks(request, shown)
        if handed is not None:  # the thank-you page never arrived: shown now, once
            return thanks(request, handed)
        return _already_in(request)
    revised = request.query.get("revised") == "1"
    return thanks(request, info.receipt, revised)


# A ballot path in any log line: a token or a code, whatever logged it (aiohttp
# quotes a malformed request line verbatim in its own error messages).
_BALLOT_PATH = re.compile(r"/v/[^\s'\"/?]+")


class ScrubbingFormatter(logging.Formatter):
    """Log lines, tracebacks included, with every ballot path cut to `/v/…`."""

    def format(self, record: logging.LogRecord) -> str:
        return _BALLOT_PATH.sub("/v/…", super().format(record))


# What a client's malformed or abandoned request raises inside aiohttp.
CLIENT_ERRORS = (HttpProcessingError, RequestPayloadError, ConnectionResetError)


class ClientErrorsInOneLine(logging.Filter):
    """A malformed request is the client's fault, not a crash: one line naming the
    kind of problem, no traceback (aiohttp logs these with one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, CLIENT_ERRORS):
            record.msg, record.args = "refused a malformed request (%s)", (type(error).__name__,)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def service_log_handler(stream=None) -> logging.Handler:
    """The service's log: stderr (the console's `.serve.log` file), never a token."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(ClientErrorsInOneLine())
    return handler


def check_port_free(host: str, port: int) -> None:
    """Say so before starting, instead of failing inside aiohttp's startup."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise StoreError(t("web.port_busy", port=port)) from None


def run(db_path: str | Path, hosts: list[str], port: int, *, print_fn=print) -> None:
    """Serve until interrupted (the `sanshu serve` command)."""
    root = logging.getLogger()
    root.addHandler(service_log_handler())
    root.setLevel(logging.INFO)
    app = create_app(db_path)
    with MeetingStore(db_path, actor="organiser") as store:
        store.set_meta("serve_port", str(port))
        store.set_meta("serve_pid", str(os.getpid()))
    web.run_app(app, host=hosts, port=port, print=print_fn, handle_signals=True, **SERVER_OPTIONS)
