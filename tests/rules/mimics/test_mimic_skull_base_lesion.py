"""Skull-base lesion: asymmetric lower cranial nerve signs; isolated dysphagia; bulbar signs with normal limb
EMG."""

from mimic_helpers import CLASSIC_ALS, kernels, mimic

ID = "skull_base_lesion"
LIMB_EMG = [
    {"muscle": "first_dorsal_interosseous", "side": "left"},
    {"muscle": "tibialis_anterior", "side": "left"},
]


def test_asymmetric_lower_cranial_nerve_signs_are_considered():
    assert mimic(ID, exam={"asymmetric_lower_cranial_nerve_signs": True})["level"] == 1


def test_isolated_dysphagia_without_dysarthria_is_considered():
    assert mimic(ID, exam={"bulbar_symptoms": ["dysphagia"]})["level"] == 1
    assert mimic(ID, exam={"bulbar_symptoms": ["dysphagia", "dysarthria"]})["level"] == 0


def test_bulbar_signs_with_normal_limb_emg():
    r = mimic(ID, exam={"bulbar": {"lmn": ["atrophy"]}}, emg=LIMB_EMG)
    assert r["level"] == 1 and r["flag_bulbar_signs_with_normal_limb_emg"]
    assert mimic(ID, exam={"bulbar": {"lmn": ["atrophy"]}})["level"] == 0


def test_abnormal_brain_mri_makes_it_likely_and_normal_mri_removes_the_soft_patterns():
    exam = {"bulbar_symptoms": ["dysphagia"]}
    assert mimic(ID, exam=exam, imaging={"brain_mri": "abnormal"})["level"] == 2
    assert mimic(ID, exam=exam, imaging={"brain_mri": "normal"})["level"] == 0


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
