"""Multifocal motor neuropathy (EFNS/PNS 2010): conduction block, anti-GM1, LMN only, CSF protein < 1 g/L."""

from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "multifocal_motor_neuropathy"
LMN_ARM = {"cervical": {"lmn": ["weakness", "fasciculations"]}, "weakness": {"asymmetric": True}}
NO_BLOCK = {"motor_conduction_block": False, "sensory_abnormal": False}


def test_conduction_block_with_lmn_only_is_likely():
    r = mimic(ID, exam=LMN_ARM, ncs={"motor_conduction_block": True})
    assert r["level"] == 2 and r["flag_conduction_block"] and r["flag_lmn_only"]


def test_conduction_block_boundary_absent_on_a_done_ncs_does_not_raise():
    assert mimic(ID, exam=LMN_ARM, ncs=NO_BLOCK)["level"] == 0


def test_lmn_only_asymmetric_weakness_is_considered_until_ncs_is_done():
    r = mimic(ID, exam=LMN_ARM)
    assert r["level"] == 1 and r["flag_asymmetric_weakness"] and r["flag_weakness_without_wasting"]


def test_umn_signs_exclude_likely_but_a_block_is_still_shown():
    exam = {**LMN_ARM, "lumbosacral": {"umn": ["babinski"]}}
    r = mimic(ID, exam=exam, ncs={"motor_conduction_block": True})
    assert r["level"] == 1 and r["against_umn_signs"] and not r["flag_lmn_only"]


def test_anti_gm1_alone_is_considered():
    r = mimic(ID, exam={"lumbosacral": {"umn": ["babinski"]}}, labs=lab(anti_gm1_igm="positive"), ncs=NO_BLOCK)
    assert r["level"] == 1 and r["flag_anti_gm1_igm"]


def test_csf_protein_boundary_one_gram_per_litre():
    assert mimic(ID, exam=LMN_ARM, labs=lab(csf_protein_g_per_l=1.0))["against_csf_protein_1_g_per_l_or_more"]
    assert not mimic(ID, exam=LMN_ARM, labs=lab(csf_protein_g_per_l=0.99))["against_csf_protein_1_g_per_l_or_more"]


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
