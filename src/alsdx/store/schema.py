"""The registry's tables (SQLAlchemy 2 declarative models; the migration in migrations/ creates them).

Patients belong to a clinic, and every query that reaches a patient goes through that clinic.
A visit is a logical encounter; its case document lives in ``visit_versions``, one row per edit.
Assessments are cached per (visit version, ruleset version) with the sha256 of the input case.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

JsonDoc = JSON().with_variant(JSONB(), "postgresql")
BigId = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER PRIMARY KEY only

ROLES = ("clinician", "admin")


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    pass


class Clinic(Base):
    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    clinic: Mapped[Clinic] = relationship(lazy="joined")


class ApiToken(Base):
    """A bearer token or a web session. Only the sha256 of the secret is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "api" or "session"
    label: Mapped[str] = mapped_column(String(100), default="")
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    user: Mapped[User] = relationship(lazy="joined")


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (UniqueConstraint("clinic_id", "reference", name="uq_patients_clinic_reference"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    reference: Mapped[str] = mapped_column(String(64))
    """The clinic's own identifier (e.g. hospital number); also the default case id."""
    display_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class Visit(Base):
    __tablename__ = "visits"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class VisitVersion(Base):
    """One immutable version of a visit's case document (the database refuses UPDATE and DELETE)."""

    __tablename__ = "visit_versions"
    __table_args__ = (UniqueConstraint("visit_id", "version", name="uq_visit_versions_visit_version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    assessment_date: Mapped[str] = mapped_column(String(10))
    """ISO date copied from the case, so visits sort without reading the documents."""
    case: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    case_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("visit_version_id", "ruleset_version", "output_schema", name="uq_assessments_version_ruleset"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    visit_version_id: Mapped[int] = mapped_column(BigId, ForeignKey("visit_versions.id"), index=True)
    ruleset_version: Mapped[str] = mapped_column(String(32))
    output_schema: Mapped[str] = mapped_column(String(16), default="")
    """Fingerprint of the Assessment model's JSON schema: a stored result of an older output shape
    (say, before the care plan was added) is recomputed rather than served."""
    input_sha256: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEvent(Base):
    """Who did what to which patient, when, from where. Never clinical findings."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    actor: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(32))
    patient_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    target: Mapped[str | None] = mapped_column(String(64), default=None)
    client_addr: Mapped[str | None] = mapped_column(String(64), default=None)


class LoginThrottle(Base):
    """Failed log-ins of one name (``key == name_key``) or of one name from one client address.
    Keys are keyed hashes (alsdx.store.throttle), never the typed name or the address."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    name_key: Mapped[str] = mapped_column(String(80), index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


APPEND_ONLY_TABLES = ("visit_versions", "assessments", "audit_events")


class CdsTokenUse(Base):
    """JWT ids (``jti``) of CDS Hooks calls already accepted, per issuer, until the token expires: the replay cache,
    in the database so that every worker and instance behind a load balancer, and a restarted one, share it."""

    __tablename__ = "cds_token_uses"

    iss: Mapped[str] = mapped_column(String(255), primary_key=True)
    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    exp: Mapped[float] = mapped_column(Float, index=True)
