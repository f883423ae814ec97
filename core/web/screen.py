"""The projector's view as a read-only web page, for a venue whose big screen is driven
by another computer that only runs a browser (#19, "beyond the terminal").

`/screen?key=…` (the key `sanshu display --web` prints; only its hash is stored) is a
page laid out in viewport units; it follows the meeting through server-sent events
(`/screen/events?key=…`): phase, subject, clock, the question being asked, the QR code
and turnout while scoring is open, the results once the host shows them, black when
the host blanks the projector. Without the key there is nothing, not even a title.
Its script and style are files of the service (a strict Content-Security-Policy
allows no inline script or style). The state is read off the event loop, in the
service's reader threads (`Database.read`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import time
from importlib.resources import files
from typing import Any

from aiohttp import web

from core.ballots.slips import ballot_address, qr_svg
from core.ballots.turnout import turnout
from core.i18n import t, tn
from core.meeting.labels import phase_label, poll_label
from core.meeting.model import Phase, Poll
from core.meeting.store import MeetingStore
from core.meeting.timer import level
from core.record.entries import QuestionState, Record
from core.web.rendering import SERVICE, service_html

KEY_META = "screen_key_sha256"
POLL_S = 0.25  # how often a connected screen's state is read again
KEEPALIVE_S = 15.0  # a comment line keeps proxies and the browser from closing the stream
MAX_SCREENS = 16  # screens following at once (an LED wall, a spare projector, a test)
STATIC = {"screen.js": "text/javascript", "screen.css": "text/css"}


def new_key(store: MeetingStore) -> str:
    """A new key for the web screen; the old one stops working. Only its hash is kept."""
    key = secrets.token_urlsafe(16)
    store.set_meta(KEY_META, _digest(key))
    return key


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def _key_matches(store: MeetingStore, key: str) -> bool:
    stored = store.meta(KEY_META)
    return bool(stored) and 0 < len(key) <= 64 and hmac.compare_digest(stored or "", _digest(key))


def screen_state(store: MeetingStore) -> dict[str, Any]:
    """What the projector shows now, as data (in a reader thread)."""
    meeting = store.meeting
    state = store.state()
    step = state.step
    now = store.clock()
    shown: dict[str, Any] = {"title": meeting.title, "blank": store.projector_blank(), "now": now}
    shown["phase"] = phase_label(step.phase)
    shown["subject"] = step.subject or ""
    unit = ""
    if step.subject:
        subject = meeting.subject(step.subject)
        unit = subject.unit if subject.unit != subject.name else ""
    elif step.phase in (Phase.SCORING, Phase.RESULTS):
        unit = tn("stage.all_subjects", len(meeting.subjects))
    shown["unit"] = unit
    timer = step.timer
    if timer is not None and step.timing is not None:
        shown["clock"] = {
            "duration": timer.duration + timer.added,
            "started_at": timer.started_at,
            "paused_at": timer.paused_at,
            "paused_total": timer.paused_total,
            "warning": step.timing.warning,
            "danger": step.timing.danger,
            "level": level(timer, now, step.timing.warning, step.timing.danger),
            "paused": timer.started and not timer.running,
        }
    asking = None
    if step.subject and step.phase == Phase.QUESTIONS:
        for question in Record(store).questions(step.subject):
            if question.state == QuestionState.ASKING:
                title = (
                    t("display.asking", asker=question.asker)
                    if question.asker
                    else t("display.asking_anonymous")
                )
                asking = {"title": title, "text": question.text}
    shown["asking"] = asking
    scoring = step.phase == Phase.SCORING
    shown["qr"] = scoring and state.poll == Poll.OPEN  # only while phones can vote
    shown["address"] = ballot_address(store) if shown["qr"] else ""
    shown["note"] = ""
    if scoring and state.poll == Poll.NOT_OPEN:
        shown["note"] = t("display.scoring_not_open")
    elif step.phase == Phase.RESULTS and not state.results_visible(meeting):
        shown["note"] = t("results.hidden")
    shown["turnout"] = None
    if scoring and state.poll != Poll.NOT_OPEN:
        counts = turnout(store)
        shown["turnout"] = {
            "status": t("panel.turnout.status", poll=poll_label(state.poll)),
            "total": t(
                "turnout.total",
                submitted=sum(n for n, _ in counts.values()),
                expected=meeting.expected_voters,
            ),
            "rows": [[name, n, wanted] for name, (n, wanted) in counts.items()],
        }
    shown["results"] = _results(store) if state.results_visible(meeting) else None
    return shown


def _results(store: MeetingStore) -> dict[str, Any]:
    from core.ballots.points import report
    from core.ballots.results import load_tally

    tally = load_tally(store)
    digits = tally.meeting.rules.digits
    row = store.meta("results_row")
    return {
        "columns": [t("col.rank"), t("col.subject"), t("col.final_grade"), t("col.final_score")],
        "selected": int(row) if row and row.isdigit() else 0,
        "rows": [
            [
                str(subject.rank or "—"),
                subject.name,
                subject.final_grade or "—",
                str(report(subject.final_score, digits) or "—"),
            ]
            for subject in tally.subjects
        ],
    }


async def _authorised(request: web.Request) -> bool:
    key = request.query.get("key", "")
    database = request.app[SERVICE].database
    return bool(key) and await database.read(_key_matches, key)


def _nothing() -> web.Response:
    """Without the key, nothing at all: not even the meeting's title."""
    return web.Response(status=404, text="", headers={"Cache-Control": "no-store"})


