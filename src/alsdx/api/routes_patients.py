"""Patients and their visits, for the caller's own clinic only (the REST door of ``alsdx.services``).

A patient of another clinic answers 404, exactly like a patient that does not exist, so clinics
cannot even learn each other's patient ids. Every read or change is written to the audit log.
Handlers are plain ``def``: they block on the database and run in the threadpool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, Response

from alsdx.api.calendar import plan_calendar
from alsdx.api.deps import Caller, Db, record
from alsdx.api.examples import CASE_EXAMPLES
from alsdx.api.problems import responses
from alsdx.api.schemas import (
    PatientIn,
    PatientOut,
    PatientPage,
    PatientPatch,
    StoredAssessment,
    StoredCourse,
    StoredPlan,
    VisitOut,
    VisitPage,
)
from alsdx.care.models import Plan
from alsdx.engine.course_results import Course
from alsdx.model.case import Case
from alsdx.services import patients, visits
from alsdx.store.accounts import aware
from alsdx.store.schema import Patient, VisitVersion

router = APIRouter(prefix="/v1/patients", tags=["patients"])
Limit = Annotated[int, Query(ge=1, le=200, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]


def next_offset(offset: int, count: int, total: int) -> int | None:
    return offset + count if offset + count < total else None


def patient_out(p: Patient, last_visit: str | None = None, visit_count: int = 0) -> PatientOut:
    return PatientOut(
        id=p.id,
        reference=p.reference,
        display_name=p.display_name,
        created_at=aware(p.created_at),
        last_visit=last_visit,
        visits=visit_count,
    )


def visit_out(patient_id: str, v: VisitVersion, with_case: bool = False) -> VisitOut:
    return VisitOut(
        id=v.visit_id,
        patient_id=patient_id,
        version=v.version,
        assessment_date=v.assessment_date,
        created_at=aware(v.created_at),
        case_sha256=v.case_sha256,
        case=v.case if with_case else None,
    )


@router.get("", response_model=PatientPage, responses=responses(401, 422))
def list_patients(
    request: Request,
    db: Db,
    who: Caller,
    q: Annotated[str, Query(max_length=100, description="Search reference or name")] = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> PatientPage:
    rows, total = patients.list_patients(db, who, q, limit, offset)
    record(db, request, who, "patient.list")
    return PatientPage(
        items=[patient_out(r.patient, r.last_visit, r.visits) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
        next_offset=next_offset(offset, len(rows), total),
    )


@router.post("", status_code=201, response_model=PatientOut, responses=responses(400, 401, 409, 422))
def create_patient(request: Request, db: Db, who: Caller, body: PatientIn) -> PatientOut:
    patient = patients.create_patient(db, who, body.reference, body.display_name)
    record(db, request, who, "patient.create", patient.id)
    return patient_out(patient)


@router.get("/{patient_id}", response_model=PatientOut, responses=responses(401, 404))
def get_patient(request: Request, db: Db, who: Caller, patient_id: str) -> PatientOut:
    patient = patients.own_patient(db, who, patient_id)
    record(db, request, who, "patient.read", patient.id)
    return patient_out(patient)


@router.patch("/{patient_id}", response_model=PatientOut, responses=responses(400, 401, 404, 409, 422))
def update_patient(request: Request, db: Db, who: Caller, patient_id: str, body: PatientPatch) -> PatientOut:
    patient = patients.update_patient(db, who, patient_id, body.reference, body.display_name)
    record(db, request, who, "patient.update", patient.id)
    return patient_out(patient)


@router.delete("/{patient_id}", status_code=204, responses=responses(401, 404))
def archive_patient(request: Request, db: Db, who: Caller, patient_id: str) -> Response:
    """Archive: the patient disappears from every view; the records are retained."""
    patient = patients.archive_patient(db, who, patient_id)
    record(db, request, who, "patient.archive", patient.id)
    return Response(status_code=204)


@router.post("/{patient_id}/visits", status_code=201, response_model=VisitOut, responses=responses(400, 401, 404, 422))
def create_visit(
    request: Request,
    db: Db,
    who: Caller,
    patient_id: str,
    case: Annotated[Case, Body(openapi_examples=CASE_EXAMPLES)],
) -> VisitOut:
    """Store a visit (version 1 of its case document) and assess it."""
    patient = patients.own_patient(db, who, patient_id)
    version = visits.create_visit(db, who, patient, case)
    record(db, request, who, "visit.create", patient.id, version.visit_id)
    return visit_out(patient.id, version, with_case=True)


@router.get("/{patient_id}/visits", response_model=VisitPage, responses=responses(401, 404, 422))
def list_visits(
    request: Request, db: Db, who: Caller, patient_id: str, limit: Limit = 50, offset: Offset = 0
) -> VisitPage:
    """The current version of each visit, most recent assessment date first."""
    patient = patients.own_patient(db, who, patient_id)
    rows, total = visits.list_visits(db, patient, limit, offset)
    record(db, request, who, "patient.read", patient.id)
    return VisitPage(
        items=[visit_out(patient.id, v) for v in rows],
        total=total,
        limit=limit,
        offset=offset,
        next_offset=next_offset(offset, len(rows), total),
    )


@router.get("/{patient_id}/visits/{visit_id}", response_model=VisitOut, responses=responses(401, 404, 422))
def get_visit(
    request: Request,
    db: Db,
    who: Caller,
    patient_id: str,
    visit_id: str,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="A version; default the latest")] = None,
) -> VisitOut:
    patient = patients.own_patient(db, who, patient_id)
    row = visits.visit_version(db, patient, visit_id, version)
    record(db, request, who, "visit.read", patient.id, visit_id)
    return visit_out(patient.id, row, with_case=True)


@router.get("/{patient_id}/visits/{visit_id}/versions", response_model=list[VisitOut], responses=responses(401, 404))
def list_versions(request: Request, db: Db, who: Caller, patient_id: str, visit_id: str) -> list[VisitOut]:
    patient = patients.own_patient(db, who, patient_id)
    rows = visits.list_versions(db, patient, visit_id)
    record(db, request, who, "visit.read", patient.id, visit_id)
    return [visit_out(patient.id, v) for v in rows]


@router.post(
    "/{patient_id}/visits/{visit_id}/versions",
    status_code=201,
    response_model=VisitOut,
    responses=responses(400, 401, 404, 422),
)
def add_version(
    request: Request,
    db: Db,
    who: Caller,
    patient_id: str,
    visit_id: str,
    case: Annotated[Case, Body(openapi_examples=CASE_EXAMPLES)],
) -> VisitOut:
    """Edit a visit: store the corrected case document as a new version (earlier versions are kept)."""
    patient = patients.own_patient(db, who, patient_id)
    version = visits.add_version(db, who, visits.own_visit(db, patient, visit_id), case)
    record(db, request, who, "visit.version", patient.id, visit_id)
    return visit_out(patient.id, version, with_case=True)


@router.get("/{patient_id}/assessment", response_model=StoredAssessment, responses=responses(401, 404))
def latest_assessment(request: Request, db: Db, who: Caller, patient_id: str) -> StoredAssessment:
    """The assessment of the current version of the patient's most recent visit."""
    patient = patients.own_patient(db, who, patient_id)
    version, row = visits.latest_assessed(db, patient)
    record(db, request, who, "assessment.read", patient.id, version.visit_id)
    return StoredAssessment(
        patient_id=patient.id,
        visit_id=version.visit_id,
        version=version.version,
        input_sha256=row.input_sha256,
        ruleset_version=row.ruleset_version,
        assessed_at=aware(row.created_at),
        assessment=row.result,
    )  # type: ignore[arg-type]


