"""The registry: metadata matches each kernel's outputs; sources are named; classic ALS raises none."""

import inspect
import re

import numpy as np
import pytest
from mimic_helpers import CLASSIC_ALS, example_case, kernels

from alsdx.rules.mimics import MIMIC_BY_ID, MIMICS
from alsdx.rules.mimics.workup import ITEM_BY_ID

SEED_NOTE_MIMICS = (
    # The mimics the clinician's seed note names; each must stay in the registry under its id.
    "cervical_myelopathy",
    "primary_lateral_sclerosis",
    "multifocal_motor_neuropathy",
    "kennedy_disease",
    "inclusion_body_myositis",
    "polymyositis_dermatomyositis",
)


def test_mimic_ids_are_unique() -> None:
    ids = [m.id for m in MIMICS]
    assert len(ids) == len(set(ids)) == len(MIMIC_BY_ID)


@pytest.mark.parametrize("mimic_id", SEED_NOTE_MIMICS)
def test_each_seed_note_mimic_is_registered(mimic_id: str) -> None:
    assert [m.id for m in MIMICS].count(mimic_id) == 1 and MIMIC_BY_ID[mimic_id].id == mimic_id


@pytest.mark.parametrize("mimic", MIMICS, ids=lambda m: m.id)
def test_outputs_match_metadata(mimic):
    out = kernels([CLASSIC_ALS]).mimics[mimic.id]
    expected = {"level"} | {f"flag_{k}" for k in mimic.flags} | {f"against_{k}" for k in mimic.against}
    assert set(out) == expected
    assert out["level"].dtype == np.int8
    assert all(v.dtype == bool for k, v in out.items() if k != "level")


@pytest.mark.parametrize("mimic", MIMICS, ids=lambda m: m.id)
def test_source_docstring_and_workup_ids(mimic):
    module = inspect.getmodule(mimic.kernel)
    assert module is not None and module.__doc__
    assert re.search(r"(19|20)\d\d", module.__doc__), "the module docstring names a dated source"
    assert re.search(r"(19|20)\d\d", mimic.source)
    assert mimic.workup and all(w in ITEM_BY_ID for w in mimic.workup)
    assert all(f.fields for f in (*mimic.flags.values(), *mimic.against.values()))


@pytest.mark.parametrize("mimic", MIMICS, ids=lambda m: m.id)
def test_classic_als_raises_no_mimic(mimic):
    assert kernels([CLASSIC_ALS]).mimics[mimic.id]["level"][0] == 0


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ("mimic-cervical-myelopathy", {"cervical_myelopathy": 2}),
        ("mimic-pls", {"primary_lateral_sclerosis": 2}),
        ("lmn-conduction-block", {"multifocal_motor_neuropathy": 2}),
        ("mimic-kennedy", {"kennedy_disease": 2, "polymyositis_dermatomyositis": 1}),
        ("mimic-inclusion-body-myositis", {"inclusion_body_myositis": 2}),
        ("mimic-dermatomyositis", {"polymyositis_dermatomyositis": 2, "paraneoplastic_paraproteinaemic": 1}),
    ],
)
def test_seed_mimic_examples_raise_exactly_their_mimics(example, expected):
    out = kernels([example_case(example)]).mimics
    raised = {k: int(v["level"][0]) for k, v in out.items() if v["level"][0] > 0}
    assert raised == expected
    assert all(k in MIMIC_BY_ID for k in raised)
