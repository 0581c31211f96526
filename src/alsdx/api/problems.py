"""RFC 9457 problem details (application/problem+json) for every error the API returns.

Validation problems carry an ``errors`` list of ``{field, message}``, where ``field`` is the case-file
path (``exam.bulbar.umn[0]``), the same path ``alsdx assess`` prints.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from alsdx.errors import CaseValidationError, FieldError
from alsdx.model.load import readable_message
from alsdx.services.errors import NotFound
from alsdx.store.accounts import AccountError
from alsdx.store.registry import RegistryError

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("alsdx.api")


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldProblem] | None = None


class ProblemError(Exception):
    def __init__(
        self, status: int, detail: str, *, type_: str = "about:blank", errors: Sequence[FieldError] = ()
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.type, self.errors = status, detail, type_, list(errors)


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    type_: str = "about:blank",
    errors: Sequence[FieldError] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": HTTPStatus(status).phrase, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = [{"field": e.path, "message": e.message} for e in errors]
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def request_field_errors(errors: Sequence[Any]) -> list[FieldError]:
    """FastAPI/pydantic error dicts -> case-file paths (``body`` dropped; query/path parameters by name)."""
    out = []
    for err in errors:
        loc = list(err.get("loc", ()))
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "(document)"
        out.append(FieldError(path, readable_message(err)))
    return out


INVALID = "urn:alsdx:problem:invalid-input"
INVALID_CASE = "urn:alsdx:problem:invalid-case"
MALFORMED = "urn:alsdx:problem:malformed-json"


def install(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_schemas(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return problem_response(400, "The request body is not valid JSON.", type_=MALFORMED)
        return problem_response(
            422, "The request does not match the schema.", type_=INVALID, errors=request_field_errors(errors)
        )

    @app.exception_handler(CaseValidationError)
    async def _case(_: Request, exc: CaseValidationError) -> JSONResponse:
        return problem_response(422, "The case breaks the case-file contract.", type_=INVALID_CASE, errors=exc.errors)

    @app.exception_handler(RegistryError)
    async def _registry(_: Request, exc: RegistryError) -> JSONResponse:
        return problem_response(exc.status, exc.message, type_=INVALID, errors=[FieldError(exc.field, exc.message)])

    @app.exception_handler(AccountError)
    async def _account(_: Request, exc: AccountError) -> JSONResponse:
        field, _sep, message = str(exc).partition(": ")
        status = 409 if "already exists" in message else 422
        return problem_response(status, str(exc), type_=INVALID, errors=[FieldError(field, message)])

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return problem_response(404, str(exc))

    @app.exception_handler(ProblemError)
    async def _problem(_: Request, exc: ProblemError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(exc.status, exc.detail, type_=exc.type, errors=exc.errors, headers=headers)

    @app.exception_handler(sqlalchemy.exc.DBAPIError)
    async def _database(request: Request, exc: sqlalchemy.exc.DBAPIError) -> Response:
        if nul_character(exc):
            return problem_response(422, "Text cannot contain NUL characters (U+0000); remove them.", type_=INVALID)
        if not database_unavailable(exc):
            raise exc  # a bug, not an outage: the server error handler answers 500
        return unavailable(request, exc)

    @app.exception_handler(sqlalchemy.exc.TimeoutError)
    async def _pool_timeout(request: Request, exc: sqlalchemy.exc.TimeoutError) -> Response:
        return unavailable(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        phrase = HTTPStatus(exc.status_code).phrase
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:  # Starlette names only the first route's methods when several share a path
            headers["Allow"] = ", ".join(sorted(allowed_methods(app, request.scope)))
        return problem_response(exc.status_code, detail, headers=headers or None)


UNAVAILABLE = "urn:alsdx:problem:database-unavailable"
RETRY_AFTER_SECONDS = 5


def database_unavailable(exc: sqlalchemy.exc.DBAPIError) -> bool:
    """Connection refused or lost, server gone, SQLite locked or unreadable: an outage to wait out."""
    return exc.connection_invalidated or isinstance(
        exc, sqlalchemy.exc.OperationalError | sqlalchemy.exc.InterfaceError
    )


def nul_character(exc: sqlalchemy.exc.DBAPIError) -> bool:
    """PostgreSQL refuses NUL in text ("cannot contain NUL (0x00) bytes") and in JSONB (``\\u0000``): the
    client sent it, so a 422 rather than a 500 (issue 15; the doors that know the field say so first)."""
    text = str(exc.orig)
    return isinstance(exc, sqlalchemy.exc.DataError) and ("NUL" in text or "\\u0000" in text)


def unavailable(request: Request, exc: Exception) -> Response:
    """503 with Retry-After; the log names the error class only (the message can quote SQL parameters)."""
    log.warning("database unavailable: %s (%s)", type(exc).__name__, type(getattr(exc, "orig", exc)).__name__)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    detail = "The database cannot be reached. Try again shortly."
    if not request.url.path.startswith("/v1/") and "text/html" in request.headers.get("accept", ""):
        page = f"<!doctype html><title>Service unavailable</title><h1>Service unavailable</h1><p>{detail}</p>"
        return HTMLResponse(page, status_code=503, headers=headers)
    return problem_response(503, detail, type_=UNAVAILABLE, headers=headers)


def allowed_methods(app: FastAPI, scope: Any) -> set[str]:
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches(scope)
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return methods


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries documenting problem responses."""
    ref = {"$ref": "#/components/schemas/Problem"}
    return {s: {"description": HTTPStatus(s).phrase, "content": {MEDIA_TYPE: {"schema": ref}}} for s in statuses}


RETRY_AFTER_HEADER = {"Retry-After": {"description": "Seconds after which to retry.", "schema": {"type": "integer"}}}


def add_schemas(openapi: dict[str, Any]) -> dict[str, Any]:
    """Put Problem (and what it refers to) into the OpenAPI components that ``responses`` point at."""
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components = openapi.setdefault("components", {}).setdefault("schemas", {})
    components.update(schema.pop("$defs", {}))
    components["Problem"] = schema
    for path, operations in openapi.get("paths", {}).items():
        for op in operations.values():
            answers = op.setdefault("responses", {})
            if "422" in answers:  # every 422 is a problem (the handler above), not FastAPI's default
                answers["422"] = responses(422)[422]
            if "requestBody" in op:  # api/limits.py answers an oversized body before it is read
                answers.setdefault("413", responses(413)[413])
            if path.startswith("/v1/"):  # the store (or the token check) is unavailable: 503 with Retry-After
                answers.setdefault("503", {**responses(503)[503], "headers": RETRY_AFTER_HEADER})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    return openapi
