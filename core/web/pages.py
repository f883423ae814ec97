"""The pages a voter sees: the code box, the ballot form, the thank-you page.

The event loop never touches SQLite (see `core.web.worker`); what depends only
on the voter category (the empty form) is rendered and compressed once and
served from memory; nothing a voter types, and no token, reaches the log.
"""

from __future__ import annotations

import asyncio
import gzip
import math
import re
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from aiohttp import web
from multidict import MultiDictProxy

from core.ballots.storing import BallotEntry, ballot_grades, store_ballot
from core.ballots.tokens import (
    BallotRefused,
    Refusal,
    TokenInfo,
    check_token,
    digest,
    find_token,
    normalise,
)
from core.ballots.validity import BallotProblem, ballot_problems
from core.i18n import language, t
from core.meeting.store import MeetingStore
from core.web import rendering
from core.web.form import COMMENT_LIMIT, ballot_form, parse_form
from core.web.rendering import SERVICE, Service, log, message, render, see_other, thanks
from core.web.worker import ServiceBusy

BODY_TIMEOUT_S = 20.0  # a half-sent body is dropped after this long
RECEIPT = re.compile(r"[0-9A-Z]{5}-[0-9A-Z]{5}")
RECEIPT_COOKIE = "receipt"
RECEIPT_COOKIE_S = 600  # as long as the service keeps an undelivered receipt in memory
CARD = re.compile(r"s\d{1,4}(?:c\d{1,3})?")  # a card or a row of the form: where to return
REFUSED_STATUS = {
    Refusal.UNKNOWN: 404,
    Refusal.REVOKED: 403,
    Refusal.NOT_OPEN: 403,
    Refusal.CLOSED: 403,
}
SIZE_SWITCH = "size"  # the name of the form's text-size button


def refusal_text(kind: Refusal) -> str:
    """What the voter reads when the slip cannot vote now."""
    match kind:
        case Refusal.UNKNOWN:
            return t("web.refused.unknown")
        case Refusal.REVOKED:
            return t("web.refused.revoked")
        case Refusal.USED:
            return t("web.refused.used")
        case Refusal.NOT_OPEN:
            return t("web.refused.not_open")
        case Refusal.CLOSED:
            return t("web.refused.closed")
    raise ValueError(f"unknown refusal {kind!r}")


async def code_page(request: web.Request) -> web.Response:
    return render(request, "code.html")


async def read_form(
    request: web.Request,
) -> MultiDictProxy[str | bytes | bytearray | web.FileField]:
    """The posted fields, read within a time limit. The pages post plain forms: a
    multipart body comes from no page of ours (and aiohttp's parser raises on some
    shapes of it), so it is refused unread; any body that is not a form (a bad
    charset or encoding) is the client's error, never ours."""
    if request.content_type.startswith("multipart/"):
        raise web.HTTPBadRequest()
    try:
        return await asyncio.wait_for(request.post(), BODY_TIMEOUT_S)
    except TimeoutError:
        raise web.HTTPRequestTimeout() from None
    except web.HTTPException:
        raise  # too large: the middleware answers with the way back to the form
    except Exception:  # a body that is not what its headers claim (CLIENT_ERRORS and more)
        log.info("refused a malformed form post")
        raise web.HTTPBadRequest() from None


def _address(request: web.Request) -> str:
    return request.remote or "?"


