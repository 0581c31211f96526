"""The CDS Hooks HTTP surface: discovery at ``GET /cds-services``, the service calls, their feedback endpoints,
and the stand-alone app with CORS (https://cds-hooks.hl7.org/2.0/).

``CdsService(settings).router()`` is a FastAPI ``APIRouter`` to mount at the application root (paths are absolute,
as the spec requires). Every call must carry a JWT of a trusted EHR (:mod:`alsdx.api.cds.auth`); a body that is
not a CDS Hooks request is a 400 (not FastAPI's 422), data that cannot be obtained a 412.
"""

from __future__ import annotations

import json
import logging
import re
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from http import HTTPStatus
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from alsdx.api.cds.auth import AuthError, JwtVerifier, authenticate
from alsdx.api.cds.fhir_client import Precondition
from alsdx.api.cds.hooks import HOOK_OF_SERVICE, SERVICES, Hooks
from alsdx.api.cds.messages import CdsRequest, Feedback, FeedbackRequest
from alsdx.api.cds.prefetch import patient_view_prefetch
from alsdx.api.cds.settings import CdsSettings
from alsdx.api.startup import lifespan
from alsdx.fhir import local_codes
from alsdx.trials.catalog import configured_trials
from alsdx.trials.model import Trial

log = logging.getLogger("alsdx.cds")
BodyT = TypeVar("BodyT", bound=BaseModel)

FEEDBACK_MAX_ITEMS = 20
"""Feedback objects per request; the body itself is limited by alsdx.api.limits."""
FEEDBACK_KEPT = 1000


