"""Post-polio syndrome: prior paralytic polio with new LMN weakness, no UMN signs."""

ID = "post_polio"


def test_prior_polio_with_lmn_weakness_is_likely(mimic):
    r = mimic(
        ID, exam={"lumbosacral": {"lmn": ["weakness", "atrophy"]}}, history={"prior_paralytic_polio": True}
    )
    assert r["level"] == 2


def test_umn_signs_lower_it_to_consider(mimic):
    exam = {"lumbosacral": {"lmn": ["atrophy"], "umn": ["babinski"]}}
    r = mimic(ID, exam=exam, history={"prior_paralytic_polio": True})
    assert r["level"] == 1 and r["against_umn_signs"]


def test_history_without_motor_signs_does_not_raise(mimic):
    assert mimic(ID, history={"prior_paralytic_polio": True})["level"] == 0


def test_not_raised_by_classic_als(kernels, classic_als):
    assert kernels([classic_als]).mimics[ID]["level"][0] == 0
