"""The FastAPI application: REST API under /v1, the clinician web pages, OpenAPI at /openapi.json."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Sequence
from typing import Any

import anyio
from fastapi import FastAPI

from alsdx.api import problems, routes_admin, routes_assess, routes_patients, routes_trials
from alsdx.api.limits import BodyLimit
from alsdx.api.login import PasswordChecks
from alsdx.api.settings import Settings
from alsdx.api.startup import lifespan
from alsdx.rules.version import RULESET_VERSION
from alsdx.store.engine import max_concurrency, open_store
from alsdx.trials.catalog import configured_trials
from alsdx.trials.model import Trial

access_log = logging.getLogger("alsdx.access")
error_log = logging.getLogger("alsdx.errors")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
]


NO_STORE = (b"cache-control", b"no-store")
"""Every answer but the static files may hold patient data: browsers and proxies must not keep a copy
(issue 15, finding 15). An answer that sets its own Cache-Control keeps it."""


def _transport_headers(scope: Any) -> list[tuple[bytes, bytes]]:
    """Strict-Transport-Security on https answers when ``ALSDX_HSTS_SECONDS`` is set."""
    app = scope.get("app")
    seconds = app.state.settings.hsts_seconds if app is not None else 0
    if seconds > 0 and scope.get("scheme") == "https":
        return [(b"strict-transport-security", f"max-age={seconds}; includeSubDomains".encode())]
    return []


class AccessLog:
    """Pure ASGI middleware: logs method, route *template*, status and time — never ids, queries or bodies,
    so no patient data reaches the log. Also sets the security headers.

    An unhandled error is answered here with a 500 problem and logged with its type and stack only:
    its message can quote data (PostgreSQL's "Key (reference)=(MRN-…) already exists"), and the
    server would print it (found by tests/reliability/test_logs_without_patient_data.py)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        started = False

        extra = SECURITY_HEADERS + _transport_headers(scope)

        async def send_wrapper(message: Any) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                headers = list(message.get("headers", []))
                if not any(k.lower() == b"cache-control" for k, _ in headers) and not scope["path"].startswith(
                    "/static/"
                ):
                    headers.append(NO_STORE)
                message["headers"] = headers + extra
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            stack = "".join(traceback.format_tb(exc.__traceback__))
            error_log.error("unhandled %s in %s %s\n%s", type(exc).__name__, scope["method"], _route(scope), stack)
            if not started:
                await problems.problem_response(500, "Internal error; the server log has the details.")(
                    scope, receive, send_wrapper
                )
            raise UnhandledError(f"unhandled {type(exc).__name__}; see the alsdx.errors log") from None
        finally:
            access_log.info(
                "%s %s %d %.1fms", scope["method"], _route(scope), status, (time.perf_counter() - start) * 1e3
            )


class UnhandledError(Exception):
    """Raised in place of an unhandled error, so the server logs no message that could hold data."""


def _route(scope: Any) -> str:
    return getattr(scope.get("route"), "path", None) or "(unmatched)"


def _mount_cds_hooks(app: FastAPI) -> None:
    """CDS Hooks (discovery at /cds-services) beside the REST API; its own settings (``ALSDX_CDS_*``) keep
    it closed until an EHR's keys are configured."""
    from alsdx.api.cds import CdsService, add_cds_cors

    # The replay cache lives in the registry's database, shared by every worker and instance (issue 16).
    service = CdsService(sessions=app.state.sessions, trials=app.state.trials)
    app.state.cds = service
    app.include_router(service.router())
    add_cds_cors(app, service.settings)


def create_app(settings: Settings | None = None, trials: Sequence[Trial] | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="alsdx",
        version=RULESET_VERSION,
        description="ALS clinical decision support: criteria categories, with the evidence behind them. "
        "It supports a clinician's decision; it does not diagnose. Errors are RFC 9457 problem details.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    # The clinic's trial list (ALSDX_TRIALS_DIR, else the bundled trials), checked before serving (docs/trials.md).
    app.state.trials = configured_trials() if trials is None else tuple(trials)
    app.state.sessions = open_store(settings.database_url)
    app.state.db_slots = anyio.Semaphore(max_concurrency(settings.database_url))
    app.state.password_checks = PasswordChecks(settings.login_concurrency, settings.login_queue)
    problems.install(app)
    app.include_router(routes_assess.router)
    app.include_router(routes_trials.router)
    app.include_router(routes_patients.router)
    app.include_router(routes_admin.router)
    _mount_cds_hooks(app)
    from alsdx.api import pages

    pages.install(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(AccessLog)  # outermost of the two, so the 413 carries the security headers too
    return app