class CdsService:
    """One configured CDS Hooks service: settings, JWT verifier, replay cache, hooks and feedback log."""

    def __init__(
        self,
        settings: CdsSettings | None = None,
        today: Callable[[], date] | None = None,
        *,
        sessions: Any = None,
        codes: local_codes.LocalCodes | None = None,
        trials: Sequence[Trial] | None = None,
    ) -> None:
        """``sessions`` (an alsdx store sessionmaker) keeps the JWT replay cache in the database, shared by every
        worker and instance on it; ``codes`` is the hospital's ConceptMap (default: ``ALSDX_FHIR_CONCEPT_MAP``,
        checked here, at start); ``trials`` the trials patient-view screens against (default: ``ALSDX_TRIALS_DIR``,
        else the bundled trials, checked here; none: no trial card)."""
        self.settings = settings or CdsSettings.from_env()
        self.settings.check_serving()
        replay = None
        if sessions is not None:
            from alsdx.api.cds.replay import DbReplayCache

            replay = DbReplayCache(sessions, self.settings.leeway_seconds)
        self.verifier = JwtVerifier(self.settings, replay=replay)
        codes = codes if codes is not None else local_codes.from_env()
        prefetch = patient_view_prefetch(codes)
        trials = tuple(configured_trials() if trials is None else trials)
        self.hooks = Hooks(self.settings, today or (lambda: datetime.now(UTC).date()), codes, prefetch, trials)
        self.services = [
            {**SERVICES[0], "prefetch": prefetch},
            SERVICES[1],
        ]
        self.feedback_log: deque[dict[str, Any]] = deque(maxlen=FEEDBACK_KEPT)

    async def _admitted(self, service_id: str, request: Request, model: type[BodyT]) -> BodyT | JSONResponse:
        """A call's checks in the order the service answers them: the service exists (404), the caller is
        authorised (401), the body is a valid ``model`` (400). Returns the body, or the response refusing it."""
        if service_id not in HOOK_OF_SERVICE:
            return JSONResponse({"error": f"no CDS service {service_id!r}"}, status_code=404)
        denied = await self._denied(request)
        if denied:
            return denied
        try:
            return model.model_validate(await _json(request))
        except (ValidationError, ValueError) as exc:
            return _bad_request(exc)

    async def _denied(self, request: Request) -> JSONResponse | None:
        """The 401 answer of a call without a valid token; None when it may go on."""
        try:
            await authenticate(self.verifier, request)
        except AuthError as exc:
            log.warning("CDS call rejected: %s", exc)
            return JSONResponse(
                {"error": "unauthorized", "detail": str(exc)},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return None

    def router(self) -> APIRouter:
        router = APIRouter(tags=["CDS Hooks"])

        @router.get("/cds-services", responses=_documented(401))
        async def discovery(request: Request) -> JSONResponse:
            """CDS Hooks discovery: the services this server offers and their prefetch templates."""
            denied = await self._denied(request)
            return denied or JSONResponse({"services": self.services})

        @router.post(
            "/cds-services/{service_id}",
            responses=_documented(400, 401, 404, 412),
            openapi_extra=_body_schema(_HOOK_REQUEST),
        )
        async def call_service(service_id: str, request: Request) -> JSONResponse:
            """Invoke a CDS service; the JSON body is a CDS Hooks request."""
            body = await self._admitted(service_id, request, CdsRequest)
            if isinstance(body, JSONResponse):
                return body
            if body.hook != HOOK_OF_SERVICE[service_id]:
                return JSONResponse(
                    {"error": f"service {service_id} answers hook {HOOK_OF_SERVICE[service_id]!r}, not {body.hook!r}"},
                    status_code=400,
                )
            if body.fhirAuthorization is not None and not body.fhirServer:
                return JSONResponse(
                    {"error": "fhirServer is required when fhirAuthorization is given"}, status_code=400
                )
            patient_id = body.context.get("patientId")
            if not isinstance(patient_id, str) or not patient_id:
                return JSONResponse({"error": "context.patientId is required"}, status_code=400)
            try:
                cards = await self.hooks.call(service_id, body, patient_id)
            except Precondition as exc:
                return JSONResponse({"error": "precondition failed", "detail": str(exc)}, status_code=412)
            except ValueError as exc:  # a prefetch token without a value in context (alsdx's own message)
                return JSONResponse({"error": "invalid CDS Hooks request", "detail": [str(exc)]}, status_code=400)
            return JSONResponse({"cards": cards})

        @router.post(
            "/cds-services/{service_id}/feedback",
            responses=_documented(400, 401, 404),
            openapi_extra=_body_schema(_FEEDBACK_REQUEST),
        )
        async def feedback(service_id: str, request: Request) -> JSONResponse:
            """Feedback on cards (accepted suggestions, overrides)."""
            body = await self._admitted(service_id, request, FeedbackRequest)
            if isinstance(body, JSONResponse):
                return body
            if len(body.feedback) > FEEDBACK_MAX_ITEMS:
                return JSONResponse(
                    {"error": f"at most {FEEDBACK_MAX_ITEMS} feedback objects per request"}, status_code=400
                )
            for item in body.feedback:
                if item.outcome == "accepted" and not item.acceptedSuggestions:
                    return JSONResponse(
                        {"error": "acceptedSuggestions is required for an accepted outcome"}, status_code=400
                    )
            for item in body.feedback:
                self.feedback_log.append(_feedback_entry(service_id, item))
                # Never the raw card: ids are logged only when they are alsdx's own UUIDs (no log injection), and
                # override comments (free text that may name the patient) are neither kept nor logged.
                log.info("CDS feedback: service %s card %s %s", service_id, _safe_id(item.card), item.outcome)
            return JSONResponse({})

        return router


_ERROR_BODY = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
_HOOK_REQUEST = {
    "type": "object",
    "required": ["hook", "hookInstance", "context"],
    "properties": {
        "hook": {"type": "string"},
        "hookInstance": {"type": "string", "minLength": 1},
        "fhirServer": {"type": "string"},
        "fhirAuthorization": {"type": "object"},
        "context": {"type": "object"},
        "prefetch": {"type": "object"},
    },
}
_FEEDBACK_REQUEST = {
    "type": "object",
    "required": ["feedback"],
    "properties": {"feedback": {"type": "array", "items": {"type": "object"}}},
}


def _documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries of the CDS Hooks error answers ({"error": ...}), so that clients and the
    schemathesis contract test (tests/reliability) know them."""
    content = {"application/json": {"schema": _ERROR_BODY}}
    return {s: {"description": HTTPStatus(s).phrase, "content": content} for s in statuses}


def _body_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The request body in OpenAPI; the handler reads it itself, to answer CDS Hooks' 400 rather than 422."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


async def _json(request: Request) -> Any:
    """The JSON body; a body nested too deeply for the parser is not JSON we read (it raised
    RecursionError, an HTTP 500, before: tests/reliability/test_http_hardening.py)."""
    try:
        return json.loads(await request.body())
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _bad_request(exc: Exception) -> JSONResponse:
    if isinstance(exc, ValidationError):
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)]
    else:
        problems = ["body is not JSON"]
    return JSONResponse({"error": "invalid CDS Hooks request", "detail": problems}, status_code=400)


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _safe_id(card: str) -> str:
    return card if _UUID.match(card) else "(not an alsdx card id)"


def _feedback_entry(service_id: str, item: Feedback) -> dict[str, Any]:
    """What alsdx keeps of one feedback object: no free text, bounded size."""
    entry: dict[str, Any] = {
        "service": service_id,
        "card": _safe_id(item.card),
        "outcome": item.outcome,
        "outcomeTimestamp": item.outcomeTimestamp[:40],
    }
    if item.acceptedSuggestions:
        entry["acceptedSuggestions"] = [_safe_id(s.id) for s in item.acceptedSuggestions[:20]]
    if item.overrideReason and isinstance(item.overrideReason.reason, dict):
        code = item.overrideReason.reason.get("code")
        if isinstance(code, str):
            entry["overrideReason"] = code[:64]
    return entry


def create_cds_app(
    settings: CdsSettings | None = None,
    today: Callable[[], date] | None = None,
    *,
    sessions: Any = None,
    trials: Sequence[Trial] | None = None,
) -> FastAPI:
    """A minimal app serving only the CDS Hooks router (CORS from ``ALSDX_CDS_CORS_ORIGINS``); ``sessions`` (an
    alsdx store) keeps the JWT replay cache in that database; ``trials`` as for ``CdsService``."""
    service = CdsService(settings, today, sessions=sessions, trials=trials)
    app = FastAPI(title="alsdx CDS Hooks", version="2.0", lifespan=lifespan)
    add_cds_cors(app, service.settings)
    app.include_router(service.router())
    app.state.cds = service
    return app


class _PathCors:
    """CORS for the CDS Hooks paths only (browser-based CDS clients); the REST API keeps its own policy."""

    def __init__(self, app: Any, prefix: str, **options: Any) -> None:
        self.app = app
        self.prefix = prefix
        self.cors = CORSMiddleware(app, **options)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def add_cds_cors(app: FastAPI, settings: CdsSettings) -> None:
    """Honour ``ALSDX_CDS_CORS_ORIGINS`` on /cds-services (used by ``alsdx serve`` and ``create_cds_app``)."""
    if settings.cors_origins:
        app.add_middleware(
            _PathCors,  # type: ignore[arg-type]  # a plain ASGI middleware class, as Starlette accepts
            prefix="/cds-services",
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
        )
