"""Visits of a patient, their versions, and the stored assessment of each version.

A visit keeps every version of its case document; each version is assessed once per ruleset version and output
shape, and that stored assessment is what every page and API answer shows (the visit-version lookup and the
assessment cache live here only).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from alsdx.care.ics import to_ics
from alsdx.care.models import Plan
from alsdx.engine.batcher import ASSESSMENTS
from alsdx.engine.results import Assessment as AssessmentModel
from alsdx.model.case import Case
from alsdx.model.load import case_from_dict
from alsdx.rules.version import RULESET_VERSION
from alsdx.services.errors import NotFound
from alsdx.store import registry
from alsdx.store.accounts import Principal
from alsdx.store.schema import Assessment, Patient, Visit, VisitVersion

OUTPUT_SCHEMA = hashlib.sha256(json.dumps(AssessmentModel.model_json_schema(), sort_keys=True).encode()).hexdigest()[
    :16
]
"""Stored assessments are reused only for the same ruleset version and the same output shape."""


def assessment_json(case_doc: dict[str, Any]) -> dict[str, Any]:
    """The engine's assessment of a stored case document (the same call ``alsdx assess`` makes), batched with the
    assessments the process's other requests are waiting for (``alsdx.engine.batcher``)."""
    return ASSESSMENTS.call(case_from_dict(case_doc), _as_dict)


def _as_dict(assessment: AssessmentModel) -> dict[str, Any]:
    return assessment.model_dump(mode="json")


def stored_assessment(db: Session, version: VisitVersion) -> Assessment:
    """The version's assessment, computed and stored on first use."""
    return registry.assessment_for(db, version, RULESET_VERSION, assessment_json, OUTPUT_SCHEMA)


def own_visit(db: Session, patient: Patient, visit_id: str) -> Visit:
    visit = registry.get_visit(db, patient, visit_id)
    if visit is None:
        raise NotFound("No such visit for this patient.")
    return visit


def visit_version(db: Session, patient: Patient, visit_id: str, version: int | None = None) -> VisitVersion:
    """One version of one of the patient's visits (default its latest)."""
    row = registry.get_version(db, own_visit(db, patient, visit_id), version)
    if row is None:
        raise NotFound(f"Visit has no version {version}.")
    return row


def list_versions(db: Session, patient: Patient, visit_id: str) -> list[VisitVersion]:
    return registry.list_versions(db, own_visit(db, patient, visit_id))


def list_visits(db: Session, patient: Patient, limit: int, offset: int) -> tuple[list[VisitVersion], int]:
    """The current version of each visit, most recent assessment date first, and how many visits in all."""
    return registry.list_visits(db, patient, limit, offset)


def latest_version(db: Session, patient: Patient) -> VisitVersion | None:
    """The current version of the patient's most recent visit (by assessment date), if any."""
    return registry.latest_version(db, patient)


def latest_assessed(db: Session, patient: Patient) -> tuple[VisitVersion, Assessment]:
    """The current version of the most recent visit and its stored assessment."""
    version = latest_version(db, patient)
    if version is None:
        raise NotFound("This patient has no visits yet.")
    return version, stored_assessment(db, version)


def create_visit(db: Session, who: Principal, patient: Patient, case: Case) -> VisitVersion:
    """Store a visit (version 1 of its case document) and assess it."""
    version = registry.add_visit(db, patient, case.model_dump(mode="json"), who.user_id)
    stored_assessment(db, version)
    return version


def add_version(db: Session, who: Principal, visit: Visit, case: Case) -> VisitVersion:
    """Edit a visit: store the corrected case document as a new version (earlier versions are kept) and assess it."""
    version = registry.add_version(db, visit, case.model_dump(mode="json"), who.user_id)
    stored_assessment(db, version)
    return version


def plan_ics(result: dict[str, Any]) -> bytes:
    """A stored assessment's care plan as iCalendar bytes (stable event UIDs)."""
    return to_ics(Plan.model_validate(result["plan"]))
