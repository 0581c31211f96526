"""Request body size limits, answered with a 413 problem before the body is read.

A case document is at most 2,000,000 bytes (``alsdx.model.load.MAX_CASE_BYTES``); a batch of up to
1,000 cases and a CDS Hooks call with a patient's whole FHIR prefetch may be larger. Without a limit
a client could make the service hold any body in memory (a 30 MB body was read and parsed before
being refused with 422; docs/reliability.md).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from starlette.exceptions import HTTPException

from alsdx.api.problems import MEDIA_TYPE

MiB = 1024 * 1024
DEFAULT_LIMIT = 2 * MiB
LIMITS = (("/v1/assess:batch", 16 * MiB), ("/cds-services/", 16 * MiB))
"""Path prefix -> limit in bytes; anything else gets DEFAULT_LIMIT (web forms included)."""


def limit_for(path: str) -> int:
    return next((limit for prefix, limit in LIMITS if path.startswith(prefix)), DEFAULT_LIMIT)


class BodyLimit:
    """Pure ASGI middleware: refuses a declared Content-Length over the limit at once, and stops a
    body (chunked or lying about its length) as soon as it grows past the limit."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        received = 0
        started = False

        async def counted_receive() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge(limit)
            return message

        async def watched_send(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except TooLarge:
            if not started:
                await _too_large(send, limit)


class TooLarge(HTTPException):
    """Raised while the body is read; an HTTPException, so the app's handler answers a 413 problem
    (FastAPI turns any other error during body parsing into a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The body exceeds {limit} bytes.")


async def _too_large(send: Any, limit: int) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": HTTPStatus(413).phrase,
            "status": 413,
            "detail": f"The body exceeds {limit} bytes.",
        }
    ).encode()
    headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
