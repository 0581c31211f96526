"""Accounts, tokens, sessions and the audit log of the caller's own clinic.

Issue 15, finding 1: the admin role crossed clinics (an admin of clinic B minted a token for a clinic-A
clinician and read clinic A's patients under the victim's name; created users in clinic A; read every
clinic's audit trail). Now an admin manages the users, tokens and sessions of their own clinic only and
sees their own clinic's audit; another clinic's user, token or session answers 404, as if it did not
exist. No API call mints a token for another person: ``POST /v1/tokens`` issues a token to its caller
(an operator can issue one for anyone with ``alsdx token create``). Creating clinics and their first
admin spans clinics, so it is a command-line action only (``alsdx user add``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session

from alsdx.api.deps import Admin, Caller, Db, in_db_thread, record, require_principal_outside_slot
from alsdx.api.problems import ProblemError, responses
from alsdx.api.schemas import AuditOut, AuditPage, Me, SessionOut, TokenIn, TokenOut, UserIn, UserOut
from alsdx.store import accounts, audit, throttle
from alsdx.store.accounts import Principal, aware
from alsdx.store.schema import ApiToken, User

router = APIRouter(prefix="/v1", tags=["admin"])

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def user_out(u: User) -> UserOut:
    return UserOut(id=u.id, name=u.name, role=u.role, clinic=u.clinic.name, active=u.active)


def token_out(t: ApiToken, secret: str | None = None) -> TokenOut:
    return TokenOut(
        id=t.id,
        user=t.user.name,
        label=t.label,
        created_at=aware(t.created_at),
        expires_at=aware(t.expires_at),
        revoked=t.revoked_at is not None,
        token=secret,
    )


def own_user(db: Session, who: Principal, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None or user.clinic_id != who.clinic_id:
        raise ProblemError(404, "No such user in your clinic.")
    return user


def own_token(db: Session, who: Principal, token_id: int, kind: str) -> ApiToken:
    """A token of this kind that the caller owns, or (admin) of a user of the caller's clinic."""
    row = db.get(ApiToken, token_id)
    if row is None or row.kind != kind:
        raise ProblemError(404, f"No such {'token' if kind == 'api' else 'session'}.")
    mine = row.user_id == who.user_id
    if not mine and not (who.is_admin and row.user.clinic_id == who.clinic_id):
        raise ProblemError(404, f"No such {'token' if kind == 'api' else 'session'}.")
    return row


@router.get("/me", response_model=Me, tags=["auth"], responses=responses(401))
def me(who: Caller) -> Me:
    return Me(name=who.name, role=who.role, clinic=who.clinic_name)


@router.get("/users", response_model=list[UserOut], responses=responses(401, 403))
def list_users(db: Db, who: Admin) -> list[UserOut]:
    users = db.query(User).filter(User.clinic_id == who.clinic_id).order_by(User.name)
    return [user_out(u) for u in users]


@router.post("/users", status_code=201, response_model=UserOut, responses=responses(400, 401, 403, 409, 422))
async def create_user(
    request: Request, who: Annotated[Principal, Depends(require_principal_outside_slot)], body: UserIn
) -> UserOut:
    """A user of the caller's own clinic (``clinic`` may be omitted; another clinic is refused). The
    password is hashed outside the database slot, in the log-ins' bounded pool."""
    if not who.is_admin:
        raise ProblemError(403, "This needs the admin role.")
    if body.clinic is not None and body.clinic != who.clinic_name:
        raise ProblemError(403, "Admins create users of their own clinic only; an operator uses `alsdx user add`.")
    accounts.check_new_password(body.name, body.password)
    password_hash = await request.app.state.password_checks.run(accounts.hash_password, body.password)

    def work() -> UserOut:
        with request.app.state.sessions.begin() as db:
            user = accounts.create_user(
                db, body.name, body.password, body.role, who.clinic_name, password_hash=password_hash
            )
            record(db, request, who, "user.create", target=str(user.id))
            return user_out(user)

    return await in_db_thread(request, work)


