"""The case-entry form: a new visit (prefilled from the latest one) and the edit of a visit (a new version).

Invalid input shows the form again with every error and every question at once; nothing is stored until the
case is valid and confirmed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from alsdx.api import caseform, formerrors
from alsdx.api.deps import record
from alsdx.api.pages.rendering import render
from alsdx.api.pages.session import check_csrf, run_as_user
from alsdx.model.case import Case
from alsdx.model.load import case_from_dict
from alsdx.services import patients, visits
from alsdx.store.accounts import Principal
from alsdx.store.schema import Patient

router = APIRouter(include_in_schema=False)


@router.get("/patients/{patient_id}/visits/new")
async def new_visit_form(request: Request, patient_id: str) -> Response:
    def work(db: Session, who: Principal) -> Response:
        patient = patients.own_patient(db, who, patient_id)
        latest = visits.latest_version(db, patient)
        today = date.today().isoformat()
        doc = {**latest.case, "assessment_date": today} if latest else caseform.new_case_doc(patient.reference, today)
        view = caseform.form_view(doc, copied_from=str(latest.case.get("assessment_date")) if latest else None)
        return _form_page(request, who, patient, view, action=f"/patients/{patient.id}/visits")

    return await run_as_user(request, work)


@router.post("/patients/{patient_id}/visits")
async def create_visit(request: Request, patient_id: str) -> Response:
    form = await request.form()

    def work(db: Session, who: Principal) -> Response:
        check_csrf(request, form)
        patient = patients.own_patient(db, who, patient_id)
        case = _checked_case(_fields(form))
        if not isinstance(case, Case):
            return _form_page(request, who, patient, *case, action=f"/patients/{patient.id}/visits", status=422)
        version = visits.create_visit(db, who, patient, case)
        record(db, request, who, "visit.create", patient.id, version.visit_id)
        return RedirectResponse(f"/patients/{patient.id}/visits/{version.visit_id}", status_code=303)

    return await run_as_user(request, work)


@router.get("/patients/{patient_id}/visits/{visit_id}/edit")
async def edit_visit_form(request: Request, patient_id: str, visit_id: str) -> Response:
    def work(db: Session, who: Principal) -> Response:
        patient = patients.own_patient(db, who, patient_id)
        row = visits.visit_version(db, patient, visit_id)
        record(db, request, who, "visit.read", patient.id, visit_id)
        return _form_page(
            request,
            who,
            patient,
            caseform.form_view(row.case),
            action=f"/patients/{patient.id}/visits/{visit_id}/edit",
            version=row.version,
        )

    return await run_as_user(request, work)


@router.post("/patients/{patient_id}/visits/{visit_id}/edit")
async def edit_visit(request: Request, patient_id: str, visit_id: str) -> Response:
    form = await request.form()

    def work(db: Session, who: Principal) -> Response:
        check_csrf(request, form)
        patient = patients.own_patient(db, who, patient_id)
        visit = visits.own_visit(db, patient, visit_id)
        case = _checked_case(_fields(form))
        if not isinstance(case, Case):
            return _form_page(
                request, who, patient, *case, action=f"/patients/{patient.id}/visits/{visit_id}/edit", status=422
            )
        visits.add_version(db, who, visit, case)
        record(db, request, who, "visit.version", patient.id, visit_id)
        return RedirectResponse(f"/patients/{patient.id}/visits/{visit_id}", status_code=303)

    return await run_as_user(request, work)


def _checked_case(
    fields: dict[str, list[str]],
) -> Case | tuple[dict[str, Any], list[formerrors.PlainError], list[caseform.Confirmation]]:
    """The case to save; or the form to show again with every error and every question at once."""
    doc = caseform.case_from_form(fields)
    errors = formerrors.plain(caseform.form_errors(fields) + formerrors.all_errors(doc))
    confirmations = caseform.entry_checks(fields, doc)
    if errors or confirmations:
        return caseform.form_view(doc, form=fields), errors, confirmations
    return case_from_dict(doc)


def _form_page(
    request: Request,
    who: Principal,
    patient: Patient,
    view: dict[str, Any],
    errors: list[formerrors.PlainError] | None = None,
    confirmations: list[caseform.Confirmation] | None = None,
    *,
    action: str,
    status: int = 200,
    version: int | None = None,
) -> Response:
    by_field: dict[str, list[str]] = {}
    for e in errors or []:
        by_field.setdefault(e.field_id, []).append(e.message)
    return render(
        request,
        "case_form.html",
        who,
        status=status,
        patient=patient,
        f=view,
        errors=errors or [],
        confirmations=confirmations or [],
        field_errors=by_field,
        action=action,
        version=version,
    )


def _fields(form: FormData) -> dict[str, list[str]]:
    """Every submitted value per name (uploads are not part of the case form and are ignored)."""
    return {k: [v for v in form.getlist(k) if isinstance(v, str)] for k in form}
