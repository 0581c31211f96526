"""The CDS Hooks 2.0 request bodies alsdx reads: a hook call and a feedback call (https://cds-hooks.hl7.org/2.0/).

Unknown fields are allowed where the spec lets clients add them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class FhirAuthorization(BaseModel):
    model_config = ConfigDict(extra="allow")
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    scope: str
    subject: str


class CdsRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    hook: str
    hookInstance: str = Field(min_length=1)
    fhirServer: str | None = None
    fhirAuthorization: FhirAuthorization | None = None
    context: dict[str, Any]
    prefetch: dict[str, Any] | None = None


class AcceptedSuggestion(BaseModel):
    id: str


class OverrideReason(BaseModel):
    model_config = ConfigDict(extra="allow")
    reason: dict[str, Any] | None = None
    userComment: str | None = None


class Feedback(BaseModel):
    model_config = ConfigDict(extra="allow")
    card: str
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[AcceptedSuggestion] | None = None
    overrideReason: OverrideReason | None = None
    outcomeTimestamp: str


class FeedbackRequest(BaseModel):
    feedback: list[Feedback]
