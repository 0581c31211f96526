"""Patients, versioned visits, cached assessments and the audit log — on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from alsdx.model.load import load_case
from alsdx.store import accounts, audit, registry

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"


def _case(name: str = "bulbar-onset", **changes: Any) -> dict[str, Any]:
    doc = load_case(EXAMPLES / f"{name}.yaml").model_dump(mode="json")
    doc.update(changes)
    return doc


def _clinic(s: Session, name: str) -> int:
    return accounts.get_or_create_clinic(s, name).id


def test_patient_of_another_clinic_is_not_found(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        north, south = _clinic(s, "North"), _clinic(s, "South")
        p = registry.create_patient(s, north, "MRN-1", "Ada Lovelace")
        pid = p.id
    with sessions.begin() as s:
        assert registry.get_patient(s, north, pid) is not None
        assert registry.get_patient(s, south, pid) is None
        assert registry.list_patients(s, south) == ([], 0)
        assert registry.get_patient(s, north, "no-such-id") is None


def test_references_are_unique_per_clinic_only(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        north, south = _clinic(s, "North"), _clinic(s, "South")
        registry.create_patient(s, north, "MRN-1")
        registry.create_patient(s, south, "MRN-1")
        with pytest.raises(registry.RegistryError) as err:
            registry.create_patient(s, north, "MRN-1")
        assert (err.value.field, err.value.status) == ("reference", 409)
        with pytest.raises(registry.RegistryError, match=r"^reference:"):
            registry.create_patient(s, north, "has space")


def test_search_is_case_insensitive_and_treats_wildcards_literally(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        c = _clinic(s, "North")
        for ref, name in [("A-100", "Ada Byron"), ("B-200", "Bob Jones"), ("C_300", "Cy 100% Doe")]:
            registry.create_patient(s, c, ref, name)
    with sessions.begin() as s:
        refs = lambda q: sorted(r.patient.reference for r in registry.list_patients(s, c, q)[0])  # noqa: E731
        assert refs("ada") == ["A-100"]
        assert refs("BYRON") == ["A-100"]
        assert refs("100") == ["A-100", "C_300"]
        assert refs("%") == ["C_300"]
        assert refs("_") == ["C_300"]
        assert refs("") == ["A-100", "B-200", "C_300"]


def test_pagination_returns_total_and_pages(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        c = _clinic(s, "North")
        for i in range(5):
            registry.create_patient(s, c, f"P{i}")
    with sessions.begin() as s:
        page1, total = registry.list_patients(s, c, limit=2, offset=0)
        page3, _ = registry.list_patients(s, c, limit=2, offset=4)
        assert total == 5 and len(page1) == 2 and [r.patient.reference for r in page3] == ["P4"]


def test_archived_patient_disappears_but_is_kept(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        c = _clinic(s, "North")
        p = registry.create_patient(s, c, "P1")
        registry.archive_patient(s, p)
    with sessions.begin() as s:
        assert registry.get_patient(s, c, p.id) is None
        assert registry.list_patients(s, c)[1] == 0
        assert s.execute(text("select count(*) from patients")).scalar() == 1


def test_an_edit_inserts_a_new_version_and_keeps_the_old(sessions: sessionmaker[Session]) -> None:
    first, edited = _case(), _case(course="unknown")
    with sessions.begin() as s:
        p = registry.create_patient(s, _clinic(s, "North"), "P1")
        v1 = registry.add_visit(s, p, first, None)
        visit = registry.get_visit(s, p, v1.visit_id)
        assert visit is not None
        v2 = registry.add_version(s, visit, edited, None)
        assert (v1.version, v2.version) == (1, 2)
        assert v1.case_sha256 != v2.case_sha256 == registry.sha256_of(edited)
    with sessions.begin() as s:
        assert registry.get_version(s, visit, 1).case == first  # type: ignore[union-attr]
        assert registry.get_version(s, visit).case["course"] == "unknown"  # type: ignore[union-attr]
        assert [v.version for v in registry.list_versions(s, visit)] == [1, 2]
        assert registry.list_visits(s, p)[1] == 1


def test_latest_visit_is_by_assessment_date(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        p = registry.create_patient(s, _clinic(s, "North"), "P1")
        registry.add_visit(s, p, _case(), None)  # 2026-01-20
        registry.add_visit(s, p, _case("limb-onset-emg"), None)  # 2026-03-02
        registry.add_visit(s, p, _case("lmn-conduction-block"), None)  # 2026-02-11
    with sessions.begin() as s:
        latest = registry.latest_version(s, p)
        assert latest is not None and latest.assessment_date == "2026-03-02"
        rows, total = registry.list_visits(s, p)
        assert total == 3 and [r.assessment_date for r in rows] == ["2026-03-02", "2026-02-11", "2026-01-20"]
        (row,), _ = registry.list_patients(s, p.clinic_id)
        assert (row.last_visit, row.visits) == ("2026-03-02", 3)


@pytest.mark.parametrize("table", ["visit_versions", "audit_events"])
@pytest.mark.parametrize("statement", ["update {t} set created_at = created_at", "delete from {t}"])
def test_database_refuses_to_change_append_only_rows(
    sessions: sessionmaker[Session], table: str, statement: str
) -> None:
    with sessions.begin() as s:
        p = registry.create_patient(s, _clinic(s, "North"), "P1")
        registry.add_visit(s, p, _case(), None)
        audit.record(s, "patient.read", user_id=None, actor="x", patient_id=p.id)
    sql = statement.format(t=table).replace("created_at = created_at", "id = id")
    with pytest.raises(DBAPIError, match="append-only"), sessions.begin() as s:
        s.execute(text(sql))


def test_assessment_is_computed_once_per_version_and_ruleset(sessions: sessionmaker[Session]) -> None:
    calls: list[str] = []

    def compute(case: dict[str, Any]) -> dict[str, Any]:
        calls.append(case["id"])
        return {"id": case["id"], "ruleset_version": "test"}

    with sessions.begin() as s:
        p = registry.create_patient(s, _clinic(s, "North"), "P1")
        v = registry.add_visit(s, p, _case(), None)
        a1 = registry.assessment_for(s, v, "r1", compute)
        a2 = registry.assessment_for(s, v, "r1", compute)
        a3 = registry.assessment_for(s, v, "r2", compute)
        a4 = registry.assessment_for(s, v, "r2", compute, output_schema="new-shape")
        assert a1.id == a2.id != a3.id != a4.id
        assert calls == ["example-bulbar-onset"] * 3
        assert a1.input_sha256 == registry.sha256_of(_case()) and a1.ruleset_version == "r1"


def test_audit_log_records_actions_without_findings(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        audit.record(s, "patient.read", user_id=None, actor="ana", patient_id="p1", client_addr="10.0.0.1")
        audit.record(s, "login", user_id=None, actor="ana")
        with pytest.raises(ValueError, match="unknown audit action"):
            audit.record(s, "findings.dump", user_id=None, actor="ana")
    with sessions.begin() as s:
        rows, total = audit.events(s)
        assert total == 2 and [r.action for r in rows] == ["login", "patient.read"]
        assert audit.events(s, patient_id="p1")[0][0].client_addr == "10.0.0.1"
