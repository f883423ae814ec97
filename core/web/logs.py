"""The service's log: one line per event, never a token, never a ballot path."""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

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


def service_log_handler(stream: TextIO | None = None) -> logging.Handler:
    """The service's log: stderr (the console's `.serve.log` file), never a token."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(ClientErrorsInOneLine())
    return handler
