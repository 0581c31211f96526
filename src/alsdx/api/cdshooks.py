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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http import HTTPStatus
from typing import Any, Literal
from urllib.parse import quote, urlsplit

import httpx
import numpy as np
from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fhir.resources.R4B.medicationrequest import MedicationRequest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alsdx.api.cds_auth import AuthError, JwtVerifier
from alsdx.api.cds_cards import (
    NO_FINDINGS,
    CardContext,
    error_card,
    missing_data_card,
    patient_view_cards,
    riluzole_order_card,
)
from alsdx.api.cds_settings import CdsSettings, fhir_server_allowed
from alsdx.api.cpu import run_cpu
from alsdx.api.startup import lifespan
from alsdx.fhir import local_codes, vocab
from alsdx.fhir.errors import FhirInputError, NoMndCondition, NoOnsetDate
from alsdx.fhir.to_case import lab_panels, medication_of, resources_to_case
from alsdx.model.vocab import REGIONS
from alsdx.rules.orders.riluzole_alt import riluzole_order_alt

log = logging.getLogger("alsdx.cds")

PATIENT_VIEW_ID = "alsdx-patient-view"
ORDER_SELECT_ID = "alsdx-riluzole-order-select"
OBSERVATION_PAGE = 200
"""``_count`` asked of every Observation search; with ``_sort=-date`` the newest come first."""
MAX_PAGES = 50
"""Pages read per search (documented cap: 50 × 200 = 10,000 resources); a search cut here is reported on the cards."""


def _code_filter(codes: list[vocab.Code]) -> str:
    """A FHIR token search value ``system|code,...`` (each part percent-encoded)."""
    seen = dict.fromkeys(f"{quote(c.system, safe=':/')}|{quote(c.code, safe='')}" for c in codes)
    return ",".join(seen)


def _observation_groups(extra: list[vocab.Code]) -> dict[str, str]:
    """Observation searches by what they hold, each filtered by the codes alsdx reads (an EHR's unfiltered
    ``Observation?patient=`` returns every vital sign first: issue 16). Three keys keep each URL short."""
    codes = [c for c in vocab.all_codes() if c.system not in {vocab.ICD10, vocab.ICD10CM, vocab.ICD10GM, vocab.ICD11}]
    standard = {vocab.LOINC}
    clinical = {vocab.HPO, vocab.SNOMED}
    groups = {
        "observations": [c for c in codes if c.system in clinical] + [c for c in extra if c.system not in standard],
        "measurements": [c for c in codes if c.system in standard] + [c for c in extra if c.system in standard],
        "alsdxObservations": [c for c in codes if c.system.startswith(vocab.ALSDX_BASE)],
    }
    tail = f"&_sort=-date&_count={OBSERVATION_PAGE}"
    out = {
        key: f"Observation?patient={{{{context.patientId}}}}&code={_code_filter(found)}{tail}"
        for key, found in groups.items()
        if key != "alsdxObservations"
    }
    # alsdx's own code systems hold only codes alsdx reads: "system|" (any code of the system) keeps the URL short.
    systems = ",".join(sorted({f"{quote(c.system, safe=':/')}|" for c in groups["alsdxObservations"]}))
    out["alsdxObservations"] = f"Observation?patient={{{{context.patientId}}}}&code={systems}{tail}"
    return out


def patient_view_prefetch(local: local_codes.LocalCodes = local_codes.NO_LOCAL_CODES) -> dict[str, str]:
    """The patient-view prefetch templates; a hospital's ConceptMap adds its local codes to the code filters."""
    extra = [vocab.Code(system, code, code, "hospital ConceptMap") for system, code in local.mapping]
    conditions = [*vocab.MND_CODES, *extra]
    return {
        "patient": "Patient/{{context.patientId}}",
        "conditions": f"Condition?patient={{{{context.patientId}}}}&code={_code_filter(conditions)}",
        **_observation_groups(extra),
        "medicationStatements": "MedicationStatement?patient={{context.patientId}}",
        "medicationRequests": "MedicationRequest?patient={{context.patientId}}",
        "familyHistory": "FamilyMemberHistory?patient={{context.patientId}}",
        "questionnaireResponses": "QuestionnaireResponse?patient={{context.patientId}}",
    }


