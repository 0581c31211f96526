"""Tofersen (Qalsody) for SOD1-ALS: eligibility and the intrathecal dose offsets.

Source: QALSODY (tofersen) injection, US prescribing information (FDA accelerated approval,
25 April 2023; EU marketing authorisation under exceptional circumstances, 31 May 2024). Indication:
ALS in adults with a mutation in the SOD1 gene. 100 mg (15 mL) intrathecally by lumbar puncture;
three loading doses at 14-day intervals, then a maintenance dose every 28 days. Warnings: myelitis and
radiculitis; papilloedema and elevated intracranial pressure; aseptic meningitis. Adverse reactions
> 10 %: pain, fatigue, arthralgia, increased CSF white cells, myalgia.

Rules (kernel): the plan offers or schedules tofersen only with a pathogenic or likely pathogenic SOD1
variant (ACMG class; a VUS or a variant in another gene never qualifies, as in Decision 11). Doses fall
on days 1, 15 and 29 (start + 0, 14, 28 days), then every 28 days (days 57, 85, ...). A tofersen entry
without such a variant gets the warning ``tofersen_without_sod1_plp`` and no calendar.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

SOURCE = "QALSODY (tofersen) US prescribing information (FDA 2023); EU authorisation (EC 2024)"
LOADING_OFFSETS_DAYS = (0, 14, 28)
MAINTENANCE_INTERVAL_DAYS = 28


def dose_offset_days(dose: npt.ArrayLike) -> np.ndarray:
    """Days from the start date to dose number ``dose`` (0-based): 0, 14, 28, then every 28 days."""
    dose = np.asarray(dose, dtype=np.int64)
    n = len(LOADING_OFFSETS_DAYS)
    loading = np.array(LOADING_OFFSETS_DAYS)[np.minimum(dose, n - 1)]
    return np.where(dose < n, loading, LOADING_OFFSETS_DAYS[-1] + MAINTENANCE_INTERVAL_DAYS * (dose - n + 1))


def tofersen_kernel(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    sod1 = cols["sod1_plp"]
    listed = cols["tofersen_listed"]
    return {
        "tofersen_schedule": sod1 & listed,
        "tofersen_to_be_considered": sod1 & ~listed,
        "tofersen_without_sod1_plp": listed & ~sod1,
    }
