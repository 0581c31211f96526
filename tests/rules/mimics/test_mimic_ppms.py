"""PPMS: UMN syndrome with sensory or sphincter features or abnormal brain MRI; oligoclonal bands."""

from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "ppms"
UMN = {"lumbosacral": {"umn": ["babinski", "spasticity"]}}


def test_umn_only_with_sensory_loss_is_considered():
    r = mimic(ID, exam={**UMN, "sensory_loss": True})
    assert r["level"] == 1 and r["flag_sensory_loss"]
    assert mimic(ID, exam=UMN)["level"] == 0


def test_abnormal_brain_mri_is_considered():
    assert mimic(ID, exam=UMN, imaging={"brain_mri": "abnormal"})["level"] == 1


def test_oligoclonal_bands_make_it_likely():
    assert mimic(ID, exam=UMN, labs=lab(csf_oligoclonal_bands="positive"))["level"] == 2


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
