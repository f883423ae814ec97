"""The connection test (连通测试): before scoring opens, a few phones on the venue's
Wi-Fi open `/test` (the podium and the projector show its QR code) and read "连接成功"
with the meeting's name. It needs no slip and stores nothing: the service counts the
distinct addresses that opened it, in memory only (this laptop's own visits, through
loopback or its own address, do not count). The podium, the projector and `sanshu
network` read the count at `/test/count?meeting=<the meeting's id>`; without the id
there is nothing there.

The page has no script and no inline style: its style is a file of the service, which
the service's Content-Security-Policy (core/web/assets.py) allows as `'self'`.
"""

from __future__ import annotations

import ipaddress
from importlib.resources import files

from aiohttp import web

from core.web.rendering import SERVICE, service_html

MAX_COUNTED = 10_000  # distinct addresses remembered; a venue has a few hundred phones
TESTED = web.AppKey("phones_tested", set)


def _from_elsewhere(request: web.Request) -> str | None:
    """The client's address when it is another device, not this laptop."""
    remote = request.remote or ""
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    local = sockname[0] if sockname else ""
    try:
        ip = ipaddress.ip_address(remote)
    except ValueError:
        return None
    if ip.is_loopback or remote == local:
        return None
    return remote


async def test_page(request: web.Request) -> web.Response:
    tested = request.app[TESTED]
    client = _from_elsewhere(request)
    if client is not None and len(tested) < MAX_COUNTED:
        tested.add(client)
    html = service_html(request.app[SERVICE], "test.html")
    response = web.Response(text=html, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


async def test_style(_request: web.Request) -> web.Response:
    body = files("core.web").joinpath("static", "test.css").read_bytes()
    return web.Response(body=body, content_type="text/css", charset="utf-8")


async def test_count(request: web.Request) -> web.Response:
    """How many phones passed the test, for the podium, the projector and `sanshu network`."""
    service = request.app[SERVICE]
    if request.query.get("meeting", "") != service.meeting_uid or not service.meeting_uid:
        raise web.HTTPNotFound
    return web.json_response(
        {
            "app": "sanshu",
            "meeting_uid": service.meeting_uid,
            "phones_tested": len(request.app[TESTED]),
        },
        headers={"Cache-Control": "no-store"},
    )


def add_routes(app: web.Application) -> None:
    app[TESTED] = set()
    app.router.add_get("/test", test_page)
    app.router.add_get("/test.css", test_style)
    app.router.add_get("/test/count", test_count)