@router.post("/users/{user_id}/deactivate", response_model=UserOut, responses=responses(401, 403, 404, 422))
def deactivate_user(request: Request, db: Db, who: Admin, user_id: Id) -> UserOut:
    """Cut a user off at once: no log-in, and every session and API token of the user revoked."""
    user = own_user(db, who, user_id)
    accounts.deactivate(db, user)
    record(db, request, who, "user.deactivate", target=str(user.id))
    return user_out(user)


@router.post("/users/{user_id}/unlock", status_code=204, responses=responses(401, 403, 404, 422))
def unlock_user(request: Request, db: Db, who: Admin, user_id: Id) -> Response:
    """Clear the log-in throttle of a user (failed attempts from every address)."""
    user = own_user(db, who, user_id)
    throttle.unlock(db, request.app.state.settings.secret_key, user.name)
    record(db, request, who, "user.unlock", target=str(user.id))
    return Response(status_code=204)


@router.get("/tokens", response_model=list[TokenOut], responses=responses(401, 403))
def list_tokens(db: Db, who: Admin) -> list[TokenOut]:
    return [token_out(t) for t in accounts.list_tokens(db, clinic_id=who.clinic_id)]


@router.post("/tokens", status_code=201, response_model=TokenOut, responses=responses(400, 401, 403, 422))
def create_token(request: Request, db: Db, who: Caller, body: TokenIn) -> TokenOut:
    """Issue a bearer token to the caller; the secret is in this response only."""
    if body.user is not None and body.user != who.name:
        raise ProblemError(403, "Tokens are issued to their owner only; an operator uses `alsdx token create`.")
    user = db.get(User, who.user_id)
    assert user is not None
    days = body.days or request.app.state.settings.token_days
    secret, row = accounts.issue_token(db, user, label=body.label, lifetime=timedelta(days=days))
    record(db, request, who, "token.create", target=str(row.id))
    return token_out(row, secret)


@router.delete("/tokens/{token_id}", status_code=204, responses=responses(401, 404, 422))
def revoke_token(request: Request, db: Db, who: Caller, token_id: Id) -> Response:
    """Revoke one of the caller's tokens, or (admin) a token of a user of the caller's clinic."""
    own_token(db, who, token_id, "api")
    accounts.revoke_token(db, token_id)
    record(db, request, who, "token.revoke", target=str(token_id))
    return Response(status_code=204)


@router.get("/sessions", response_model=list[SessionOut], responses=responses(401, 403))
def list_sessions(db: Db, who: Admin) -> list[SessionOut]:
    """Live web sessions of the clinic's users, newest first (the secret is never shown)."""
    return [
        SessionOut(id=t.id, user=t.user.name, created_at=aware(t.created_at), expires_at=aware(t.expires_at))
        for t in accounts.list_sessions(db, who.clinic_id)
    ]


@router.delete("/sessions/{session_id}", status_code=204, responses=responses(401, 403, 404, 422))
def revoke_session(request: Request, db: Db, who: Admin, session_id: Id) -> Response:
    """End a web session of a user of the caller's clinic."""
    own_token(db, who, session_id, "session")
    accounts.revoke_token(db, session_id)
    record(db, request, who, "session.revoke", target=str(session_id))
    return Response(status_code=204)


@router.get("/audit", response_model=AuditPage, responses=responses(401, 403, 422))
def audit_log(
    db: Db,
    who: Admin,
    patient_id: Annotated[str | None, Query(max_length=36)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    """Newest first: who of the caller's clinic read or changed which patient, when, from where."""
    rows, total = audit.events(db, clinic_id=who.clinic_id, patient_id=patient_id, limit=limit, offset=offset)
    items = [
        AuditOut(
            id=e.id,
            at=aware(e.at),
            actor=e.actor,
            action=e.action,
            patient_id=e.patient_id,
            target=e.target,
            client_addr=e.client_addr,
        )
        for e in rows
    ]
    nxt = offset + len(rows) if offset + len(rows) < total else None
    return AuditPage(items=items, total=total, limit=limit, offset=offset, next_offset=nxt)
