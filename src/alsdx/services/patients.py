"""Patients of the caller's clinic: look up, list, create, rename, archive."""

from __future__ import annotations

from sqlalchemy.orm import Session

from alsdx.services.errors import NotFound
from alsdx.store import registry
from alsdx.store.accounts import Principal
from alsdx.store.registry import PatientRow
from alsdx.store.schema import Patient

NO_SUCH_PATIENT = "No such patient in your clinic."


def own_patient(db: Session, who: Principal, patient_id: str) -> Patient:
    """The caller's clinic's live patient; :class:`NotFound` for another clinic's, an archived or an unknown one."""
    patient = registry.get_patient(db, who.clinic_id, patient_id)
    if patient is None:
        raise NotFound(NO_SUCH_PATIENT)
    return patient


def list_patients(db: Session, who: Principal, query: str, limit: int, offset: int) -> tuple[list[PatientRow], int]:
    """One page of the clinic's patients matching ``query`` (reference or name), and how many match in all."""
    return registry.list_patients(db, who.clinic_id, query, limit, offset)


def create_patient(db: Session, who: Principal, reference: str, display_name: str) -> Patient:
    """A new patient of the caller's clinic (``RegistryError`` for a bad or duplicate reference)."""
    return registry.create_patient(db, who.clinic_id, reference, display_name, who.user_id)


def update_patient(
    db: Session, who: Principal, patient_id: str, reference: str | None, display_name: str | None
) -> Patient:
    return registry.update_patient(db, own_patient(db, who, patient_id), reference, display_name)


def archive_patient(db: Session, who: Principal, patient_id: str) -> Patient:
    """Archive: the patient disappears from every view; the records are retained."""
    patient = own_patient(db, who, patient_id)
    registry.archive_patient(db, patient)
    return patient
