"""Accounts, tokens and the audit log: the admin role only (any clinic: these hold no patient data)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select

from alsdx.api.deps import Admin, Caller, Db, record
from alsdx.api.problems import ProblemError, responses
from alsdx.api.schemas import AuditOut, AuditPage, Me, TokenIn, TokenOut, UserIn, UserOut
from alsdx.store import accounts, audit
from alsdx.store.accounts import aware
from alsdx.store.schema import ApiToken, User

router = APIRouter(prefix="/v1", tags=["admin"])


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


@router.get("/me", response_model=Me, tags=["auth"], responses=responses(401))
def me(who: Caller) -> Me:
    return Me(name=who.name, role=who.role, clinic=who.clinic_name)


@router.get("/users", response_model=list[UserOut], responses=responses(401, 403))
def list_users(db: Db, _: Admin) -> list[UserOut]:
    return [user_out(u) for u in db.scalars(select(User).order_by(User.name))]


@router.post("/users", status_code=201, response_model=UserOut, responses=responses(400, 401, 403, 409, 422))
def create_user(request: Request, db: Db, who: Admin, body: UserIn) -> UserOut:
    user = accounts.create_user(db, body.name, body.password, body.role, body.clinic)
    record(db, request, who, "user.create", target=str(user.id))
    return user_out(user)


@router.get("/tokens", response_model=list[TokenOut], responses=responses(401, 403))
def list_tokens(db: Db, _: Admin) -> list[TokenOut]:
    return [token_out(t) for t in accounts.list_tokens(db)]


@router.post("/tokens", status_code=201, response_model=TokenOut, responses=responses(400, 401, 403, 404, 422))
def create_token(request: Request, db: Db, who: Admin, body: TokenIn) -> TokenOut:
    """Issue a bearer token for a user; the secret is in this response only."""
    user = accounts.find_user(db, body.user)
    if user is None:
        raise ProblemError(404, f"No user named {body.user!r}.")
    days = body.days or request.app.state.settings.token_days
    secret, row = accounts.issue_token(db, user, label=body.label, lifetime=timedelta(days=days))
    record(db, request, who, "token.create", target=str(row.id))
    return token_out(row, secret)


@router.delete("/tokens/{token_id}", status_code=204, responses=responses(401, 403, 404))
def revoke_token(request: Request, db: Db, who: Admin, token_id: int) -> Response:
    row = db.get(ApiToken, token_id)
    if row is None or row.kind != "api":
        raise ProblemError(404, "No such token.")
    accounts.revoke_token(db, token_id)
    record(db, request, who, "token.revoke", target=str(token_id))
    return Response(status_code=204)


@router.get("/audit", response_model=AuditPage, responses=responses(401, 403, 422))
def audit_log(
    db: Db,
    _: Admin,
    patient_id: Annotated[str | None, Query(max_length=36)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    """Newest first: who read or changed which patient, when, from where."""
    rows, total = audit.events(db, patient_id=patient_id, limit=limit, offset=offset)
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
