"""Benign fasciculation syndrome: fasciculations without weakness, wasting or UMN signs (Turner 2013)."""

from mimic_helpers import CLASSIC_ALS, kernels, mimic

ID = "benign_fasciculation_syndrome"
FASC = {"cervical": {"lmn": ["fasciculations"]}, "lumbosacral": {"lmn": ["fasciculations"]}}
QUIET_EMG = [{"muscle": "first_dorsal_interosseous", "side": "left", "fasciculation_potentials": True}]


def test_fasciculations_only_are_considered():
    assert mimic(ID, exam=FASC)["level"] == 1


def test_emg_without_denervation_makes_it_likely():
    r = mimic(ID, exam=FASC, emg=QUIET_EMG)
    assert r["level"] == 2 and r["flag_emg_without_denervation"]


def test_chronic_neurogenic_change_argues_against():
    emg = [{**QUIET_EMG[0], "chronic_neurogenic": True}]
    r = mimic(ID, exam=FASC, emg=emg)
    assert r["level"] == 1 and r["against_emg_denervation"]


def test_any_weakness_wasting_or_umn_sign_removes_it():
    assert mimic(ID, exam={**FASC, "cervical": {"lmn": ["fasciculations", "weakness"]}})["level"] == 0
    assert mimic(ID, exam={**FASC, "lumbosacral": {"lmn": ["fasciculations", "atrophy"]}})["level"] == 0
    assert mimic(ID, exam={**FASC, "bulbar": {"umn": ["jaw_jerk"]}})["level"] == 0


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