@router.get("/{patient_id}/course", response_model=StoredCourse, responses=responses(401, 404))
def latest_course(request: Request, db: Db, who: Caller, patient_id: str) -> StoredCourse:
    """The disease course at the patient's most recent visit: ALSFRS-R, staging, FVC, NIV, prognosis."""
    patient = patients.own_patient(db, who, patient_id)
    version, row = visits.latest_assessed(db, patient)
    record(db, request, who, "assessment.read", patient.id, version.visit_id)
    return StoredCourse(
        patient_id=patient.id,
        visit_id=version.visit_id,
        version=version.version,
        ruleset_version=row.ruleset_version,
        course=Course.model_validate(row.result["course"]),
    )


@router.get("/{patient_id}/plan", response_model=StoredPlan, responses=responses(401, 404))
def latest_plan(request: Request, db: Db, who: Caller, patient_id: str) -> StoredPlan:
    """The dated care plan of the patient's most recent visit (part of its stored assessment)."""
    patient = patients.own_patient(db, who, patient_id)
    version, row = visits.latest_assessed(db, patient)
    record(db, request, who, "assessment.read", patient.id, version.visit_id)
    return StoredPlan(
        patient_id=patient.id,
        visit_id=version.visit_id,
        version=version.version,
        ruleset_version=row.ruleset_version,
        plan=Plan.model_validate(row.result["plan"]),
    )


@router.get(
    "/{patient_id}/plan.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "iCalendar"}, **responses(401, 404)},
)
def latest_plan_calendar(request: Request, db: Db, who: Caller, patient_id: str) -> Response:
    """The care plan's doses, checks and reviews as an iCalendar file (stable event UIDs)."""
    patient = patients.own_patient(db, who, patient_id)
    version, row = visits.latest_assessed(db, patient)
    record(db, request, who, "assessment.read", patient.id, version.visit_id)
    return plan_calendar(row.result)
