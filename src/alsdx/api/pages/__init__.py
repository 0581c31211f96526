"""The clinician web pages (server-rendered): log in, patient list, case-entry form, assessment view.

One router per resource, over the same services (``alsdx.services``) and audit actions as the REST API;
``install(app)`` mounts them with the static files and the two page-level answers (login redirect, not found).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from alsdx.api.pages import login, patients, visit_form, visits
from alsdx.api.pages.rendering import API_DIR, render
from alsdx.api.pages.session import LoginRequired, PageNotFound


async def _to_login(request: Request, _: Exception) -> Response:
    target = request.url.path if request.method == "GET" else "/patients"
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


async def _not_found(request: Request, _: Exception) -> Response:
    return render(request, "not_found.html", None, status=404)


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(API_DIR / "static")), name="static")
    app.add_exception_handler(LoginRequired, _to_login)
    app.add_exception_handler(PageNotFound, _not_found)
    app.include_router(login.router)
    app.include_router(patients.router)
    app.include_router(visit_form.router)  # before visits: /visits/new is not a visit id
    app.include_router(visits.router)
