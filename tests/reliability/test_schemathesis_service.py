"""Every operation of the OpenAPI document, authenticated, fuzzed in process by schemathesis: no 5xx,
every response documented and matching its schema, schema-violating requests refused.

The caller is an admin (who may also do everything a clinician does in their clinic). Path
parameters that name a patient, visit or token get a fresh real one for each generated case, so the
fuzzing reaches the handlers rather than stopping at 404. CDS Hooks calls carry a signed JWT of the
trusted test EHR. "Schema-valid request rejected" is not checked: the case model's cross-field rules
(dates in order, age agreeing with birth date, muscle roots agreeing with the table) cannot be
expressed in JSON Schema, so a schema-valid case can rightly be refused with 422.

ALSDX_FUZZ_EXAMPLES (default 5) sets the examples per operation; ALSDX_FUZZ_LONG=1 adds the coverage phase.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from reliability_helpers import example
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from alsdx.api import Settings, create_app
from alsdx.store import accounts, registry

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from cds_helpers import BASE, auth
from cds_helpers import settings as cds_settings


def _app() -> object:
    import alsdx.api.cds as cds

    original = cds.CdsSettings.from_env
    cds.CdsSettings.from_env = classmethod(lambda cls, env=None: cds_settings())  # type: ignore[method-assign,assignment]
    try:
        folder = tempfile.mkdtemp(prefix="alsdx-st-")
        return create_app(Settings(database_url=f"sqlite:///{folder}/st.db"))
    finally:
        cds.CdsSettings.from_env = original  # type: ignore[method-assign]


APP = _app()
with APP.state.sessions.begin() as _s:  # type: ignore[attr-defined]
    _admin = accounts.create_user(_s, "st-admin", "password-123", "admin", "North")
    ADMIN = {"Authorization": f"Bearer {accounts.issue_token(_s, _admin, lifetime=timedelta(days=1))[0]}"}
    ADMIN_ID, CLINIC_ID = _admin.id, _admin.clinic_id

EXAMPLES = int(os.environ.get("ALSDX_FUZZ_EXAMPLES", "5"))
LONG = os.environ.get("ALSDX_FUZZ_LONG") == "1"
"""ALSDX_FUZZ_LONG=1 adds schemathesis' coverage phase (boundary values of every parameter, several hundred
cases per operation: minutes); the default run is the examples and fuzzing phases (seconds)."""
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", APP, config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": LONG}}})
)


def _fresh_ids() -> dict[str, str]:
    with APP.state.sessions.begin() as s:  # type: ignore[attr-defined]
        patient = registry.create_patient(s, CLINIC_ID, f"ST-{secrets.token_hex(5)}", "", ADMIN_ID)
        visit = registry.add_visit(s, patient, example(), ADMIN_ID).visit_id
        user = accounts.find_user(s, "st-admin")
        assert user is not None
        token_id = accounts.issue_token(s, user, lifetime=timedelta(days=1))[1].id
        session_id = accounts.issue_token(s, user, kind="session", lifetime=timedelta(hours=1))[1].id
        other = accounts.create_user(s, f"st-{secrets.token_hex(4)}", "password-123", "clinician", "North")
        return {
            "patient_id": patient.id,
            "visit_id": visit,
            "token_id": str(token_id),
            "session_id": str(session_id),
            "user_id": str(other.id),  # a fresh user: deactivating the admin would end the run's token
        }


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case: schemathesis.Case) -> None:
    params = case.path_parameters or {}
    if not case.meta or not case.meta.is_negative_at(ParameterLocation.PATH):  # keep deliberately bad ids
        if {"patient_id", "token_id", "session_id", "user_id"} & set(params):
            ids = _fresh_ids()
            for name in ("patient_id", "visit_id", "token_id", "session_id", "user_id"):
                if name in params:
                    params[name] = ids[name]
        if "service_id" in params:
            params["service_id"] = "alsdx-patient-view"
    if case.path.startswith("/cds-services"):
        path = case.formatted_path
        headers = {**(case.headers or {}), **auth(path, aud=f"{BASE}{path}")}
    else:
        headers = {**(case.headers or {}), **ADMIN}
    case.call_and_validate(headers=headers, base_url=BASE, excluded_checks=[positive_data_acceptance])
