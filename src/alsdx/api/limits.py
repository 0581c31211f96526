"""What every request must pass before its body is read: size, time, credentials, no NUL characters.

Issue 15: bodies were parsed before the token check (broken JSON without a token got 400, not 401, and
four unauthenticated 16 MiB bodies added 240 MB); a slow body was never timed out; a NUL character in
a query parameter reached PostgreSQL (500). Now, before any byte of a body is read: a request to the
REST API (``/v1``) that has a body must carry a valid bearer token (401 problem otherwise), and a web
form post other than the log-in form must carry a live session cookie (303 to the log-in page). The
whole body must arrive within ``settings.body_timeout`` seconds (408). A query string or path with a
NUL character is refused with 422.

Body size limits, answered with a 413 problem before the body is read:

A case document is at most 2,000,000 bytes (``alsdx.model.load.MAX_CASE_BYTES``); a batch of up to
1,000 cases and a CDS Hooks call with a patient's whole FHIR prefetch may be larger. Without a limit
a client could make the service hold any body in memory (a 30 MB body was read and parsed before
being refused with 422; docs/reliability.md).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

import anyio
import sqlalchemy.exc
from starlette.exceptions import HTTPException
from starlette.requests import Request

from alsdx.api.deps import bearer_secret, in_db_thread
from alsdx.api.problems import MEDIA_TYPE, RETRY_AFTER_SECONDS, UNAVAILABLE, database_unavailable
from alsdx.store import accounts

MiB = 1024 * 1024
DEFAULT_LIMIT = 2 * MiB
LIMITS = (
    ("/v1/assess:batch", 16 * MiB),
    ("/v1/trials:screen", 16 * MiB),
    ("/cds-services/", 16 * MiB),
    ("/login", 16 * 1024),
)
"""Path prefix -> limit in bytes (trial screening takes as many cases as the batch); anything else gets
DEFAULT_LIMIT (web forms included). The log-in form, the only body anyone may send without credentials, gets 16 KiB."""


OPEN_ASSESS_PATHS = ("/v1/assess", "/v1/assess:batch", "/v1/trials:screen")
"""The stateless paths ``ALSDX_OPEN_ASSESS=1`` opens to anyone (they store and read nothing)."""


def limit_for(path: str) -> int:
    return next((limit for prefix, limit in LIMITS if path.startswith(prefix)), DEFAULT_LIMIT)


class BodyLimit:
    """Pure ASGI middleware: refuses a declared Content-Length over the limit at once, and stops a
    body (chunked or lying about its length) as soon as it grows past the limit. Also the other
    checks of the module docstring: credentials first, a deadline for the body, no NUL characters."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _has_nul(scope):
            await _problem(send, 422, "The path or query string contains a NUL character.")
            return
        limit = limit_for(scope["path"])
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        has_body = (declared.isdigit() and int(declared) > 0) or b"transfer-encoding" in headers
        try:
            if has_body and not await _credentials_first(scope, send):
                return
        except DatabaseDown:
            await _problem(send, 503, "The database cannot be reached. Try again shortly.", UNAVAILABLE)
            return
        settings = scope["app"].state.settings if "app" in scope else None
        deadline = anyio.current_time() + (settings.body_timeout if settings else 30.0)
        received = 0
        started = False

        async def counted_receive() -> Any:
            nonlocal received
            try:
                with anyio.fail_after(max(0.0, deadline - anyio.current_time())):
                    message = await receive()
            except TimeoutError:
                raise TooSlow() from None
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
        except TooSlow:
            if not started:
                await _problem(send, 408, "The request body did not arrive in time.")


def _has_nul(scope: Any) -> bool:
    raw = (scope.get("query_string") or b"") + (scope.get("raw_path") or b"")
    return b"\x00" in raw or b"%00" in raw.lower() or "\x00" in scope["path"]


async def _credentials_first(scope: Any, send: Any) -> bool:
    """False (and the refusal sent) when a request with a body lacks the credentials its path needs."""
    path: str = scope["path"]
    app = scope.get("app")
    if app is None:
        return True
    request = Request(scope)
    if path.startswith("/v1/"):
        if app.state.settings.open_assess and path in OPEN_ASSESS_PATHS:
            return True
        secret = bearer_secret(request)
        if secret is None or not await _live(request, secret, "api"):
            await _problem(send, 401, "A valid bearer token is required (Authorization: Bearer <token>).")
            return False
        return True
    if scope["method"] == "POST" and not path.startswith(("/login", "/cds-services")):
        from alsdx.api.pages.session import session_cookie

        secret = request.cookies.get(session_cookie(request), "")
        if not secret or not await _live(request, secret, "session"):
            await send({"type": "http.response.start", "status": 303, "headers": [(b"location", b"/login"),
                        (b"content-length", b"0")]})  # fmt: skip
            await send({"type": "http.response.body", "body": b""})
            return False
    return True


async def _live(request: Request, secret: str, kind: str) -> bool:
    def check() -> bool:
        with request.app.state.sessions() as db:
            return accounts.authenticate(db, secret, kind=kind) is not None

    try:
        return await in_db_thread(request, check)
    except sqlalchemy.exc.TimeoutError:
        raise DatabaseDown from None
    except sqlalchemy.exc.DBAPIError as exc:
        if database_unavailable(exc):
            raise DatabaseDown from None
        raise


class DatabaseDown(Exception):
    """The token could not be checked: the database is unreachable (answered 503, as the routes do)."""


class TooSlow(HTTPException):
    """The body's deadline passed (an HTTPException, for the same reason as TooLarge)."""

    def __init__(self) -> None:
        super().__init__(408, "The request body did not arrive in time.")


class TooLarge(HTTPException):
    """Raised while the body is read; an HTTPException, so the app's handler answers a 413 problem
    (FastAPI turns any other error during body parsing into a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The body exceeds {limit} bytes.")


async def _too_large(send: Any, limit: int) -> None:
    await _problem(send, 413, f"The body exceeds {limit} bytes.")


async def _problem(send: Any, status: int, detail: str, type_: str = "about:blank") -> None:
    body = json.dumps({"type": type_, "title": HTTPStatus(status).phrase, "status": status, "detail": detail}).encode()
    headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
    if status == 503:
        headers.append((b"retry-after", str(RETRY_AFTER_SECONDS).encode()))
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    if status in (401, 408, 413):
        headers.append((b"connection", b"close"))  # the unread body is not left on the connection
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
