"""Log in and log out (the throttled password check itself is ``api/login.py``).

Before login the form's CSRF token is a double-submit cookie: the form must echo it.
"""

from __future__ import annotations

import math
import secrets
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from alsdx.api.deps import record
from alsdx.api.login import log_in
from alsdx.api.pages.rendering import render
from alsdx.api.pages.session import check_csrf, run_as_user, same_secret, session_cookie
from alsdx.store import accounts
from alsdx.store.accounts import Principal

LOGIN_CSRF_COOKIE = "alsdx_login_csrf"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/patients", status_code=303)


@router.get("/login")
async def login_form(request: Request, next: str = "/patients") -> Response:
    return _login_page(request, _safe_next(next))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "/patients")))
    if not same_secret(str(form.get("login_csrf", "")), request.cookies.get(LOGIN_CSRF_COOKIE, "")):
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    outcome = await log_in(request, name, password)
    if outcome.wait or outcome.busy:
        wait = outcome.wait or 5
        minutes = math.ceil(wait / 60)
        error = (
            f"Too many failed log-ins. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
            if outcome.wait
            else "The service is busy checking other log-ins. Try again in a few seconds."
        )
        refused = render(
            request,
            "login.html",
            None,
            status=429 if outcome.wait else 503,
            login_csrf=str(form.get("login_csrf", "")),
            next=target,
            error=error,
        )
        refused.headers["Retry-After"] = str(wait)
        return refused
    if outcome.secret is None:
        return _login_page(request, target, status=401, error="Unknown user name or wrong password.")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        session_cookie(request),
        outcome.secret,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
        max_age=int(request.app.state.settings.session_hours * 3600),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form()

    def work(db: Session, who: Principal) -> Response:
        check_csrf(request, form)
        accounts.revoke_token(db, who.token_id)
        record(db, request, who, "logout")
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(session_cookie(request), path="/", secure=request.url.scheme == "https")
        return response

    return await run_as_user(request, work)


def _login_page(request: Request, target: str, status: int = 200, error: str | None = None) -> Response:
    """The log-in form with a fresh CSRF token, set as a cookie the form must echo (double submit)."""
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", None, status=status, login_csrf=token, next=target, error=error)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=3600,
    )
    return response


def _safe_next(target: str) -> str:
    """Only local paths: never redirect off-site after login."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/patients"
