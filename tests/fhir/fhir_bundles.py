"""Hand-made FHIR R4 input for the import tests: a searchset Bundle of resources, and the reasons the importer
gave for what it did not use (a uniquely named helper module, not a conftest)."""

from __future__ import annotations

from typing import Any

from alsdx.engine.assess import assess
from alsdx.fhir.from_case import case_to_bundle
from alsdx.fhir.to_case import bundle_to_case
from alsdx.model.case import Case


def searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """The resources as an EHR's searchset Bundle, each with a server URL as its fullUrl."""
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"fullUrl": f"https://ehr.example.org/fhir/{r['resourceType']}/{r['id']}", "resource": r} for r in resources
        ],
    }


def reasons(result: Any) -> dict[str, str]:
    """Unmapped resource -> the importer's reason."""
    return {u.resource: u.reason for u in result.unmapped}


def assert_fhir_round_trip(case: Case) -> None:
    """Export then import gives the same case and assessment, with nothing unmapped, whether or not the
    assessment date is given (given, unused resources are screened by code first: none of ours is)."""
    result = bundle_to_case(case_to_bundle(case))
    assert result.unmapped == []
    assert result.case == case
    assert assess(result.case).model_dump(mode="json") == assess(case).model_dump(mode="json")
    dated = bundle_to_case(case_to_bundle(case), assessment_date=case.assessment_date)
    assert dated.unmapped == [] and dated.case == case
