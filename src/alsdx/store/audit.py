"""The append-only audit log: who read or changed which patient, when, and from where.

Rows name the action and identifiers only, never clinical findings or search terms. A failed log-in
names the user (``user_id``) when the name exists; for an unknown name it keeps only a keyed hash of what
was typed (alsdx.store.throttle.name_key), so a password typed into the name field cannot be read back.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alsdx.store.schema import AuditEvent, User

ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "patient.list",
    "patient.create",
    "patient.read",
    "patient.update",
    "patient.archive",
    "visit.create",
    "visit.version",
    "visit.read",
    "assessment.read",
    "user.create",
    "user.deactivate",
    "user.unlock",
    "user.password",
    "token.create",
    "token.revoke",
    "session.revoke",
)


def record(
    session: Session,
    action: str,
    *,
    user_id: int | None,
    actor: str,
    patient_id: str | None = None,
    target: str | None = None,
    client_addr: str | None = None,
) -> AuditEvent:
    if action not in ACTIONS:
        raise ValueError(f"action: unknown audit action {action!r}")
    event = AuditEvent(
        action=action,
        user_id=user_id,
        actor=actor[:64],
        patient_id=patient_id,
        target=target,
        client_addr=(client_addr or None) and client_addr[:64],
    )
    session.add(event)
    return event


def events(
    session: Session,
    *,
    clinic_id: int | None = None,
    patient_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[AuditEvent], int]:
    """Newest first. ``clinic_id``: only what users of that clinic did (their own clinic's patients,
    users and tokens); failed log-ins under unknown names belong to no clinic and are left out."""
    q = select(AuditEvent)
    if clinic_id is not None:
        q = q.join(User, AuditEvent.user_id == User.id).where(User.clinic_id == clinic_id)
    if patient_id is not None:
        q = q.where(AuditEvent.patient_id == patient_id)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(q.order_by(AuditEvent.id.desc()).limit(limit).offset(offset))
    return list(rows), total
