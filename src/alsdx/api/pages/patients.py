"""The patient list (search, pages, new patient) and one patient's page (visits, latest assessment, the clinical
trials screened against it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from alsdx.api.deps import record
from alsdx.api.pages.plots import plot_urls
from alsdx.api.pages.rendering import render
from alsdx.api.pages.session import check_csrf, run_as_user
from alsdx.api.pages.trials_panel import trials_panel
from alsdx.services import patients, visits
from alsdx.store.accounts import Principal
from alsdx.store.registry import RegistryError

PAGE_SIZE = 25
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]
"""A bounded query integer: ?page=10^20 was an unhandled 500 (an SQL OFFSET overflow; issue 15)."""

router = APIRouter(include_in_schema=False)


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


@router.get("/patients")
async def patient_list(request: Request, q: str = "", page: PageNumber = 1) -> Response:
    page = max(1, page)

    def work(db: Session, who: Principal) -> Response:
        rows, total = patients.list_patients(db, who, q[:100], PAGE_SIZE, (page - 1) * PAGE_SIZE)
        record(db, request, who, "patient.list")
        return render(
            request,
            "patients.html",
            who,
            rows=rows,
            total=total,
            q=q,
            page=page,
            pages=_pages(total),
            error=None,
            form={},
        )

    return await run_as_user(request, work)


@router.post("/patients")
async def create_patient(request: Request) -> Response:
    form = await request.form()

    def work(db: Session, who: Principal) -> Response:
        check_csrf(request, form)
        reference, name = str(form.get("reference", "")).strip(), str(form.get("display_name", "")).strip()
        try:
            with db.begin_nested():
                patient = patients.create_patient(db, who, reference, name)
        except RegistryError as exc:
            rows, total = patients.list_patients(db, who, "", PAGE_SIZE, 0)
            return render(
                request,
                "patients.html",
                who,
                status=422,
                rows=rows,
                total=total,
                q="",
                page=1,
                pages=_pages(total),
                error=str(exc),
                form={"reference": reference, "display_name": name},
            )
        record(db, request, who, "patient.create", patient.id)
        return RedirectResponse(f"/patients/{patient.id}/visits/new", status_code=303)

    return await run_as_user(request, work)


@router.get("/patients/{patient_id}")
async def patient_page(request: Request, patient_id: str) -> Response:
    def work(db: Session, who: Principal) -> Response:
        patient = patients.own_patient(db, who, patient_id)
        rows, _ = visits.list_visits(db, patient, 200, 0)
        latest = rows[0] if rows else None
        assessment = visits.stored_assessment(db, latest).result if latest else None
        record(db, request, who, "patient.read", patient.id)
        return render(
            request,
            "patient.html",
            who,
            patient=patient,
            visits=rows,
            latest=latest,
            a=assessment,
            case=latest.case if latest else None,
            plan_ics=f"/patients/{patient.id}/visits/{latest.visit_id}/plan.ics" if latest else None,
            plots=plot_urls(f"/patients/{patient.id}/visits/{latest.visit_id}", assessment, latest.version)
            if latest and assessment
            else [],
            trials=trials_panel(request.app.state.trials, latest.case if latest else None, assessment),
        )

    return await run_as_user(request, work)
