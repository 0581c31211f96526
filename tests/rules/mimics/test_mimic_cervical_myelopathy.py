"""Cervical myelopathy / foramen-magnum lesion (Turner & Talbot 2013; the seed note, pattern reversed)."""

from mimic_helpers import CLASSIC_ALS, example_case, kernels, mimic

ID = "cervical_myelopathy"
# The bulbar region examined and normal ({}): "no signs above the neck" is a finding (Turner & Talbot 2013).
USUAL = {
    "bulbar": {},
    "cervical": {"lmn": ["atrophy", "hyporeflexia"]},
    "lumbosacral": {"umn": ["babinski", "spasticity"]},
}
SEED = {"bulbar": {}, "cervical": {"umn": ["hoffmann"]}, "lumbosacral": {"lmn": ["atrophy", "weakness"]}}


def test_usual_pattern_lmn_arms_umn_legs_is_considered():
    r = mimic(ID, exam=USUAL)
    assert r["level"] == 1
    assert r["flag_signs_below_foramen_magnum"] and r["flag_lmn_arms_umn_legs"]
    assert not r["flag_umn_arms_lmn_legs"]


def test_seed_pattern_umn_arms_lmn_legs_is_also_flagged():
    r = mimic(ID, exam=SEED)
    assert r["level"] == 1
    assert r["flag_umn_arms_lmn_legs"] and not r["flag_lmn_arms_umn_legs"]


def test_compressive_mri_makes_it_likely():
    assert mimic(ID, exam=USUAL, imaging={"cervical_spine_mri": "compressive_myelopathy"})["level"] == 2
    assert mimic(ID, exam=USUAL, imaging={"cervical_spine_mri": "other_lesion"})["flag_mri_cervical_lesion"]


def test_normal_mri_removes_the_pattern_alone_but_not_clinical_flags():
    assert mimic(ID, exam=USUAL, imaging={"cervical_spine_mri": "normal"})["level"] == 0
    r = mimic(ID, exam={**USUAL, "sphincter_dysfunction": True}, imaging={"cervical_spine_mri": "normal"})
    assert r["level"] == 1 and r["flag_sphincter_dysfunction"] and r["against_mri_normal"]


def test_bulbar_involvement_means_not_confined_below_the_foramen_magnum():
    r = mimic(ID, exam={**USUAL, "bulbar": {"umn": ["jaw_jerk"]}})
    assert r["level"] == 0 and r["against_bulbar_involvement"]


def test_bulbar_not_examined_is_not_spared():
    """Unknown is not absent: with the bulbar region not examined the pattern cannot be settled, so it is not
    raised (examined-normal raises it, above)."""
    limbs = {k: v for k, v in USUAL.items() if k != "bulbar"}
    for exam in (limbs, {**limbs, "bulbar": None}, {**limbs, "bulbar": {"examined": False}}):
        r = mimic(ID, exam=exam)
        assert r["level"] == 0 and not r["flag_signs_below_foramen_magnum"] and not r["flag_lmn_arms_umn_legs"]
        assert not r["against_bulbar_involvement"]


def test_bulbar_emg_alone_does_not_settle_it_but_bulbar_denervation_still_counts():
    limbs = {k: v for k, v in USUAL.items() if k != "bulbar"}
    tongue = {"muscle": "tongue", "side": "left"}
    assert mimic(ID, exam=limbs, emg=[tongue])["level"] == 0
    r = mimic(ID, exam=USUAL, emg=[{**tongue, "fibrillations_psw": True, "chronic_neurogenic": True}])
    assert r["level"] == 0 and r["against_bulbar_involvement"]


def test_not_examined_bulbar_still_raises_on_clinical_flags():
    limbs = {k: v for k, v in USUAL.items() if k != "bulbar"}
    r = mimic(ID, exam={**limbs, "sphincter_dysfunction": True})
    assert r["level"] == 1 and r["flag_sphincter_dysfunction"] and not r["flag_signs_below_foramen_magnum"]


def test_pain_with_motor_signs_raises_even_with_bulbar_signs():
    r = mimic(ID, exam={**USUAL, "bulbar": {"lmn": ["fasciculations"]}, "neck_pain_or_radicular_pain": True})
    assert r["level"] == 1 and r["flag_neck_or_radicular_pain"]


def test_pain_without_motor_signs_does_not_raise():
    assert mimic(ID, exam={"neck_pain_or_radicular_pain": True})["level"] == 0


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0


def test_example_case_is_likely():
    assert kernels([example_case("mimic-cervical-myelopathy")]).mimics[ID]["level"][0] == 2
