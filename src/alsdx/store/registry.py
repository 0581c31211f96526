"""Patients, their visits and the versions of each visit's case document, scoped to one clinic.

Every function that reaches a patient takes the caller's clinic id, so a patient of another clinic
is simply "not found". Case documents are stored as validated, normalised JSON and never changed:
an edit inserts version n + 1.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alsdx.store.schema import Assessment, Patient, Visit, VisitVersion, utcnow

REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
"""Same alphabet as a case id, so a patient's reference can serve as the id of its cases."""


class RegistryError(ValueError):
    """A request the registry refuses (message names the field)."""

    def __init__(self, field: str, message: str, status: int = 422) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status


def canonical_json(doc: Any) -> str:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(doc: Any) -> str:
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PatientRow:
    patient: Patient
    last_visit: str | None
    visits: int


def _no_nul(field: str, text: str) -> None:
    """PostgreSQL refuses NUL characters in text and JSONB (a 500 before; issue 15): refused on both
    databases alike, naming the field."""
    if "\x00" in text or "\\u0000" in text:
        raise RegistryError(field, "text cannot contain NUL characters (U+0000); remove them")


def _check_reference(reference: str) -> None:
    if not REFERENCE_PATTERN.match(reference):
        raise RegistryError("reference", "1-64 characters of letters, digits, '.', '_' or '-'")


def create_patient(
    session: Session, clinic_id: int, reference: str, display_name: str = "", user_id: int | None = None
) -> Patient:
    _check_reference(reference)
    if len(display_name) > 200:
        raise RegistryError("display_name", "at most 200 characters")
    _no_nul("display_name", display_name)
    if _by_reference(session, clinic_id, reference) is not None:
        raise RegistryError("reference", f"a patient with reference {reference!r} already exists", 409)
    patient = Patient(clinic_id=clinic_id, reference=reference, display_name=display_name, created_by=user_id)
    session.add(patient)
    _flush_unique_reference(session, reference)
    return patient


def _flush_unique_reference(session: Session, reference: str) -> None:
    """Flush; two requests creating the same reference at once pass the check above together, and the
    database's unique constraint refuses the second: that is the same 409, not a 500."""
    try:
        session.flush()
    except IntegrityError:
        raise RegistryError("reference", f"a patient with reference {reference!r} already exists", 409) from None


def _by_reference(session: Session, clinic_id: int, reference: str) -> Patient | None:
    return session.scalar(select(Patient).where(Patient.clinic_id == clinic_id, Patient.reference == reference))


def get_patient(session: Session, clinic_id: int, patient_id: str) -> Patient | None:
    """The clinic's live patient with this id; None for another clinic's or an archived patient."""
    patient = session.get(Patient, patient_id)
    if patient is None or patient.clinic_id != clinic_id or patient.archived_at is not None:
        return None
    return patient


def update_patient(
    session: Session, patient: Patient, reference: str | None = None, display_name: str | None = None
) -> Patient:
    if reference is not None and reference != patient.reference:
        _check_reference(reference)
        if _by_reference(session, patient.clinic_id, reference) is not None:
            raise RegistryError("reference", f"a patient with reference {reference!r} already exists", 409)
        patient.reference = reference
    if display_name is not None:
        if len(display_name) > 200:
            raise RegistryError("display_name", "at most 200 characters")
        _no_nul("display_name", display_name)
        patient.display_name = display_name
    _flush_unique_reference(session, patient.reference)
    return patient


def archive_patient(session: Session, patient: Patient) -> None:
    """Hide the patient from every view; the records stay (clinical records are retained)."""
    patient.archived_at = utcnow()
    session.flush()


def list_patients(
    session: Session, clinic_id: int, query: str = "", limit: int = 50, offset: int = 0
) -> tuple[list[PatientRow], int]:
    """The clinic's live patients matching ``query`` (reference or name, any case), latest visit first."""
    last = (
        select(
            Visit.patient_id.label("pid"),
            func.max(VisitVersion.assessment_date).label("last_visit"),
            func.count(func.distinct(Visit.id)).label("visits"),
        )
        .join(VisitVersion, VisitVersion.visit_id == Visit.id)
        .group_by(Visit.patient_id)
        .subquery()
    )
    _no_nul("q", query)
    where = [Patient.clinic_id == clinic_id, Patient.archived_at.is_(None)]
    if query.strip():
        needle = query.strip().lower()
        where.append(
            func.lower(Patient.reference).contains(needle, autoescape=True)
            | func.lower(Patient.display_name).contains(needle, autoescape=True)
        )
    total = session.scalar(select(func.count()).select_from(Patient).where(*where)) or 0
    rows = session.execute(
        select(Patient, last.c.last_visit, last.c.visits)
        .outerjoin(last, last.c.pid == Patient.id)
        .where(*where)
        .order_by(last.c.last_visit.desc().nulls_last(), Patient.reference)
        .limit(limit)
        .offset(offset)
    )
    return [PatientRow(p, lv, n or 0) for p, lv, n in rows], total


