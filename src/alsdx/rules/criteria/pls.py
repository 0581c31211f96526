"""Primary lateral sclerosis: consensus diagnostic criteria (docs/ruleset.md Decision 15).

Source: Turner MR, Barohn RJ, Corcia P, et al. Primary lateral sclerosis: consensus diagnostic criteria. J
Neurol Neurosurg Psychiatry 2020;91:373-377 (doi:10.1136/jnnp-2019-322541). Mandatory: age >= 25 years;
progressive UMN dysfunction; UMN signs in >= 2 of 3 regions (lower limb, upper limb, bulbar); absence of
sensory symptoms, of active LMN degeneration and of an alternative diagnosis. Probable PLS: absence of
significant active LMN degeneration 2-4 years from symptom onset; definite PLS: >= 4 years.

alsdx readings (Decision 15): "significant active LMN degeneration" = some region meets the Awaji EMG rule or
has clinical atrophy (isolated clinical fasciculations do not exclude); duration in calendar years, counted to
the 2nd and 4th anniversaries of symptom_onset (on the anniversary itself the longer duration holds; a 29
February onset has its anniversaries on 28 February of common years); < 2 years -> not met, because
UMN-predominant ALS is not excluded; course unknown -> computed as if progressive and flagged (as Decision
13); age at onset unknown -> computed as if >= 25 and flagged ``age_not_documented``.

Unknown is not absent (issue 14): "no active LMN degeneration" is a claim about each of Turner 2020's three
regions, so each must have been looked at for it - examined clinically (atrophy) or studied by needle EMG (the
Awaji rule). A bulbar, upper-limb or lower-limb region neither examined nor studied cannot count as spared:
the pattern is then unsettled (``lmn_not_assessed``), PLS is not met and the explanation names the regions
to examine. Thoracic findings still count when recorded, but an unexamined thoracic region does not unsettle
the pattern (Turner 2020 defines PLS over the three regions only)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.columns.codes import REGION_EMG_STUDIED, REGION_EXAMINED
from alsdx.model.vocab import REGIONS
from alsdx.rules.criteria import decisions as d

CATEGORIES = ("not_met", "probable", "definite")
PLS_REGIONS = (d.BULBAR, d.CERVICAL, d.LUMBOSACRAL)
"""Turner 2020 counts bulbar, upper-limb and lower-limb regions; thoracic UMN signs do not count."""
MIN_AGE_AT_ONSET = 25.0


def pls(x: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Columns + region evidence -> PLS category rank (index into CATEGORIES) and the conditions behind it."""
    umn = x["umn"]
    umn_regions = sum((umn[:, r].astype(np.int8) for r in PLS_REGIONS), np.zeros(umn.shape[0], dtype=np.int8))
    lost = x["lmn_emg_awaji"] | x["atrophy"]
    active_lmn = lost[:, 0] | lost[:, 1] | lost[:, 2] | lost[:, 3]
    looked_at = x[REGION_EXAMINED] | x[REGION_EMG_STUDIED]
    unassessed = {f"lmn_not_assessed_{REGIONS[r]}": ~looked_at[:, r] & ~active_lmn for r in PLS_REGIONS}
    lmn_not_assessed = np.logical_or.reduce(list(unassessed.values()))
    age = x["age_at_onset_years"]
    age_unknown = np.isnan(age)
    prog = d.progression(x["course"])
    pattern = (umn_regions >= 2) & ~active_lmn & ~lmn_not_assessed & ~x["exam_sensory_loss"] & prog["allowed"]
    core = pattern & (age_unknown | (age >= MIN_AGE_AT_ONSET))
    two = x["assessment_day"] >= x["onset_plus_2y_day"]
    four = x["assessment_day"] >= x["onset_plus_4y_day"]
    category = np.where(core & four, 2, np.where(core & two, 1, 0)).astype(np.int8)
    return {
        "category": category,
        "umn_region_count": umn_regions.astype(np.int8),
        "active_lmn": active_lmn,
        "lmn_not_assessed": lmn_not_assessed,
        **unassessed,
        "sensory_loss": x["exam_sensory_loss"],
        "age_under_25": ~age_unknown & (age < MIN_AGE_AT_ONSET),
        "age_not_documented": age_unknown,
        "progression_absent": ~prog["allowed"],
        "progression_not_documented": prog["not_documented"],
        "pattern": core,
        "reached_2y": two,
        "reached_4y": four,
        "re_examine_2y": core & ~two,
        "re_examine_4y": core & ~four,
        "umn_predominant_als_not_excluded": core & ~four,
    }
