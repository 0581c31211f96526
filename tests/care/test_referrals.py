"""Referral triggers (AAN 2009 parts 1-2, EFNS 2012), each threshold from both sides."""

from __future__ import annotations

from typing import Any

import pytest
from care_cases import NORMAL_ITEMS, MakeCase, care_make_case  # noqa: F401  (the make_case fixture)

from alsdx.care import RespiratoryInputs, build_plan
from alsdx.care.models import Referral
from alsdx.model.case import Case


def refs(case: Case, course: Any = None) -> dict[str, Referral]:
    return {r.discipline: r for r in build_plan(case, course).referrals}


def with_items(make_case: MakeCase, **items: int) -> Case:
    return make_case(alsfrs_r=[{"date": "2026-01-20", "gastrostomy": False, "items": {**NORMAL_ITEMS, **items}}])


def test_empty_case_gets_mdt_and_palliative_only(make_case: MakeCase) -> None:
    got = refs(make_case())
    assert list(got) == ["neurology_mdt", "palliative_care"]
    assert "level B" in got["neurology_mdt"].reason
    assert "once the diagnosis of ALS is established" in got["palliative_care"].reason


@pytest.mark.parametrize(("fvc", "fires"), [(80.0, False), (79.9, True)])
def test_pulmonology_below_80_percent(make_case: MakeCase, fvc: float, fires: bool) -> None:
    got = refs(make_case(), RespiratoryInputs(fvc_percent=fvc))
    assert ("pulmonology" in got) is fires
    if fires:
        assert got["pulmonology"].reason == "Latest FVC 79.9 % predicted (< 80 %)"


@pytest.mark.parametrize(("slope", "fires"), [(0.0, False), (-0.1, True)])
def test_pulmonology_falling_slope(make_case: MakeCase, slope: float, fires: bool) -> None:
    got = refs(make_case(), RespiratoryInputs(fvc_percent=90, fvc_slope_per_month=slope))
    assert ("pulmonology" in got) is fires
    if fires:
        assert got["pulmonology"].triggers == ["pulm_fvc_falling"]
        assert "-0.1 % predicted per month" in got["pulmonology"].reason


def test_pulmonology_orthopnea_and_niv(make_case: MakeCase) -> None:
    assert refs(make_case(exam={"orthopnea": True}))["pulmonology"].triggers == ["pulm_orthopnea"]
    got = refs(make_case(), RespiratoryInputs(fvc_percent=45, niv_indicated=True, orthopnea=True))
    assert got["pulmonology"].triggers == ["pulm_fvc_below_80", "pulm_orthopnea", "pulm_niv"]


@pytest.mark.parametrize(("score", "fires"), [(4, False), (3, True)])
def test_alsfrs_respiratory_items(make_case: MakeCase, score: int, fires: bool) -> None:
    for item in ("dyspnea", "orthopnea", "respiratory_insufficiency"):
        assert ("pulmonology" in refs(with_items(make_case, **{item: score}))) is fires


@pytest.mark.parametrize(("fvc", "fires"), [(50.0, False), (49.9, True)])
def test_palliative_respiratory_trigger(make_case: MakeCase, fvc: float, fires: bool) -> None:
    got = refs(make_case(), RespiratoryInputs(fvc_percent=fvc))
    assert ("pal_respiratory" in got["palliative_care"].triggers) is fires


def test_speech_and_language_therapy(make_case: MakeCase) -> None:
    assert "speech_language_therapy" not in refs(with_items(make_case))
    assert refs(with_items(make_case, speech=3))["speech_language_therapy"].reason == "ALSFRS-R speech 3/4"
    assert refs(make_case(exam={"bulbar": {"lmn": ["fasciculations"]}}))["speech_language_therapy"].triggers == [
        "slt_bulbar_signs"
    ]
    got = refs(make_case(exam={"bulbar_symptoms": ["dysphagia"]}))
    assert got["speech_language_therapy"].triggers == ["slt_dysphagia"]
    assert got["nutrition_gastroenterology"].triggers == ["nut_dysphagia"]


def test_nutrition_from_swallowing_item_and_gastrostomy(make_case: MakeCase) -> None:
    assert "nutrition_gastroenterology" in refs(with_items(make_case, swallowing=3))
    case = make_case(alsfrs_r=[{"date": "2026-01-20", "gastrostomy": True, "items": NORMAL_ITEMS}])
    assert refs(case)["nutrition_gastroenterology"].triggers == ["nut_gastrostomy"]


def test_limb_disciplines(make_case: MakeCase) -> None:
    got = refs(make_case(exam={"cervical": {"lmn": ["weakness"]}}))
    assert got["physiotherapy"].triggers == ["pt_limb_signs"]
    assert got["occupational_therapy"].triggers == ["ot_upper_limb"]
    assert "mobility_wheelchair_services" not in got
    legs = refs(make_case(exam={"lumbosacral": {"lmn": ["weakness"]}}))
    assert legs["mobility_wheelchair_services"].triggers == ["mob_leg_weakness"]
    assert "occupational_therapy" not in legs
    walking = refs(with_items(make_case, walking=3))
    assert walking["mobility_wheelchair_services"].triggers == ["mob_alsfrs_walking"]
    assert walking["physiotherapy"].triggers == ["pt_gross_motor"]
    assert refs(with_items(make_case, handwriting=3))["occupational_therapy"].triggers == ["ot_fine_motor"]


@pytest.mark.parametrize(
    ("fields", "triggers"),
    [
        ({"family_history_als": True}, ["gen_family_history"]),
        (
            {"genetics": {"variants": [{"gene": "TARDBP", "classification": "likely_pathogenic"}]}},
            ["gen_plp_variant"],
        ),
        ({"genetics": {"c9orf72_repeat_expansion": True}}, ["gen_c9orf72"]),
        ({"genetics": {"variants": [{"gene": "SOD1", "classification": "vus"}]}}, None),
        ({"genetics": {"c9orf72_repeat_expansion": False}}, None),
    ],
)
def test_genetic_counselling(make_case: MakeCase, fields: dict[str, Any], triggers: list[str] | None) -> None:
    got = refs(make_case(**fields)).get("genetic_counselling")
    assert (got.triggers if got else None) == triggers


def test_variant_genes_named_in_reason(make_case: MakeCase) -> None:
    case = make_case(
        genetics={
            "variants": [
                {"gene": "SOD1", "classification": "pathogenic"},
                {"gene": "FUS", "classification": "likely_pathogenic"},
            ]
        }
    )
    assert refs(case)["genetic_counselling"].reason == "Pathogenic or likely pathogenic variant (SOD1, FUS)"


def test_psychology_for_ftd_or_pba(make_case: MakeCase) -> None:
    assert refs(make_case(frontotemporal_dementia=True))["psychology_cognitive"].triggers == ["psy_ftd"]
    pba = make_case(exam={"bulbar": {"umn": ["pseudobulbar_affect"]}})
    assert refs(pba)["psychology_cognitive"].triggers == ["psy_pba"]
    assert "psychology_cognitive" not in refs(make_case(exam={"bulbar": {"umn": ["jaw_jerk"]}}))
