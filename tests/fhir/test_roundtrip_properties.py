"""Random valid cases (drawn from the Case model's field types) come back unchanged through FHIR R4 and
through Phenopackets, with nothing reported as unmapped."""

from __future__ import annotations

from case_strategies import cases
from hypothesis import HealthCheck, given, settings

from alsdx.fhir.from_case import case_to_bundle
from alsdx.fhir.phenopacket import case_to_phenopacket_json, phenopacket_json_to_case
from alsdx.fhir.to_case import bundle_to_case

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cases())
def test_fhir_round_trip_keeps_every_field(case):
    result = bundle_to_case(case_to_bundle(case))
    assert result.unmapped == []
    assert result.case == case
    # with the assessment date given, unused resources are screened by code first: none of ours is
    dated = bundle_to_case(case_to_bundle(case), assessment_date=case.assessment_date)
    assert dated.unmapped == [] and dated.case == case


@SETTINGS
@given(cases())
def test_phenopacket_round_trip_keeps_every_field(case):
    result = phenopacket_json_to_case(case_to_phenopacket_json(case))
    assert result.unmapped == []
    assert result.case == case