PATIENT_VIEW_PREFETCH = patient_view_prefetch()
PATIENT_VIEW_REQUIRED = frozenset({"patient", "conditions", "observations", "measurements"})
_ALT_CODES = [vocab.LAB_CODES["alt_u_per_l"], *vocab.LAB_SYNONYMS["alt_u_per_l"]]
ORDER_SELECT_PREFETCH = {
    "patient": "Patient/{{context.patientId}}",
    "alt": f"Observation?patient={{{{context.patientId}}}}&code={_code_filter(_ALT_CODES)}&_sort=-date&_count=1",
}
ORDER_SELECT_REQUIRED = frozenset({"alt"})
FEEDBACK_MAX_ITEMS = 20
"""Feedback objects per request; the body itself is limited by alsdx.api.limits."""
FEEDBACK_KEPT = 1000
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
    """Required FHIR data could not be obtained (answered with 412). The message is alsdx's own: it never
    repeats what a remote server answered."""


class FetchFailed(Exception):
    """A FHIR read failed; the message is alsdx's own wording (status class or 'timeout'), never the answer."""


@dataclass
class Obtained:
    """What ``_obtain`` got: the data by prefetch key, and what was missing or incomplete (for the cards)."""

    data: dict[str, Any]
    unavailable: list[str] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)


