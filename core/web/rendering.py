"""What every page of the ballot service shares: the service's memory and the way a
page is rendered (plain HTML, no-store, compressed only when large)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from html import escape
from typing import Any

import jinja2
from aiohttp import web

from core.i18n import language, t
from core.meeting.model import Meeting
from core.web.form import Drafts
from core.web.limits import FailureLimit, ReceiptHandoff
from core.web.worker import Database

# Only the form is worth compressing: the thank-you and message pages (~6 KB) fit the
# first round trip of any connection, and compressing each one costs more than sending it.
COMPRESS_OVER = 16 * 1024
log = logging.getLogger("sanshu.web")


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
    # (category, language, large text) → the empty form, as HTML and gzipped.
    forms: dict[tuple[str, str, bool], tuple[bytes, bytes]] = field(default_factory=dict)
    thanks: dict[tuple[str, bool], tuple[str, str]] = field(default_factory=dict)


SERVICE = web.AppKey("service", Service)


def _html(request: web.Request, name: str, **context: Any) -> str:
    return service_html(request.app[SERVICE], name, **context)


def service_html(service: Service, name: str, **context: Any) -> str:
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
    if isinstance(response.body, bytes) and len(response.body) > COMPRESS_OVER:
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


def message(
    request: web.Request,
    text: str,
    status: int,
    back: str | None = None,
    back_text: str | None = None,
) -> web.Response:
    return render(
        request, "message.html", status=status, message=text, back=back, back_text=back_text
    )


def _shown_path(request: web.Request) -> str:
    """The path for a log line, with any token cut out."""
    return "/v/…" if request.path.startswith("/v/") else request.path
