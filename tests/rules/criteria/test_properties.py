"""Properties of the criteria kernels (hypothesis): monotonicity, batch independence, round trips."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alsdx.columns.from_case import case_columns
from alsdx.engine.assess import assess, assess_many
from alsdx.engine.pipeline import run_kernels
from alsdx.model.case import Case
from alsdx.model.muscles import muscle_table
from alsdx.rules.criteria import CRITERIA_SETS
from alsdx.rules.criteria.interpretation import Interpretation

REGION_UMN = {
    "bulbar": ["hyperreflexia", "jaw_jerk", "snout", "pseudobulbar_affect", "spasticity"],
    "cervical": ["hyperreflexia", "hoffmann", "spasticity", "clonus"],
    "thoracic": ["hyperreflexia", "spasticity"],
    "lumbosacral": ["babinski", "hyperreflexia", "crossed_adductor", "spasticity"],
}
LMN = ["weakness", "atrophy", "fasciculations", "hyporeflexia", "flaccidity"]
MUSCLES = sorted(m for m, v in muscle_table().items() if v.roots)

exam_st = st.fixed_dictionaries(
    {
        r: st.fixed_dictionaries(
            {
                "umn": st.lists(st.sampled_from(u), unique=True, max_size=3),
                "lmn": st.lists(st.sampled_from(LMN), unique=True, max_size=3),
            }
        )
        for r, u in REGION_UMN.items()
    }
)
emg_st = st.lists(
    st.fixed_dictionaries(
        {
            "muscle": st.sampled_from(MUSCLES),
            "side": st.just("left"),
            "fibrillations_psw": st.booleans(),
            "fasciculation_potentials": st.booleans(),
            "chronic_neurogenic": st.booleans(),
        }
    ),
    max_size=6,
)
doc_st = st.fixed_dictionaries(
    {
        "exam": exam_st,
        "emg": emg_st,
        "course": st.sampled_from(["progressive", "unknown", "not_progressive"]),
        "family_history_als": st.booleans(),
        "normal_motor_function_before_onset": st.booleans(),
        "genetics": st.fixed_dictionaries(
            {
                "variants": st.lists(
                    st.fixed_dictionaries(
                        {
                            "gene": st.sampled_from(["SOD1", "NEK1", "FUS", "XYZ1"]),
                            "classification": st.sampled_from(["pathogenic", "vus"]),
                        }
                    ),
                    max_size=2,
                )
            }
        ),
    }
)
interp_st = st.builds(Interpretation, st.booleans(), st.booleans(), st.booleans())


def to_case(doc: dict[str, Any], case_id: str = "p") -> Case:
    return Case.model_validate({"id": case_id, "symptom_onset": "2025-01-01", "assessment_date": "2026-01-01", **doc})


def ranks(cases: list[Case], interp: Interpretation) -> dict[str, np.ndarray]:
    res = run_kernels(case_columns(cases), interp).criteria
    return {name: res[name]["category"] for name in CRITERIA_SETS}


def add_evidence(doc: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """The same document with one more sign, EMG finding or muscle (never a removal)."""
    new = {
        **doc,
        "exam": {r: {k: list(v) for k, v in s.items()} for r, s in doc["exam"].items()},
        "emg": [dict(m) for m in doc["emg"]],
    }
    kind = data.draw(st.sampled_from(["umn", "lmn", "emg_flag", "muscle"]))
    region = data.draw(st.sampled_from(list(REGION_UMN)))
    if kind == "umn":
        sign = data.draw(st.sampled_from(REGION_UMN[region]))
        if sign not in new["exam"][region]["umn"]:
            new["exam"][region]["umn"].append(sign)
    elif kind == "lmn":
        sign = data.draw(st.sampled_from(LMN))
        if sign not in new["exam"][region]["lmn"]:
            new["exam"][region]["lmn"].append(sign)
    elif kind == "emg_flag" and new["emg"]:
        m = data.draw(st.sampled_from(new["emg"]))
        m[data.draw(st.sampled_from(["fibrillations_psw", "fasciculation_potentials", "chronic_neurogenic"]))] = True
    else:
        new["emg"].append(data.draw(emg_st.filter(bool))[0])
    return new


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=doc_st, interp=interp_st, data=st.data())
def test_adding_evidence_never_lowers_a_category(doc: dict, interp: Interpretation, data: st.DataObject) -> None:
    before = ranks([to_case(doc)], interp)
    after = ranks([to_case(add_evidence(doc, data))], interp)
    for name in CRITERIA_SETS:
        assert after[name][0] >= before[name][0], name


@settings(max_examples=60, deadline=None)
@given(docs=st.lists(doc_st, min_size=1, max_size=8))
def test_batch_of_n_equals_n_batches_of_one(docs: list[dict]) -> None:
    cases = [to_case(d, f"p{i}") for i, d in enumerate(docs)]
    together = [a.model_dump() for a in assess_many(cases)]
    alone = [assess(c).model_dump() for c in cases]
    assert together == alone


@settings(max_examples=60, deadline=None)
@given(doc=doc_st)
def test_case_and_assessment_json_round_trip(doc: dict) -> None:
    case = to_case(doc)
    assert Case.model_validate_json(case.model_dump_json()) == case
    result = assess(case)
    assert type(result).model_validate_json(result.model_dump_json()) == result