class CdsService:
    """One configured CDS Hooks service: settings, JWT verifier, replay cache and feedback log."""

    def __init__(
        self,
        settings: CdsSettings | None = None,
        today: Callable[[], date] | None = None,
        *,
        sessions: Any = None,
        codes: local_codes.LocalCodes | None = None,
    ) -> None:
        """``sessions`` (an alsdx store sessionmaker) keeps the JWT replay cache in the database, shared by every
        worker and instance on it; ``codes`` is the hospital's ConceptMap (default: ``ALSDX_FHIR_CONCEPT_MAP``,
        checked here, at start)."""
        self.settings = settings or CdsSettings.from_env()
        self.settings.check_serving()
        replay = None
        if sessions is not None:
            from alsdx.api.cds_replay import DbReplayCache

            replay = DbReplayCache(sessions, self.settings.leeway_seconds)
        self.verifier = JwtVerifier(self.settings, replay=replay)
        self.today = today or (lambda: datetime.now(UTC).date())
        self.codes = codes if codes is not None else local_codes.from_env()
        self.prefetch = patient_view_prefetch(self.codes)
        self.services = [
            {**SERVICES[0], "prefetch": self.prefetch},
            SERVICES[1],
        ]
        self.feedback_log: deque[dict[str, Any]] = deque(maxlen=FEEDBACK_KEPT)

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
            return denied or JSONResponse({"services": self.services})

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
            if service_id not in _HOOKS:
                return JSONResponse({"error": f"no CDS service {service_id!r}"}, status_code=404)
            denied = await self._authenticate(request)
            if denied:
                return denied
            try:
                body = FeedbackRequest.model_validate(await _json(request))
            except (ValidationError, ValueError) as exc:
                return _bad_request(exc)
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

    # -- data ------------------------------------------------------------------------------------
    def _no_fetch_reason(self, body: CdsRequest) -> str | None:
        """Why alsdx may not read from the request's fhirServer (None: it may). Asked only when something must be
        fetched: a complete prefetch needs no allow-listed server."""
        if not (body.fhirServer and body.fhirAuthorization):
            return "no fhirServer with fhirAuthorization given"
        if not fhir_server_allowed(str(body.fhirServer), self.settings):
            return (
                "fhirServer is not on this service's allow-list (ALSDX_CDS_FHIR_SERVERS); alsdx sends the access "
                "token only to a configured FHIR server"
            )
        return None

    async def _obtain(self, body: CdsRequest, templates: dict[str, str], required: frozenset[str]) -> Obtained:
        """Prefetched data plus what we fetch ourselves; a 412 when required data stay missing.

        A prefetch value that is an OperationOutcome is the client saying it could not fetch: alsdx fetches that key
        from ``fhirServer`` itself when it can. A prefetched searchset with a ``next`` link was cut by paging: alsdx
        reads the remaining pages when it can, and otherwise says so on the cards."""
        prefetch = body.prefetch or {}
        out = Obtained({})
        to_fetch: list[str] = []
        failed_prefetch: set[str] = set()
        for key in templates:
            if key not in prefetch:
                to_fetch.append(key)
            elif _is_operation_outcome(prefetch[key]):
                failed_prefetch.add(key)
                to_fetch.append(key)
            else:
                out.data[key] = prefetch[key]
        cut = [k for k, v in out.data.items() if _next_link(v)]
        no_fetch = self._no_fetch_reason(body) if (cut or to_fetch) else None
        if cut and no_fetch is None:
            more = await asyncio.gather(*(self._more_pages(body, out.data[k]) for k in cut), return_exceptions=True)
            for key, result in zip(cut, more, strict=True):
                if isinstance(result, BaseException):
                    out.missing.append((key, "data cut by paging: the remaining pages could not be read"))
                elif result:
                    out.missing.append((key, f"data cut by paging: more than {MAX_PAGES} pages"))
        elif cut:
            out.missing += [(k, f"data cut by paging: the prefetch has more pages; {no_fetch}") for k in cut]
        if not to_fetch:
            return out
        if no_fetch is not None:
            lacking = [k for k in to_fetch if k in required]
            if lacking:
                why = "failed (OperationOutcome)" if set(lacking) <= failed_prefetch else "missing"
                raise Precondition(f"prefetch {lacking} {why}, and {no_fetch}")
            for key in to_fetch:
                out.unavailable.append(key)
                reason = "prefetch failed (OperationOutcome)" if key in failed_prefetch else "not prefetched"
                out.missing.append((key, f"{reason}; {no_fetch}"))
            return out
        queries = {k: _fill(templates[k], body.context) for k in to_fetch}  # a bad context value: 400, not 412
        fetched = await asyncio.gather(*(self._fetch(body, queries[k]) for k in to_fetch), return_exceptions=True)
        for key, got in zip(to_fetch, fetched, strict=True):
            if isinstance(got, BaseException):
                if not isinstance(got, FetchFailed):
                    log.warning("CDS fetch of %s failed: %s", key, type(got).__name__)
                reason = str(got) if isinstance(got, FetchFailed) else "the FHIR server's answer was not usable"
                if key in required:
                    raise Precondition(f"{key}: could not be fetched from fhirServer ({reason})")
                out.unavailable.append(key)
                out.missing.append((key, f"could not be fetched from fhirServer ({reason})"))
            else:
                value, capped = got
                out.data[key] = value
                if capped:
                    out.missing.append((key, f"data cut by paging: more than {MAX_PAGES} pages"))
        return out

    def _client(self) -> httpx.AsyncClient:
        # No redirects: a redirect could carry the token to another host.
        return httpx.AsyncClient(timeout=self.settings.fhir_timeout_seconds, follow_redirects=False)

    def _headers(self, body: CdsRequest) -> dict[str, str]:
        assert body.fhirAuthorization is not None
        return {
            "Authorization": f"Bearer {body.fhirAuthorization.access_token}",
            "Accept": "application/fhir+json",
        }

    async def _get(self, client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> httpx.Response:
        try:
            return await client.get(url, headers=headers)
        except httpx.TimeoutException:
            raise FetchFailed("timeout") from None
        except httpx.HTTPError:
            raise FetchFailed("connection failed") from None

    async def _fetch(self, body: CdsRequest, query: str) -> tuple[Any, bool]:
        """One filled prefetch query read from fhirServer, following ``next`` links to the end or :data:`MAX_PAGES`;
        returns the resource (or Bundle) and whether the read was capped."""
        assert body.fhirServer is not None
        base = body.fhirServer.rstrip("/")
        headers = self._headers(body)
        async with self._client() as client:
            response = await self._get(client, f"{base}/{query}", headers)
            if response.status_code == 404 and "?" not in query:
                return None, False  # a read of a resource that does not exist: no data
            first = _resource_of(response)
            if first.get("resourceType") != "Bundle":
                return first, False
            capped = await self._follow(client, base, headers, first)
            return first, capped

    async def _more_pages(self, body: CdsRequest, bundle: dict[str, Any]) -> bool:
        """Read the pages after a prefetched searchset into it; True when capped."""
        assert body.fhirServer is not None
        async with self._client() as client:
            return await self._follow(client, body.fhirServer.rstrip("/"), self._headers(body), bundle)

    async def _follow(
        self, client: httpx.AsyncClient, base: str, headers: dict[str, str], first: dict[str, Any]
    ) -> bool:
        page = first
        for _ in range(MAX_PAGES - 1):
            url = _next_link(page)
            if url is None:
                first["link"] = [x for x in first.get("link", []) if x.get("relation") != "next"]
                return False
            if not _same_server(url, base):
                raise FetchFailed("a next link points outside fhirServer; the token is not sent there")
            page = _resource_of(await self._get(client, url, headers))
            if page.get("resourceType") != "Bundle":
                raise FetchFailed("a search page is not a Bundle")
            first.setdefault("entry", []).extend(page.get("entry") or [])
        return _next_link(page) is not None

    # -- hooks -----------------------------------------------------------------------------------
    async def _patient_view(self, body: CdsRequest, patient_id: str) -> list[dict[str, Any]]:
        got = await self._obtain(body, self.prefetch, PATIENT_VIEW_REQUIRED)
        ctx = CardContext(body.hookInstance, patient_id, self._link(patient_id))
        ctx.missing += got.missing
        # CPU-bound (FHIR validation, assessment): in the one CPU worker thread, so that the event loop keeps
        # answering other calls (discovery, JWT checks, FHIR fetches) meanwhile.
        return await run_cpu(self._patient_view_cards, got.data, got.unavailable, patient_id, ctx)

    def _patient_view_cards(
        self, data: dict[str, Any], unavailable: list[str], patient_id: str, ctx: CardContext
    ) -> list[dict[str, Any]]:
        from alsdx.engine.assess import assess

        resources = _without_duplicates([(key, value) for key, value in data.items() if value is not None])
        try:
            result = resources_to_case(
                resources, assessment_date=self.today(), case_id=patient_id, local_codes=self.codes
            )
        except NoOnsetDate as exc:
            ctx.missing.append(("onset date", "the ALS/MND condition on record has no onset date alsdx can read"))
            text = "ALS criteria cannot be assessed: the ALS/MND problem has no symptom onset date"
            detail = (
                f"{exc}. The criteria, the course and the care triggers all start from the symptom onset; a year "
                "or a month is enough (alsdx then marks the results as approximate)."
            )
            return [missing_data_card(ctx, text, detail)]
        except NoMndCondition:
            return []  # not a patient with suspected MND: no guidance
        except FhirInputError as exc:
            return [error_card(ctx, f"alsdx could not assess this patient: {exc}", str(exc))]
        if result.unmapped:
            ctx.data_notes.append(f"{len(result.unmapped)} FHIR item(s) not used by alsdx.")
        if unavailable:
            ctx.data_notes.append(f"Not available: {', '.join(unavailable)}.")
        ctx.missing += [("approximate date", note) for note in result.approximate]
        assessment = assess(result.case).model_dump(mode="json")
        _completeness(ctx, assessment, result)
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
        got = await self._obtain(body, ORDER_SELECT_PREFETCH, ORDER_SELECT_REQUIRED)
        alt, uln, when = _latest_alt(got.data.get("alt"), self.today())
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
                "appContext": json.dumps({"patientId": patient_id}),
            }
        template = self.settings.patient_page_url or (
            f"{self.settings.base_url.rstrip('/')}/patients/{{patient_id}}" if self.settings.base_url else None
        )
        if not template:
            return None
        return {
            "label": "Open the patient's alsdx page",
            "url": template.format(patient_id=quote(patient_id, safe="")),
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
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)]
    else:
        problems = ["body is not JSON"]
    return JSONResponse({"error": "invalid CDS Hooks request", "detail": problems}, status_code=400)


