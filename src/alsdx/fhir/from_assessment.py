"""Assessment → FHIR R4 Bundle: what alsdx concluded, for the EHR to store beside the findings.

* one ``Observation`` per criteria set (code = the set, value = the category, notes = the explanation),
  gathered by a ``ClinicalImpression`` (status completed, never a diagnosis: ``description`` says so);
* mimics to rule out and the outstanding work-up as ``ClinicalImpression.finding`` entries;
* ``RiskAssessment`` for ``course.prognosis`` when the assessment carries one;
* ``CarePlan`` whose activities reference ``ServiceRequest`` (referrals, monitoring tests) and
  ``MedicationRequest`` (plan medications) resources, and ``DetectedIssue`` for plan alerts.

Status (decision, docs/fhir.md "Write-back"): every derived resource is ``preliminary`` (Observation,
RiskAssessment) or ``draft``/``proposal`` (requests, CarePlan): alsdx's output is decision support that a clinician
has not yet confirmed, and R4's ``final`` would tell the EHR it is a verified result. A ``Device`` names alsdx and its
ruleset version, each Observation points at it, and one ``Provenance`` targets every resource written, with the
Device as author and the input resources (when the caller names them) as sources.

The assessment is read through its public JSON (docs/architecture.md "Public contracts"), so parts that other
modules add later (mimics, course, plan) are rendered when present and skipped when absent. The Bundle
is checked with the R4B models before it is returned.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.bundle import Bundle
from pydantic import BaseModel

from alsdx.fhir import vocab
from alsdx.fhir.from_case import category, urn
from alsdx.fhir.narrative import narrate_bundle

CRITERIA_KEYS = ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast")
SEVERITY = {"critical": "high", "warning": "moderate", "info": "low"}


def assessment_to_bundle(
    assessment: BaseModel | dict[str, Any],
    patient_reference: str | None = None,
    inputs: list[str] | None = None,
) -> dict[str, Any]:
    """The assessment as a FHIR R4 ``collection`` Bundle (JSON-ready dict). ``inputs``: references of the FHIR
    resources the case was read from (``ResourceType/id`` or fullUrls), named as sources in the Provenance."""
    a = assessment.model_dump(mode="json") if isinstance(assessment, BaseModel) else assessment
    case_id = a["id"]
    when = a["assessment_date"]
    subject = {"reference": patient_reference or f"Patient/{case_id}"}
    entries: list[dict[str, Any]] = []

    def add(resource: dict[str, Any], *key: str) -> str:
        full_url = urn(case_id, "assessment", resource["resourceType"], *key)
        resource["id"] = full_url.removeprefix("urn:uuid:")
        entries.append({"fullUrl": full_url, "resource": resource})
        return full_url

    ruleset = str(a.get("ruleset_version") or "")
    device_url = add(
        {
            "resourceType": "Device",
            "status": "active",
            "manufacturer": "alsdx (open-source ALS clinical decision support)",
            "deviceName": [{"name": "alsdx", "type": "model-name"}],
            "version": [{"type": {"text": "ruleset"}, "value": ruleset or "unknown"}],
            "note": [{"text": "Decision support for a clinician; it does not diagnose."}],
        },
        "device",
    )
    device = {"reference": device_url, "display": f"alsdx ruleset {ruleset}".strip()}
    findings: list[dict[str, Any]] = []
    completeness = a.get("completeness") or {}
    not_examined = completeness.get("regions_not_examined") or []
    gaps = [f"Not examined or not recorded: {', '.join(not_examined)}"] if not_examined else []
    if completeness.get("emg_regions_not_studied"):
        gaps.append(f"EMG not studied: {', '.join(completeness['emg_regions_not_studied'])}")
    criteria = a.get("criteria", {})
    pls = a.get("pls")
    sets = [(k, criteria[k]) for k in CRITERIA_KEYS if k in criteria]
    if isinstance(pls, dict) and "category" in pls:
        sets.append(("pls", pls))
    for name, result in sets:
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "preliminary",
            "category": category("exam"),
            "code": vocab.CRITERIA_SETS[name].concept(),
            "subject": subject,
            "effectiveDateTime": when,
            "valueCodeableConcept": vocab.category_code(name, result["category"]).concept(
                text=result.get("label") or result["category"]
            ),
            "method": {"text": f"alsdx ruleset {a.get('ruleset_version', '')}".strip()},
            "device": device,
        }
        if name != "pls" and result["category"] == "not_met" and completeness.get("assessable") == "none":
            # Unknown is not absent: nothing was examined, so no "not met" value (FHIR R4 Observation.dataAbsentReason).
            del obs["valueCodeableConcept"]
            obs["dataAbsentReason"] = vocab.NOT_PERFORMED.concept(text=result.get("label"))
        notes = gaps + list(result.get("explanation", []))
        notes += [f"Flag: {f}" for f in result.get("flags", [])]
        notes += [f"Further evidence: {n['evidence']} → {n['would_give']}" for n in result.get("next_evidence", [])]
        if result.get("source"):
            notes.append(f"Source: {result['source']}")
        if notes:
            obs["note"] = [{"text": n} for n in notes]
        ref = add(obs, "criteria", name)
        findings.append({"itemReference": {"reference": ref}})

    for mimic in a.get("mimics") or []:
        text = f"Mimic to rule out: {mimic.get('name', mimic.get('id'))} ({mimic.get('level', 'flagged')})"
        flags = mimic.get("red_flags") or []
        basis = "; ".join(f.get("flag", "") if isinstance(f, dict) else str(f) for f in flags) or None
        finding: dict[str, Any] = {"itemCodeableConcept": {"text": text}}
        if basis:
            finding["basis"] = basis
        findings.append(finding)

    exclusion = a.get("exclusion") or {}
    impression: dict[str, Any] = {
        "resourceType": "ClinicalImpression",
        "status": "completed",
        "subject": subject,
        "date": f"{when}T00:00:00Z",
        "effectiveDateTime": when,
        "description": "Criteria categories computed by alsdx; decision support for a clinician, not a diagnosis.",
        "summary": "; ".join(f"{name}: {r.get('label') or r['category']}" for name, r in sets),
        "protocol": [s for s in (_source_url(name) for name, _ in sets) if s],
    }
    if findings:
        impression["finding"] = findings
    notes = [a["notice"]] if a.get("notice") else []
    notes += [f"Outstanding work-up: {o}" for o in exclusion.get("outstanding") or []]
    notes += [f"Missing input: {m['input']} ({m['reason']})" for m in completeness.get("missing") or []]
    if notes:
        impression["note"] = [{"text": n} for n in notes]
    if not impression["protocol"]:
        del impression["protocol"]
    add(impression, "impression")

    course = a.get("course") or {}
    prognosis = course.get("prognosis") if isinstance(course, dict) else None
    if prognosis:
        add(_risk_assessment(prognosis, subject, when), "prognosis")

    plan = a.get("plan") or {}
    if isinstance(plan, dict) and any(
        plan.get(k) for k in ("referrals", "medications", "alerts", "monitoring", "follow_up")
    ):
        _care_plan(plan, subject, when, add)

    _provenance(entries, device, when, inputs or [], add)
    bundle = clean({"resourceType": "Bundle", "type": "collection", "timestamp": f"{when}T00:00:00Z", "entry": entries})
    narrate_bundle(bundle)
    Bundle.model_validate(bundle)
    return bundle


def _provenance(entries: list[dict[str, Any]], device: dict[str, Any], when: str, inputs: list[str], add: Any) -> None:
    """One Provenance for everything alsdx wrote: author = the alsdx Device (with its ruleset version), sources = the
    input resources."""
    targets = [{"reference": e["fullUrl"]} for e in entries if e["resource"]["resourceType"] != "Device"]
    provenance: dict[str, Any] = {
        "resourceType": "Provenance",
        "target": targets,
        "recorded": f"{when}T00:00:00Z",
        "activity": {"text": "Computed by alsdx from the patient's coded findings"},
        "agent": [
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                            "code": "assembler",
                            "display": "Assembler",
                        }
                    ]
                },
                "who": device,
            }
        ],
        "entity": [{"role": "source", "what": {"reference": ref}} for ref in inputs],
    }
    add(provenance, "provenance")


def _source_url(name: str) -> str | None:
    return {
        "gold_coast": "https://doi.org/10.1016/j.clinph.2020.04.005",
        "pls": "https://doi.org/10.1136/jnnp-2019-322541",
    }.get(name)


def _risk_assessment(prognosis: Any, subject: dict[str, Any], when: str) -> dict[str, Any]:
    prediction: dict[str, Any] = {"outcome": {"text": "Survival (ENCALS prognostic model)"}}
    if isinstance(prognosis, dict):
        group = prognosis.get("risk_group") or prognosis.get("group")
        if group:
            prediction["qualitativeRisk"] = {"text": str(group)}
        summary = ", ".join(f"{k}: {v}" for k, v in prognosis.items() if not isinstance(v, dict | list))
    else:
        summary = str(prognosis)
    if summary:
        prediction["rationale"] = summary
    return {
        "resourceType": "RiskAssessment",
        "status": "preliminary",
        "subject": subject,
        "occurrenceDateTime": when,
        "method": {"text": "ENCALS survival model (Westeneng 2018), as computed by alsdx"},
        "prediction": [prediction],
        "note": [{"text": "Population estimate to support a clinician; not an individual forecast."}],
    }


def _care_plan(plan: dict[str, Any], subject: dict[str, Any], when: str, add: Any) -> None:
    activities: list[dict[str, Any]] = []
    for i, ref in enumerate(plan.get("referrals") or []):
        url = add(
            {
                "resourceType": "ServiceRequest",
                "status": "draft",
                "intent": "proposal",
                "subject": subject,
                "code": {"text": f"Referral: {ref.get('discipline', 'specialist')}"},
                "reasonCode": [{"text": ref["reason"]}] if ref.get("reason") else None,
                "authoredOn": when,
            },
            "referral",
            str(i),
        )
        activities.append({"reference": {"reference": url}})
    for i, med in enumerate(plan.get("medications") or []):
        name = str(med.get("name", "medication"))
        code = vocab.MEDICATIONS.get(name)
        concept = code.concept(text=code.display) if code else {"text": name}
        url = add(
            {
                "resourceType": "MedicationRequest",
                "status": "draft",
                "intent": "plan",
                "subject": subject,
                "medicationCodeableConcept": concept,
                "authoredOn": when,
                "note": [{"text": f"{s.get('date')}: {s.get('action')}"} for s in med.get("schedule") or []] or None,
            },
            "medication",
            str(i),
        )
        activities.append({"reference": {"reference": url}})
        for j, mon in enumerate(med.get("monitoring") or []):
            test = str(mon.get("test", ""))
            key = test.lower() if test.lower() in vocab.SERVICES else (test.lower().split() or [""])[0]
            service = vocab.SERVICES.get(key)
            url = add(
                {
                    "resourceType": "ServiceRequest",
                    "status": "draft",
                    "intent": "plan",
                    "subject": subject,
                    "code": vocab.service_concept(key, text=test) if service else {"text": test or "monitoring test"},
                    "occurrenceDateTime": mon.get("date"),
                    "authoredOn": when,
                    "reasonCode": [{"text": f"Monitoring for {name}"}],
                },
                "monitoring",
                str(i),
                str(j),
            )
            activities.append({"reference": {"reference": url}})
    for i, due in enumerate(plan.get("monitoring") or []):
        ordered = vocab.PLAN_MONITORING_SERVICES.get(str(due.get("id")))
        test = str(due.get("test", "monitoring test"))
        url = add(
            {
                "resourceType": "ServiceRequest",
                "status": "draft",
                "intent": "plan",
                "subject": subject,
                "code": vocab.service_concept(ordered, text=test) if ordered else {"text": test},
                "occurrenceDateTime": due.get("date"),
                "authoredOn": when,
                "reasonCode": [{"text": str(due.get("reason"))}] if due.get("reason") else None,
            },
            "due",
            str(i),
        )
        activities.append({"reference": {"reference": url}})
    issues = []
    for i, alert in enumerate(plan.get("alerts") or []):
        url = add(
            {
                "resourceType": "DetectedIssue",
                "status": "preliminary",
                "patient": subject,
                "code": {"text": str(alert.get("id", "alert"))},
                "severity": SEVERITY.get(str(alert.get("severity")), "moderate"),
                "detail": alert.get("message"),
                "identifiedDateTime": when,
            },
            "alert",
            str(i),
        )
        issues.append({"reference": url})
    for visit in plan.get("follow_up") or []:
        activities.append(
            {
                "detail": {
                    "status": "not-started",
                    "description": str(visit.get("action", "follow-up")),
                    "scheduledPeriod": {"start": visit.get("date")},
                }
            }
        )
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": "draft",
        "intent": "proposal",
        "subject": subject,
        "title": "ALS care plan proposed by alsdx",
        "created": when,
        "description": "Dated monitoring, referrals and medications proposed for a clinician to review.",
    }
    if activities:
        care_plan["activity"] = activities
    if issues:
        care_plan["supportingInfo"] = issues  # CarePlan.addresses targets Conditions only
    add(care_plan, "careplan")


def clean(value: Any) -> Any:
    """Drop nulls and empty lists/objects: FHIR JSON forbids them."""
    if isinstance(value, dict):
        out = {k: clean(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [clean(v) for v in value if v is not None]
    return value
