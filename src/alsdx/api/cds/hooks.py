"""What each hook answers: ``patient-view`` (criteria, mimic work-up, care triggers) and ``order-select`` (riluzole
and ALT), from the data :mod:`alsdx.api.cds.fhir_client` obtained, rendered as cards by :mod:`alsdx.api.cds.cards`.

The engine decides; the hooks only import the FHIR data as a case, call ``assess()`` or the riluzole/ALT kernel,
and say on the cards what was missing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote

import numpy as np
from fhir.resources.R4B.medicationrequest import MedicationRequest

from alsdx.api.cds.cards import (
    NO_FINDINGS,
    CardContext,
    error_card,
    missing_data_card,
    patient_view_cards,
    riluzole_order_card,
    trials_card,
)
from alsdx.api.cds.fhir_client import FhirClient, without_duplicates
from alsdx.api.cds.messages import CdsRequest
from alsdx.api.cds.prefetch import (
    ORDER_SELECT_PREFETCH,
    ORDER_SELECT_REQUIRED,
    PATIENT_VIEW_PREFETCH,
    PATIENT_VIEW_REQUIRED,
)
from alsdx.api.cds.settings import CdsSettings
from alsdx.api.cpu import assess_in_batch, run_cpu
from alsdx.engine.results import Assessment
from alsdx.fhir import local_codes
from alsdx.fhir.errors import FhirInputError, NoMndCondition, NoOnsetDate
from alsdx.fhir.to_case import ImportResult, lab_panels, medication_of, resources_to_case
from alsdx.model.vocab import REGIONS
from alsdx.rules.orders.riluzole_alt import riluzole_order_alt
from alsdx.trials.model import Trial
from alsdx.trials.screen import screen_cases

log = logging.getLogger("alsdx.cds")

PATIENT_VIEW_ID = "alsdx-patient-view"
ORDER_SELECT_ID = "alsdx-riluzole-order-select"
SERVICES = [
    {
        "hook": "patient-view",
        "title": "alsdx: ALS criteria, mimic work-up and care triggers",
        "description": "Categories under El Escorial 1994, revised El Escorial, Awaji and Gold Coast from "
        "the patient's FHIR findings, outstanding mimic work-up, NIV/gastrostomy/riluzole triggers, and the "
        "clinic's trials the patient may be eligible for (the investigator decides). "
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
"""The discovery document's services (``GET /cds-services``); the patient-view prefetch is replaced by the
service's own when a hospital ConceptMap adds codes."""
HOOK_OF_SERVICE = {s["id"]: s["hook"] for s in SERVICES}


class Hooks:
    """The two hooks under one service's settings, clock and hospital codes."""

    def __init__(
        self,
        settings: CdsSettings,
        today: Callable[[], date],
        codes: local_codes.LocalCodes,
        prefetch: dict[str, str],
        trials: tuple[Trial, ...] = (),
    ) -> None:
        self.settings = settings
        self.today = today
        self.codes = codes
        self.prefetch = prefetch
        """The patient-view prefetch templates (with the hospital's codes)."""
        self.fhir = FhirClient(settings)
        self.trials = trials
        """The trials patient-view screens the patient against (the service's configured list)."""

    async def call(self, service_id: str, body: CdsRequest, patient_id: str) -> list[dict[str, Any]]:
        """The cards of one call of a known service; raises ``Precondition`` (412) or ValueError (400)."""
        if service_id == PATIENT_VIEW_ID:
            return await self.patient_view(body, patient_id)
        return await self.order_select(body, patient_id)

    async def patient_view(self, body: CdsRequest, patient_id: str) -> list[dict[str, Any]]:
        got = await self.fhir.obtain(body, self.prefetch, PATIENT_VIEW_REQUIRED)
        ctx = CardContext(body.hookInstance, patient_id, self.link(patient_id))
        ctx.missing += got.missing
        # CPU-bound (FHIR validation, assessment): in the one CPU worker thread, so that the event loop keeps
        # answering other calls (discovery, JWT checks, FHIR fetches) meanwhile; the assessment is batched with
        # the other requests waiting for one (alsdx.engine.batcher), and the cards are rendered after it there.
        read = await run_cpu(self._read_case, got.data, got.unavailable, patient_id, ctx)
        if isinstance(read, list):
            return read
        return await assess_in_batch(read.case, lambda assessment: _cards(assessment, read, ctx, self.trials))

    def _read_case(
        self, data: dict[str, Any], unavailable: list[str], patient_id: str, ctx: CardContext
    ) -> ImportResult | list[dict[str, Any]]:
        """The case read from the FHIR data, or the cards that say why there is none."""
        resources = without_duplicates([(key, value) for key, value in data.items() if value is not None])
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
        return result

    async def order_select(self, body: CdsRequest, patient_id: str) -> list[dict[str, Any]]:
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
        got = await self.fhir.obtain(body, ORDER_SELECT_PREFETCH, ORDER_SELECT_REQUIRED)
        alt, uln, when = _latest_alt(got.data.get("alt"), self.today())
        cols = {
            "alt_u_per_l": np.array([np.nan if alt is None else alt]),
            "alt_uln_u_per_l": np.array([np.nan if uln is None else uln]),
        }
        out = riluzole_order_alt(cols)
        ctx = CardContext(body.hookInstance, patient_id, self.link(patient_id))
        card = riluzole_order_card(ctx, alt, uln, when, bool(out["warn_3x"][0]), bool(out["stop_5x"][0]))
        return [card] if card else []

    def link(self, patient_id: str) -> dict[str, str] | None:
        """The cards' link to the patient in alsdx: a SMART launch (``appContext`` built by a JSON encoder, so a
        quote in the id cannot inject JSON), else the patient page; None when neither is configured."""
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


def _cards(
    assessment: Assessment, result: ImportResult, ctx: CardContext, trials: tuple[Trial, ...]
) -> list[dict[str, Any]]:
    as_json = assessment.model_dump(mode="json")
    completeness(ctx, as_json, result)
    cards = patient_view_cards(as_json, result.case, ctx)
    if trials:
        card = _trials_card(assessment, result, ctx, trials)
        if card is not None:
            cards.append(card)
    return cards


def _trials_card(
    assessment: Assessment, result: ImportResult, ctx: CardContext, trials: tuple[Trial, ...]
) -> dict[str, Any] | None:
    """The patient screened against the trials with the assessment just made (not a second one). A failure here
    costs only this card: the criteria and care cards are still answered, and the log names the error's type."""
    try:
        (screening,) = screen_cases([result.case], trials, [assessment])
    except Exception as exc:  # a bug in the screening must not take the patient's other cards down
        log.error("patient-view: trial screening failed: %s", type(exc).__name__)
        return error_card(
            ctx,
            "alsdx could not screen this patient against the clinic's trials (internal error, logged)",
            "The other cards are not affected. Please report it to the alsdx team.",
            key="trials",
        )
    return trials_card(screening, {t.id: t for t in trials}, ctx)


def completeness(ctx: CardContext, assessment: dict[str, Any], result: Any) -> None:
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