_TOKEN = re.compile(r"\{\{\s*context\.([A-Za-z0-9_]+)\s*\}\}")


def _fill(template: str, context: dict[str, Any]) -> str:
    """Replace ``{{context.x}}`` prefetch tokens (root-level primitive context fields only), percent-encoded, so a
    value such as ``../x`` or ``a?b`` stays one path segment or one parameter value."""

    def value(m: re.Match[str]) -> str:
        v = context.get(m.group(1))
        if not isinstance(v, str | int | float) or isinstance(v, bool):
            raise ValueError(f"prefetch token {m.group(0)} has no primitive value in context")
        return quote(str(v), safe="")

    return _TOKEN.sub(value, template)


def _without_duplicates(data: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Each resource once: an Observation coded in two systems can match two prefetch searches."""
    seen: set[tuple[str, str]] = set()
    out = []
    for key, value in data:
        if isinstance(value, dict) and value.get("resourceType") == "Bundle" and isinstance(value.get("entry"), list):
            entries = []
            for e in value["entry"]:
                r = e.get("resource") if isinstance(e, dict) else None
                ident = (str(r.get("resourceType")), r.get("id")) if isinstance(r, dict) else None
                if ident is not None and isinstance(ident[1], str):
                    if (ident[0], ident[1]) in seen:
                        continue
                    seen.add((ident[0], ident[1]))
                entries.append(e)
            value = {**value, "entry": entries}
        out.append((key, value))
    return out


def _is_operation_outcome(value: Any) -> bool:
    return isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"


def _next_link(bundle: Any) -> str | None:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return None
    links = bundle.get("link")
    if not isinstance(links, list):
        return None
    url = next((x.get("url") for x in links if isinstance(x, dict) and x.get("relation") == "next"), None)
    return url if isinstance(url, str) else None


def _same_server(url: str, base: str) -> bool:
    u, b = urlsplit(url), urlsplit(base)
    return (u.scheme, u.netloc) == (b.scheme, b.netloc) and (u.path + "/").startswith(b.path.rstrip("/") + "/")


def _resource_of(response: httpx.Response) -> dict[str, Any]:
    """The JSON resource of a FHIR answer; errors in alsdx's words, never the server's."""
    if response.status_code >= 400:
        raise FetchFailed(f"HTTP {response.status_code // 100}xx")
    try:
        page = response.json()
    except ValueError:
        raise FetchFailed("the answer is not JSON") from None
    if not isinstance(page, dict) or not isinstance(page.get("resourceType"), str):
        raise FetchFailed("the answer is not a FHIR resource")
    return page


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


def _completeness(ctx: CardContext, assessment: dict[str, Any], result: Any) -> None:
    """Whether the criteria could be assessed from the coded record. Uses the assessment's own completeness when it
    has one (COMMON.md contract 1), else the importer's view: which regions had a coded finding, and EMG."""
    own = assessment.get("completeness")
    if isinstance(own, dict) and own.get("assessable") in {"complete", "partial", "none"}:
        ctx.assessable = own["assessable"]
        ctx.regions_not_examined = list(own.get("regions_not_examined") or [])
        for m in own.get("missing") or []:
            if isinstance(m, dict) and (m.get("input"), m.get("reason")) not in ctx.missing:
                ctx.missing.append((str(m.get("input")), str(m.get("reason"))))
    else:
        ctx.regions_not_examined = [r for r in REGIONS if r not in result.regions_examined]
        has_emg = bool(result.case.emg)
        if not result.regions_examined and not has_emg:
            ctx.assessable = "none"
        elif ctx.regions_not_examined:
            ctx.assessable = "partial"
    for m in result.missing:
        if (m.input, m.reason) not in ctx.missing and not (ctx.assessable == "none" and NO_FINDINGS in m.reason):
            ctx.missing.append((m.input, m.reason))


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


def create_cds_app(
    settings: CdsSettings | None = None, today: Callable[[], date] | None = None, *, sessions: Any = None
) -> FastAPI:
    """A minimal app serving only the CDS Hooks router (CORS from ``ALSDX_CDS_CORS_ORIGINS``); ``sessions`` (an
    alsdx store) keeps the JWT replay cache in that database."""
    service = CdsService(settings, today, sessions=sessions)
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
