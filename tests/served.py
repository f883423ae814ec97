"""The ballot service under test, run the way `sanshu serve` runs it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from core.web.app import SERVER_OPTIONS


@contextlib.asynccontextmanager
async def served(app: web.Application) -> AsyncIterator[TestClient]:
    server = TestServer(app)
    await server.start_server(**SERVER_OPTIONS)  # no access log, as in production
    async with TestClient(server) as client:
        yield client
