"""Post-polio syndrome: prior paralytic polio with new LMN weakness, no UMN signs."""

from mimic_helpers import CLASSIC_ALS, kernels, mimic

ID = "post_polio"


def test_prior_polio_with_lmn_weakness_is_likely():
    r = mimic(ID, exam={"lumbosacral": {"lmn": ["weakness", "atrophy"]}}, history={"prior_paralytic_polio": True})
    assert r["level"] == 2


def test_umn_signs_lower_it_to_consider():
    exam = {"lumbosacral": {"lmn": ["atrophy"], "umn": ["babinski"]}}
    r = mimic(ID, exam=exam, history={"prior_paralytic_polio": True})
    assert r["level"] == 1 and r["against_umn_signs"]


def test_history_without_motor_signs_does_not_raise():
    assert mimic(ID, history={"prior_paralytic_polio": True})["level"] == 0


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