async def _unknown(request: web.Request, page: web.Response) -> web.Response:
    """An unknown code or link: counted against its address. Within the limit the page
    says so; past it, the answer comes after a pause and says when to try again. Only
    unknown codes ever wait: a valid one never comes here."""
    failures = request.app[SERVICE].failures
    wait = failures.failed(_address(request))
    if wait is None:
        return page
    await failures.pause()
    seconds = max(1, math.ceil(wait))
    until = time.strftime("%H:%M:%S", time.localtime(time.time() + seconds))
    response = message(request, t("web.too_many_attempts", seconds=seconds, time=until), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


async def code_submit(request: web.Request) -> web.Response:
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
        box = render(
            request, "code.html", status=404, message=t("web.refused.unknown"), typed=typed
        )
        return await _unknown(request, box)
    return see_other(f"/v/{quote(code)}")


def _already_in(request: web.Request) -> web.Response:
    """The ballot of this slip is stored: its receipt if it has not been shown yet, or
    if this browser was given it a few minutes ago (a cookie of its own), else a kind
    word. Almost always the same voter (a double tap, a dropped connection)."""
    key = digest(request.match_info["credential"])
    receipt = request.app[SERVICE].handoff.take(key)
    if receipt is not None:
        return thanks(request, receipt)
    kept = request.cookies.get(RECEIPT_COOKIE, "")
    if RECEIPT.fullmatch(kept):
        return thanks(request, kept)
    return render(request, "submitted.html")


async def _refused(request: web.Request, refused: BallotRefused) -> web.Response:
    if refused.kind == Refusal.USED:
        return _already_in(request)
    if refused.kind == Refusal.UNKNOWN:
        # A damaged or mistyped link: the way to type the code from the slip instead.
        page = message(
            request, t("web.refused.unknown"), 404, back="/", back_text=t("web.code_title")
        )
        return await _unknown(request, page)
    return message(request, refusal_text(refused.kind), REFUSED_STATUS[refused.kind])


def _form(
    request: web.Request,
    category: str,
    entry: BallotEntry,
    problems: Sequence[BallotProblem] = (),
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


def _large(request: web.Request) -> bool:
    return request.query.get(SIZE_SWITCH) == "large"


def _form_context(
    request: web.Request,
    category: str,
    entry: BallotEntry,
    problems: Sequence[BallotProblem] = (),
) -> dict[str, Any]:
    return _context_of_form(request.app[SERVICE], category, entry, problems, _large(request))


def _context_of_form(
    service: Service,
    category: str,
    entry: BallotEntry,
    problems: Sequence[BallotProblem] = (),
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
        html = rendering.service_html(service, "ballot.html", **context).encode()
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
    database = request.app[SERVICE].database
    try:
        category, stored = await database.read(_page_data, request.match_info["credential"])
    except BallotRefused as refused:
        return await _refused(request, refused)
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
        # and come back on the larger (or standard) form, at the card whose button it
        # was; nothing is stored.
        service.drafts.keep(_draft_key(request), entry, refused=False)
        wanted, _, anchor = str(size).partition(":")
        place = f"#{anchor}" if CARD.fullmatch(anchor) else ""
        return see_other(
            f"{request.path}?size={'large' if wanted == 'large' else 'standard'}{place}"
        )
    problems = ballot_problems(service.meeting, entry.grades, on_screen=True)
    if problems:
        # The form page after the redirect checks the slip (and refuses a bad one).
        service.drafts.keep(_draft_key(request), entry)
        return see_other(request.path_qs)  # never a page that Back would re-post
    try:
        # The slip is checked inside the write, under the lock: one trip to the database.
        stored = await service.database.write(store_ballot, credential, entry)
    except BallotRefused as refused:
        return await _refused(request, refused)
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
    receipt = stored.receipt or ""
    service.handoff.keep(digest(credential), receipt)
    done = see_other(f"{request.path}/done?r={quote(receipt)}")
    # This browser alone may see the receipt again for a while: a second tap without
    # script makes the browser drop the thank-you page of the first. Kept in the
    # phone, scoped to this slip's address; the service stores nothing of it.
    done.set_cookie(
        RECEIPT_COOKIE,
        receipt,
        path=request.path,
        max_age=RECEIPT_COOKIE_S,
        httponly=True,
        samesite="Strict",
    )
    return done


def _link_of(store: MeetingStore, credential: str) -> TokenInfo | None:
    return find_token(store, credential)


async def done_page(request: web.Request) -> web.Response:
    shown = request.query.get("r", "")
    handed = request.app[SERVICE].handoff.take(digest(request.match_info["credential"]))
    if handed is not None and handed == shown:  # straight from the post that stored it
        return thanks(request, shown)
    info = await request.app[SERVICE].database.read(_link_of, request.match_info["credential"])
    if info is None:
        return await _unknown(request, message(request, t("web.refused.unknown"), 404))
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