async def screen_page(request: web.Request) -> web.Response:
    if not await _authorised(request):
        return _nothing()
    html = service_html(request.app[SERVICE], "screen.html", key=request.query["key"])
    response = web.Response(text=html, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


async def screen_static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in STATIC:
        raise web.HTTPNotFound
    body = files("core.web").joinpath("static", name).read_bytes()
    return web.Response(body=body, content_type=STATIC[name], charset="utf-8")


async def screen_qr(request: web.Request) -> web.Response:
    """The ballot address's QR code as SVG, only while scoring is open."""
    if not await _authorised(request):
        return _nothing()
    state = await request.app[SERVICE].database.read(screen_state)
    if not state["qr"]:
        return _nothing()
    response = web.Response(text=qr_svg(state["address"]), content_type="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"
    return response


_following: set[asyncio.Task[Any]] = set()


async def screen_events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: the state as JSON each time it changes."""
    if not await _authorised(request):
        return _nothing()
    if len(_following) >= MAX_SCREENS:
        raise web.HTTPServiceUnavailable
    database = request.app[SERVICE].database
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    task = asyncio.current_task()
    if task is not None:
        _following.add(task)
    last: dict[str, Any] | None = None
    quiet_since = time.monotonic()
    try:
        while request.transport is not None and not request.transport.is_closing():
            try:
                state = await database.read(screen_state)
            except Exception:  # a busy or damaged file: try again at the next look
                state = None
            if state is not None:
                same = last is not None and {**state, "now": 0} == {**last, "now": 0}
                if not same:
                    await response.write(_event(state))
                    last, quiet_since = state, time.monotonic()
            if time.monotonic() - quiet_since > KEEPALIVE_S:
                await response.write(b": keepalive\n\n")
                quiet_since = time.monotonic()
            await asyncio.sleep(POLL_S)
    except ConnectionResetError:
        pass  # the screen went away
    finally:
        if task is not None:
            _following.discard(task)
    return response


def _event(state: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(state, ensure_ascii=False)}\n\n".encode()


async def _stop_following(_app: web.Application) -> None:
    """The service is stopping: the open streams end now, not at aiohttp's timeout."""
    for task in list(_following):
        task.cancel()


def add_routes(app: web.Application) -> None:
    app.on_shutdown.append(_stop_following)
    app.router.add_get("/screen", screen_page)
    app.router.add_get("/screen/events", screen_events)
    app.router.add_get("/screen/qr.svg", screen_qr)
    app.router.add_get("/screen/static/{name}", screen_static)
