"""Primary lateral sclerosis as a differential of ALS.

Sources: Turner MR, Barohn RJ, Corcia P, et al. Primary lateral sclerosis: consensus diagnostic criteria. J
Neurol Neurosurg Psychiatry 2020;91:373-377 (the PLS kernel, rules/criteria/pls.py, Decision 15). Turner MR,
Talbot K. Pract Neurol 2013;13:153-164 (work-up: serial EMG, MRI brain and spine; exclude HSP, PPMS,
B12/copper deficiency, HTLV-1, adrenomyeloneuropathy by VLCFA). Seed note: "UMN-only disease, much less common
with much slower progression. Many transition to ALS in the first 1-2 years".

Rule (reads the PLS kernel's outputs, never re-derives them): consider when the UMN-only pattern of the
consensus criteria holds (UMN signs in >= 2 of bulbar, upper-limb and lower-limb regions, no active LMN
degeneration, no sensory loss) before 2 years; likely when the criteria give probable or definite PLS. The
pattern needs each of the three regions examined or studied by EMG (a region not looked at cannot count as
free of LMN degeneration; rules/criteria/pls.py), so an unexamined region leaves the mimic unraised."""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import Cols, Feature, Mimic, level


def primary_lateral_sclerosis(x: Cols) -> dict[str, np.ndarray]:
    pattern, category = x["pls_pattern"], x["pls_category"]
    return {
        "level": level(pattern, category >= 1),
        "flag_umn_only_two_regions": pattern,
        "flag_two_years_without_lmn": pattern & x["pls_reached_2y"],
        "flag_four_years_without_lmn": pattern & x["pls_reached_4y"],
        "against_under_two_years": pattern & ~x["pls_reached_2y"],
    }


MIMIC = Mimic(
    id="primary_lateral_sclerosis",
    name="Primary lateral sclerosis",
    kernel=primary_lateral_sclerosis,
    flags={
        "umn_only_two_regions": Feature(
            "UMN signs in two or more of the bulbar, upper-limb and lower-limb regions without active LMN "
            "degeneration (no atrophy, no region meeting the Awaji EMG rule) or sensory loss; each of the three "
            "regions examined or studied by EMG (not raised while one was not)",
            (
                "exam.bulbar.umn",
                "exam.cervical.umn",
                "exam.lumbosacral.umn",
                "exam",
                "emg",
                "exam.sensory_loss",
            ),
        ),
        "two_years_without_lmn": Feature(
            "two years or more from symptom onset (probable PLS, Turner 2020)",
            ("symptom_onset", "assessment_date"),
        ),
        "four_years_without_lmn": Feature(
            "four years or more from symptom onset (definite PLS, Turner 2020)",
            ("symptom_onset", "assessment_date"),
        ),
    },
    against={
        "under_two_years": Feature(
            "less than two years from onset: UMN-predominant ALS is not excluded (conversion usually occurs "
            "within the first 4 years)",
            ("symptom_onset", "assessment_date"),
        ),
    },
    workup=("emg", "brain_mri", "cervical_spine_mri", "b12_folate", "copper", "htlv1_serology", "vlcfa"),
    treatable=False,
    source=(
        "Turner MR, et al. J Neurol Neurosurg Psychiatry 2020;91:373-377; Turner MR, Talbot K. Pract Neurol "
        "2013;13:153-164"
    ),
)
