"""Who is logged in to the web pages, and how a page's work runs as them.

Sessions are server-side tokens (kind "session") in an HttpOnly, SameSite=Lax cookie, Secure and named
``__Host-alsdx_session`` when served over https. Every form carries a CSRF token: before login a double-submit
cookie (``pages/login.py``), after login an HMAC of the session secret.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from alsdx.api.deps import in_db_thread
from alsdx.services.errors import NotFound
from alsdx.store import accounts
from alsdx.store.accounts import Principal

SESSION_COOKIE = "alsdx_session"
HOST_SESSION_COOKIE = "__Host-alsdx_session"


class LoginRequired(Exception):
    """No live session, or a forged or stale form: answered with a redirect to the login page."""


class PageNotFound(Exception):
    """Answered with the "not found" page (404)."""


def csrf_token(session_secret: str) -> str:
    return hmac.new(session_secret.encode(), b"alsdx-csrf", hashlib.sha256).hexdigest()


def same_secret(a: str, b: str) -> bool:
    """Constant-time equality of two non-empty secrets."""
    return bool(a) and hmac.compare_digest(a.encode(), b.encode())


def session_cookie(request: Request) -> str:
    """``__Host-alsdx_session`` over https: browsers accept that name only with Secure, Path=/ and no
    Domain, so a same-site page (another subdomain) cannot plant its own session on the victim (issue 15,
    finding 10). Plain http (local development) cannot set a Secure cookie: there the name is
    ``alsdx_session``, which is never read over https."""
    return HOST_SESSION_COOKIE if request.url.scheme == "https" else SESSION_COOKIE


def _principal(request: Request, db: Session) -> Principal:
    secret = request.cookies.get(session_cookie(request), "")
    who = accounts.authenticate(db, secret, kind="session") if secret else None
    if who is None:
        raise LoginRequired
    request.state.csrf = csrf_token(secret)
    return who


def check_csrf(request: Request, form: FormData) -> None:
    if not same_secret(str(form.get("csrf", "")), getattr(request.state, "csrf", "")):
        raise LoginRequired  # a forged or stale form: start again from the login page


def _in_session(request: Request, work: Callable[[Session, Principal], Response]) -> Response:
    """Run a page's work in one transaction as the logged-in user; what the services cannot find is a 404 page."""
    try:
        with _db(request) as db, db.begin():
            return work(db, _principal(request, db))
    except NotFound:
        raise PageNotFound from None


def _db(request: Request) -> Session:
    session: Session = request.app.state.sessions()
    return session


async def run_as_user(request: Request, work: Callable[[Session, Principal], Response]) -> Response:
    """A page's database work, in the threadpool while holding a database slot, as the logged-in user."""
    return await in_db_thread(request, lambda: _in_session(request, work))
