"""Request and response bodies of the REST API (strict pydantic models; the case itself is ``Case``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from alsdx.api.problems import FieldProblem
from alsdx.api.trial_schema import MAX_TRIALS_PER_REQUEST, TRIAL_ITEM
from alsdx.care.models import Plan
from alsdx.engine.course_results import Course
from alsdx.engine.results import Assessment
from alsdx.errors import FieldError

MAX_BATCH = 1000


class StrictIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PatientIn(StrictIn):
    reference: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$", examples=["MRN-004217"])]
    """The clinic's own identifier (hospital number); letters, digits, '.', '_', '-'."""
    display_name: Annotated[str, Field(max_length=200, examples=["A. Patient"])] = ""


class PatientPatch(StrictIn):
    reference: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")] | None = None
    display_name: Annotated[str, Field(max_length=200)] | None = None


class PatientOut(BaseModel):
    id: str
    reference: str
    display_name: str
    created_at: datetime
    last_visit: str | None = None
    """Assessment date of the most recent visit."""
    visits: int = 0


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    next_offset: int | None
    """Offset of the next page, or null on the last page."""


class PatientPage(Page):
    items: list[PatientOut]


class VisitOut(BaseModel):
    id: str
    patient_id: str
    version: int
    """Version of the case document; an edit adds a version and keeps the earlier ones."""
    assessment_date: str
    created_at: datetime
    """When this version was stored."""
    case_sha256: str
    case: dict[str, Any] | None = None
    """The full case document (detail views only)."""


class VisitPage(Page):
    items: list[VisitOut]


class StoredAssessment(BaseModel):
    patient_id: str
    visit_id: str
    version: int
    input_sha256: str
    """sha256 of the canonical JSON of the case the assessment was computed from."""
    ruleset_version: str
    assessed_at: datetime
    assessment: Assessment


class StoredCourse(BaseModel):
    patient_id: str
    visit_id: str
    version: int
    ruleset_version: str
    course: Course


class StoredPlan(BaseModel):
    patient_id: str
    visit_id: str
    version: int
    ruleset_version: str
    plan: Plan


class BatchRequest(StrictIn):
    cases: Annotated[list[dict[str, Any]], Field(max_length=MAX_BATCH)]
    """Up to 1,000 case documents; each is validated on its own."""


class BatchItem(BaseModel):
    index: int
    ok: bool
    assessment: Assessment | None = None
    errors: list[dict[str, str]] | None = None
    """Present when ``ok`` is false: ``{field, message}`` for each problem with this case."""

    @staticmethod
    def failed(index: int, errors: list[FieldError]) -> dict[str, Any]:
        return {
            "index": index,
            "ok": False,
            "errors": [{"field": e.path, "message": e.message} for e in errors],
        }


class BatchResponse(BaseModel):
    results: list[BatchItem]
    """One result per input case, in input order."""


class TrialScreenRequest(StrictIn):
    cases: Annotated[list[dict[str, Any]], Field(max_length=MAX_BATCH)]
    """Up to 1,000 case documents (as ``POST /v1/assess`` takes); each is validated on its own."""
    trials: Annotated[
        list[Annotated[Any, WithJsonSchema(TRIAL_ITEM)]], Field(min_length=1, max_length=MAX_TRIALS_PER_REQUEST)
    ]
    """Up to 20 trials: a configured trial's id (``GET /v1/trials``) or a trial document (docs/trials.md), never
    a file path. Each is checked by ``alsdx.trials.model.parse_trial``, so the errors are the trial file's."""


class ScreenFailure(BaseModel):
    """A case that could not be screened, in its place in the list (the others are screened)."""

    index: int
    ok: Literal[False]
    errors: list[FieldProblem]


class UserIn(StrictIn):
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9._@-]{1,64}$")]
    password: Annotated[str, Field(min_length=10, max_length=1000)]
    role: Literal["clinician", "admin"]
    clinic: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    """The caller's own clinic (default); an admin cannot create users of another clinic."""


class UserOut(BaseModel):
    id: int
    name: str
    role: str
    clinic: str
    active: bool


class TokenIn(StrictIn):
    user: Annotated[str, Field(pattern=r"^[A-Za-z0-9._@-]{1,64}$")] | None = None
    """The caller's own name, or omitted: a token is issued to its owner only."""
    label: Annotated[str, Field(max_length=100)] = ""
    days: Annotated[float, Field(gt=0, le=3650, allow_inf_nan=False)] | None = None


class TokenOut(BaseModel):
    id: int
    user: str
    label: str
    created_at: datetime
    expires_at: datetime
    revoked: bool
    token: str | None = None
    """The secret, shown only in the response that creates it."""


class SessionOut(BaseModel):
    id: int
    user: str
    created_at: datetime
    expires_at: datetime


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    patient_id: str | None
    target: str | None
    client_addr: str | None


class AuditPage(Page):
    items: list[AuditOut]


class Me(BaseModel):
    name: str
    role: str
    clinic: str
