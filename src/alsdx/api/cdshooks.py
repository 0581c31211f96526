"""CDS Hooks 2.0 service: discovery at ``GET /cds-services``, ``patient-view`` and ``order-select`` services,
and their feedback endpoints (https://cds-hooks.hl7.org/2.0/).

``CdsService(settings).router()`` is a FastAPI ``APIRouter`` to mount at the application root (paths are
absolute, as the spec requires); ``create_cds_app()`` wraps it in a minimal app with CORS for tests and
stand-alone use. Data come from the request's ``prefetch``; whatever is missing is fetched from
``fhirServer`` with the ``fhirAuthorization`` bearer token, and when required data cannot be obtained the
answer is 412 Precondition Failed. Every call must carry a JWT of a trusted EHR (``alsdx.api.cds_auth``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import deque
from collections.abc import Callable
from datetime import UTC, date, datetime
from http import HTTPStatus
from typing import Any, Literal

import httpx
import numpy as np
from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fhir.resources.R4B.medicationrequest import MedicationRequest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alsdx.api.cds_auth import AuthError, JwtVerifier
from alsdx.api.cds_cards import CardContext, error_card, patient_view_cards, riluzole_order_card
from alsdx.api.cds_settings import CdsSettings, fhir_server_allowed
from alsdx.api.cpu import run_cpu
from alsdx.api.startup import lifespan
from alsdx.fhir.errors import FhirInputError, NoMndCondition
from alsdx.fhir.to_case import lab_panels, medication_of, resources_to_case
from alsdx.rules.orders.riluzole_alt import riluzole_order_alt

log = logging.getLogger("alsdx.cds")

PATIENT_VIEW_ID = "alsdx-patient-view"
ORDER_SELECT_ID = "alsdx-riluzole-order-select"
PATIENT_VIEW_PREFETCH = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}",
    "medicationStatements": "MedicationStatement?patient={{context.patientId}}",
    "medicationRequests": "MedicationRequest?patient={{context.patientId}}",
    "familyHistory": "FamilyMemberHistory?patient={{context.patientId}}",
    "questionnaireResponses": "QuestionnaireResponse?patient={{context.patientId}}",
}
PATIENT_VIEW_REQUIRED = frozenset({"patient", "conditions", "observations"})
ORDER_SELECT_PREFETCH = {
    "patient": "Patient/{{context.patientId}}",
    "alt": "Observation?patient={{context.patientId}}&code=http://loinc.org|1742-6&_sort=-date&_count=1",
}
ORDER_SELECT_REQUIRED = frozenset({"alt"})
MAX_PAGES = 50
SERVICES = [
    {
        "hook": "patient-view",
        "title": "alsdx: ALS criteria, mimic work-up and care triggers",
        "description": "Categories under El Escorial 1994, revised El Escorial, Awaji and Gold Coast from "
        "the patient's FHIR findings, outstanding mimic work-up, and NIV/gastrostomy/riluzole triggers. "
        "Supports a clinician's decision; does not diagnose.",
        "id": PATIENT_VIEW_ID,
        "prefetch": PATIENT_VIEW_PREFETCH,
    },
    {
        "hook": "order-select",
        "title": "alsdx: riluzole and liver enzymes",
        "description": "Warns when riluzole is selected while the latest ALT is at least 3 times the upper "
        "limit of normal (EU SmPC).",
        "id": ORDER_SELECT_ID,
        "prefetch": ORDER_SELECT_PREFETCH,
    },
]
_HOOKS = {s["id"]: s["hook"] for s in SERVICES}


class FhirAuthorization(BaseModel):
    model_config = ConfigDict(extra="allow")
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    scope: str
    subject: str


class CdsRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    hook: str
    hookInstance: str = Field(min_length=1)
    fhirServer: str | None = None
    fhirAuthorization: FhirAuthorization | None = None
    context: dict[str, Any]
    prefetch: dict[str, Any] | None = None


class AcceptedSuggestion(BaseModel):
    id: str


class OverrideReason(BaseModel):
    model_config = ConfigDict(extra="allow")
    reason: dict[str, Any] | None = None
    userComment: str | None = None


class Feedback(BaseModel):
    model_config = ConfigDict(extra="allow")
    card: str
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[AcceptedSuggestion] | None = None
    overrideReason: OverrideReason | None = None
    outcomeTimestamp: str


class FeedbackRequest(BaseModel):
    feedback: list[Feedback]


class Precondition(Exception):
    """Required FHIR data could not be obtained (answered with 412)."""


class CdsService:
    """One configured CDS Hooks service: settings, JWT verifier, replay cache and feedback log."""

    def __init__(self, settings: CdsSettings | None = None, today: Callable[[], date] | None = None) -> None:
        self.settings = settings or CdsSettings.from_env()
        self.verifier = JwtVerifier(self.settings)
        self.today = today or (lambda: datetime.now(UTC).date())
        self.feedback_log: deque[dict[str, Any]] = deque(maxlen=1000)

    # -- plumbing ------------------------------------------------------------------------------------
    def _audience(self, request: Request) -> str:
        if self.settings.base_url:
            return self.settings.base_url.rstrip("/") + request.url.path
        return str(request.url.replace(query=None, fragment=None))

    async def _authenticate(self, request: Request) -> JSONResponse | None:
        if not self.settings.auth_required:
            return None
        try:
            await self.verifier.verify(request.headers.get("authorization"), self._audience(request))
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
            denied = await self._authenticate(request)
            return denied or JSONResponse({"services": SERVICES})

        @router.post(
            "/cds-services/{service_id}",
            responses=_documented(400, 401, 404, 412),
            openapi_extra=_body_schema(_HOOK_REQUEST),
        )
        async def call_service(service_id: str, request: Request) -> JSONResponse:
            """Invoke a CDS service; the JSON body is a CDS Hooks request."""
            if service_id not in _HOOKS:
                return JSONResponse({"error": f"no CDS service {service_id!r}"}, status_code=404)
            denied = await self._authenticate(request)
            if denied:
                return denied
            try:
                body = CdsRequest.model_validate(await _json(request))
            except (ValidationError, ValueError) as exc:
                return _bad_request(exc)
            if body.hook != _HOOKS[service_id]:
                return JSONResponse(
                    {"error": f"service {service_id} answers hook {_HOOKS[service_id]!r}, not {body.hook!r}"},
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
                if service_id == PATIENT_VIEW_ID:
                    cards = await self._patient_view(body, patient_id)
                else:
                    cards = await self._order_select(body, patient_id)
            except Precondition as exc:
                return JSONResponse({"error": "precondition failed", "detail": str(exc)}, status_code=412)
            return JSONResponse({"cards": cards})

        @router.post(
            "/cds-services/{service_id}/feedback",
            responses=_documented(400, 401, 404),
            openapi_extra=_body_schema(_FEEDBACK_REQUEST),
        )
        async def feedback(service_id: str, request: Request) -> JSONResponse:
            """Feedback on cards (accepted suggestions, overrides)."""
            if service_id not in _HOOKS:
                return JSONResponse({"error": f"no CDS service {service_id!r}"}, status_code=404)
            denied = await self._authenticate(request)
            if denied:
                return denied
            try:
                body = FeedbackRequest.model_validate(await _json(request))
            except (ValidationError, ValueError) as exc:
                return _bad_request(exc)
            for item in body.feedback:
                if item.outcome == "accepted" and not item.acceptedSuggestions:
                    return JSONResponse(
                        {"error": "acceptedSuggestions is required for an accepted outcome"}, status_code=400
                    )
            for item in body.feedback:
                entry = {"service": service_id, **item.model_dump(exclude_none=True)}
                self.feedback_log.append(entry)
                # the card and outcome only: override comments are free text and may name the patient
                log.info("CDS feedback: service %s card %s %s", service_id, item.card, item.outcome)
            return JSONResponse({})

        return router

    # -- data ------------------------------------------------------------------------------------
    async def _obtain(
        self, body: CdsRequest, templates: dict[str, str], required: frozenset[str]
    ) -> tuple[dict[str, Any], list[str]]:
        """Prefetched data plus what we fetch ourselves; a 412 when required data stay missing."""
        prefetch = body.prefetch or {}
        data = {k: prefetch[k] for k in templates if k in prefetch}
        missing = [k for k in templates if k not in prefetch]
        unavailable: list[str] = []
        if missing:
            can_fetch = bool(body.fhirServer and body.fhirAuthorization)
            if can_fetch and not fhir_server_allowed(str(body.fhirServer), self.settings):
                raise Precondition("fhirServer must use https")
            if not can_fetch:
                lacking = [k for k in missing if k in required]
                if lacking:
                    raise Precondition(
                        f"prefetch {lacking} missing and no fhirServer with fhirAuthorization given"
                    )
                return data, missing
            fetched = await asyncio.gather(
                *(self._fetch(body, templates[k]) for k in missing), return_exceptions=True
            )
            for key, result in zip(missing, fetched, strict=True):
                if isinstance(result, BaseException):
                    if key in required:
                        raise Precondition(f"{key}: {result}")
                    unavailable.append(key)
                else:
                    data[key] = result
        return data, unavailable

    async def _fetch(self, body: CdsRequest, template: str) -> Any:
        query = _fill(template, body.context)
        assert body.fhirServer is not None and body.fhirAuthorization is not None
        base = body.fhirServer.rstrip("/")
        headers = {
            "Authorization": f"Bearer {body.fhirAuthorization.access_token}",
            "Accept": "application/fhir+json",
        }
        async with httpx.AsyncClient(timeout=self.settings.fhir_timeout_seconds) as client:
            url: str | None = f"{base}/{query}"
            first: dict[str, Any] | None = None
            for _ in range(MAX_PAGES):
                assert url is not None
                response = await client.get(url, headers=headers)
                if response.status_code == 404 and first is None and "?" not in query:
                    return None  # a read of a resource that does not exist: no data
                response.raise_for_status()
                page = response.json()
                if not isinstance(page, dict) or "resourceType" not in page:
                    raise ValueError(f"{query}: the FHIR server did not return a resource")
                if first is None:
                    first = page
                elif page.get("entry"):
                    first.setdefault("entry", []).extend(page["entry"])
                url = next(
                    (link.get("url") for link in page.get("link", []) if link.get("relation") == "next"), None
                )
                if url is None or page.get("resourceType") != "Bundle":
                    break
                if not url.startswith(base + "/") and not url.startswith(base + "?"):
                    raise ValueError("next link points outside fhirServer; the token is not sent there")
            return first

    # -- hooks -----------------------------------------------------------------------------------
    async def _patient_view(self, body: CdsRequest, patient_id: str) -> list[dict[str, Any]]:
        data, unavailable = await self._obtain(body, PATIENT_VIEW_PREFETCH, PATIENT_VIEW_REQUIRED)
        ctx = CardContext(body.hookInstance, patient_id, self._link(patient_id))
        # CPU-bound (FHIR validation, assessment): in the one CPU worker thread, so that the event loop keeps
        # answering other calls (discovery, JWT checks, FHIR fetches) meanwhile.
        return await run_cpu(self._patient_view_cards, data, unavailable, patient_id, ctx)

    def _patient_view_cards(
        self, data: dict[str, Any], unavailable: list[str], patient_id: str, ctx: CardContext
    ) -> list[dict[str, Any]]:
        from alsdx.assess import assess

        resources = [(key, value) for key, value in data.items() if value is not None]
        try:
            result = resources_to_case(resources, assessment_date=self.today(), case_id=patient_id)
        except NoMndCondition:
            return []  # not a patient with suspected MND: no guidance
        except FhirInputError as exc:
            return [error_card(ctx, f"alsdx could not assess this patient: {exc}", str(exc))]
        if result.unmapped:
            ctx.data_notes.append(f"{len(result.unmapped)} FHIR item(s) not used by alsdx.")
        if unavailable:
            ctx.data_notes.append(f"Not available: {', '.join(unavailable)}.")
        assessment = assess(result.case).model_dump(mode="json")
        return patient_view_cards(assessment, result.case, ctx)

    async def _order_select(self, body: CdsRequest, patient_id: str) -> list[dict[str, Any]]:
        selections = set(body.context.get("selections") or [])
        drafts = body.context.get("draftOrders") or {}
        riluzole = [e.get("resource", {}) for e in drafts.get("entry", []) if isinstance(e, dict)]
        riluzole = [
            r
            for r in riluzole
            if _is_riluzole(r) and (not selections or f"{r.get('resourceType')}/{r.get('id')}" in selections)
        ]
        if not riluzole:
            return []
        data, _ = await self._obtain(body, ORDER_SELECT_PREFETCH, ORDER_SELECT_REQUIRED)
        alt, uln, when = _latest_alt(data.get("alt"), self.today())
        cols = {
            "alt_u_per_l": np.array([np.nan if alt is None else alt]),
            "alt_uln_u_per_l": np.array([np.nan if uln is None else uln]),
        }
        out = riluzole_order_alt(cols)
        ctx = CardContext(body.hookInstance, patient_id, self._link(patient_id))
        card = riluzole_order_card(ctx, alt, uln, when, bool(out["warn_3x"][0]), bool(out["stop_5x"][0]))
        return [card] if card else []

    def _link(self, patient_id: str) -> dict[str, str] | None:
        if self.settings.smart_launch_url:
            return {
                "label": "Open in alsdx",
                "url": self.settings.smart_launch_url,
                "type": "smart",
                "appContext": f'{{"patientId": "{patient_id}"}}',
            }
        template = self.settings.patient_page_url or (
            f"{self.settings.base_url.rstrip('/')}/patients/{{patient_id}}"
            if self.settings.base_url
            else None
        )
        if not template:
            return None
        return {
            "label": "Open the patient's alsdx page",
            "url": template.format(patient_id=patient_id),
            "type": "absolute",
        }


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
        problems = [
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)
        ]
    else:
        problems = ["body is not JSON"]
    return JSONResponse({"error": "invalid CDS Hooks request", "detail": problems}, status_code=400)


_TOKEN = re.compile(r"\{\{\s*context\.([A-Za-z0-9_]+)\s*\}\}")


def _fill(template: str, context: dict[str, Any]) -> str:
    """Replace ``{{context.x}}`` prefetch tokens (root-level primitive context fields only)."""

    def value(m: re.Match[str]) -> str:
        v = context.get(m.group(1))
        if not isinstance(v, str | int | float) or isinstance(v, bool):
            raise ValueError(f"prefetch token {m.group(0)} has no primitive value in context")
        return str(v)

    return _TOKEN.sub(value, template)


def _is_riluzole(resource: Any) -> bool:
    if not isinstance(resource, dict) or resource.get("resourceType") != "MedicationRequest":
        return False
    try:
        order = MedicationRequest.model_validate(resource)
    except ValueError:
        return False
    return medication_of(order.medicationCodeableConcept) == "riluzole"


def _latest_alt(found: Any, today: date) -> tuple[float | None, float | None, date | None]:
    """Latest ALT (U/L) and its ULN from the ``alt`` prefetch, read by the FHIR importer's lab reader."""
    if not found:
        return None, None, None
    panels, _ = lab_panels([("alt", found)], today)
    with_alt = [p for p in panels if "alt_u_per_l" in p and p["date"] <= today]
    if not with_alt:
        return None, None, None
    latest = with_alt[-1]
    return latest["alt_u_per_l"], latest.get("alt_uln_u_per_l"), latest["date"]


def create_cds_app(settings: CdsSettings | None = None, today: Callable[[], date] | None = None) -> FastAPI:
    """A minimal app serving only the CDS Hooks router (CORS from ``ALSDX_CDS_CORS_ORIGINS``)."""
    service = CdsService(settings, today)
    app = FastAPI(title="alsdx CDS Hooks", version="2.0", lifespan=lifespan)
    if service.settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(service.settings.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.include_router(service.router())
    app.state.cds = service
    return app