def add_visit(session: Session, patient: Patient, case_doc: dict[str, Any], user_id: int | None) -> VisitVersion:
    """A new visit whose first version is ``case_doc`` (already validated against the Case model)."""
    _no_nul("case", canonical_json(case_doc))
    visit = Visit(patient_id=patient.id, created_by=user_id)
    session.add(visit)
    session.flush()
    return _insert_version(session, visit.id, 1, case_doc, user_id)


def add_version(session: Session, visit: Visit, case_doc: dict[str, Any], user_id: int | None) -> VisitVersion:
    """Version n + 1 of a visit; earlier versions stay as they were."""
    _no_nul("case", canonical_json(case_doc))
    current = session.scalar(select(func.max(VisitVersion.version)).where(VisitVersion.visit_id == visit.id))
    return _insert_version(session, visit.id, (current or 0) + 1, case_doc, user_id)


def _insert_version(
    session: Session, visit_id: str, version: int, case_doc: dict[str, Any], user_id: int | None
) -> VisitVersion:
    row = VisitVersion(
        visit_id=visit_id,
        version=version,
        assessment_date=str(case_doc["assessment_date"]),
        case=case_doc,
        case_sha256=sha256_of(case_doc),
        created_by=user_id,
    )
    session.add(row)
    session.flush()
    return row


def get_visit(session: Session, patient: Patient, visit_id: str) -> Visit | None:
    visit = session.get(Visit, visit_id)
    return visit if visit is not None and visit.patient_id == patient.id else None


def get_version(session: Session, visit: Visit, version: int | None = None) -> VisitVersion | None:
    """The given version of a visit, or its latest."""
    q = select(VisitVersion).where(VisitVersion.visit_id == visit.id)
    if version is not None:
        return session.scalar(q.where(VisitVersion.version == version))
    return session.scalar(q.order_by(VisitVersion.version.desc()).limit(1))


def list_versions(session: Session, visit: Visit) -> list[VisitVersion]:
    return list(
        session.scalars(select(VisitVersion).where(VisitVersion.visit_id == visit.id).order_by(VisitVersion.version))
    )


def _latest_versions(patient_id: str) -> Any:
    latest = (
        select(VisitVersion.visit_id, func.max(VisitVersion.version).label("v"))
        .join(Visit, Visit.id == VisitVersion.visit_id)
        .where(Visit.patient_id == patient_id)
        .group_by(VisitVersion.visit_id)
        .subquery()
    )
    return (
        select(VisitVersion)
        .join(latest, (latest.c.visit_id == VisitVersion.visit_id) & (latest.c.v == VisitVersion.version))
        .order_by(VisitVersion.assessment_date.desc(), VisitVersion.id.desc())
    )


def list_visits(session: Session, patient: Patient, limit: int = 50, offset: int = 0) -> tuple[list[VisitVersion], int]:
    """The latest version of each of the patient's visits, most recent assessment date first."""
    total = session.scalar(select(func.count()).select_from(Visit).where(Visit.patient_id == patient.id)) or 0
    rows = session.scalars(_latest_versions(patient.id).limit(limit).offset(offset))
    return list(rows), total


def latest_version(session: Session, patient: Patient) -> VisitVersion | None:
    """The current version of the patient's most recent visit (by assessment date)."""
    return session.scalar(_latest_versions(patient.id).limit(1))


def assessment_for(
    session: Session,
    version: VisitVersion,
    ruleset_version: str,
    compute: Callable[[dict[str, Any]], dict[str, Any]],
    output_schema: str = "",
) -> Assessment:
    """The stored assessment of this version under this ruleset and output shape, computed and stored once."""
    query = select(Assessment).where(
        Assessment.visit_version_id == version.id,
        Assessment.ruleset_version == ruleset_version,
        Assessment.output_schema == output_schema,
    )
    found = session.scalar(query)
    if found is not None:
        return found
    row = Assessment(
        visit_version_id=version.id,
        ruleset_version=ruleset_version,
        output_schema=output_schema,
        input_sha256=version.case_sha256,
        result=compute(version.case),
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another request stored it first
        stored = session.scalar(query)
        assert stored is not None
        return stored
    return row
