"""Neuralgic amyotrophy (Parsonage-Turner syndrome).

Source: Turner MR, Talbot K. Pract Neurol 2013;13:153-164, Table 2 (severe pain at onset, then weakness and
wasting of shoulder-girdle/arm muscles; progression arrests).

Rule: consider - severe pain at onset with LMN involvement or weakness in the arms. likely - that, without UMN
signs, in a course recorded as not progressive (arrest)."""

from __future__ import annotations

import numpy as np

from alsdx.columns.codes import NOT_PROGRESSIVE
from alsdx.rules.mimics.common import CERVICAL, Cols, Feature, Mimic, any_region, level, lower_motor


def neuralgic_amyotrophy(x: Cols) -> dict[str, np.ndarray]:
    pain = x["exam_severe_pain_at_onset"]
    arms = lower_motor(x)[:, CERVICAL]
    arrested = x["course"] == NOT_PROGRESSIVE
    umn = any_region(x["umn"])
    consider = pain & arms
    return {
        "level": level(consider, consider & arrested & ~umn),
        "flag_severe_pain_at_onset": consider,
        "flag_course_arrested": arrested & consider,
        "against_umn_signs": umn,
    }


MIMIC = Mimic(
    id="neuralgic_amyotrophy",
    name="Neuralgic amyotrophy",
    kernel=neuralgic_amyotrophy,
    flags={
        "severe_pain_at_onset": Feature(
            "severe pain at onset with arm LMN involvement or weakness",
            ("exam.severe_pain_at_onset", "exam.cervical.lmn", "emg"),
        ),
        "course_arrested": Feature("course not progressive (arrest)", ("course",)),
    },
    against={"umn_signs": Feature("UMN signs", ("exam",))},
    workup=("ncs", "emg", "brachial_plexus_mri"),
    treatable=False,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (Table 2)",
)
