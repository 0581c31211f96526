"""The interpretation decisions alsdx makes where the published criteria are ambiguous.

Each function here is one numbered decision of docs/ruleset.md ("Decisions alsdx makes where the
published text is ambiguous"); the criteria kernels compose them and nothing else re-implements them.
Region evidence arrives as (n, 4) boolean arrays (one column per region, rostral to caudal: bulbar,
cervical, thoracic, lumbosacral; rank = column index); the category decisions take it folded into region
masks (uint8, bit r = region r, see ``region_mask``), on which counts and rostral comparisons are table
look-ups.

Sources: Brooks BR. El Escorial World Federation of Neurology criteria for the diagnosis of ALS.
J Neurol Sci 1994;124(Suppl):96-107. Brooks BR, Miller RG, Swash M, Munsat TL. El Escorial
revisited: revised criteria for the diagnosis of ALS. ALS Other Motor Neuron Disord 2000;1:293-299.
de Carvalho M, et al. Electrodiagnostic criteria for diagnosis of ALS. Clin Neurophysiol
2008;119:497-503. Shefner JM, et al. A proposal for new diagnostic criteria for ALS. Clin
Neurophysiol 2020;131:1975-1978.
"""

from __future__ import annotations

import numpy as np

from alsdx.columns.codes import COURSE_UNKNOWN, NOT_PROGRESSIVE, ROOT_BIT

BULBAR, CERVICAL, THORACIC, LUMBOSACRAL = 0, 1, 2, 3
N_REGIONS = 4

T6_TO_T12: int = sum(ROOT_BIT[f"T{i}"] for i in range(6, 13))

# Region-axis reductions. An (n, 4) boolean array is read as one little-endian uint32 per patient (byte r =
# region r), folded into a 4-bit mask, and answered by 16-entry lookup tables: one vector pass per question
# instead of a slow length-4 reduction along axis 1.
_COUNT = np.array([bin(m).count("1") for m in range(16)], dtype=np.int8)
_FIRST = np.array([(m & -m).bit_length() - 1 if m else N_REGIONS for m in range(16)], dtype=np.int8)
_LAST = np.array([m.bit_length() - 1 if m else -1 for m in range(16)], dtype=np.int8)


def region_mask(involved: np.ndarray) -> np.ndarray:
    """(n, 4) bool -> (n,) uint8 with bit r set when region r is involved."""
    if involved.shape[0] < 512:  # packbits has the least call overhead; the word view is faster in bulk
        return np.packbits(involved, axis=1, bitorder="little").ravel()
    words = np.ascontiguousarray(involved, dtype=bool).view(np.dtype("<u4")).ravel()
    return ((words & 1) | ((words >> 7) & 2) | ((words >> 14) & 4) | ((words >> 21) & 8)).astype(np.uint8)


def n_regions(mask: np.ndarray) -> np.ndarray:
    """Number of regions set in each region mask."""
    return _COUNT[mask]


SPINAL = np.uint8(0b1110)


# Decision 1 - EMG evidence of LMN involvement in one muscle.
def emg_muscle_reec(fib: np.ndarray, fasc: np.ndarray, chronic: np.ndarray) -> np.ndarray:
    """rEEC: fibrillations/positive sharp waves AND chronic neurogenic change; fasciculation
    potentials never count (Brooks 2000)."""
    return fib & chronic


def emg_muscle_awaji(fib: np.ndarray, fasc: np.ndarray, chronic: np.ndarray) -> np.ndarray:
    """Awaji and Gold Coast: chronic neurogenic change AND (fibrillations/PSW OR fasciculation
    potentials) (de Carvalho 2008; Shefner 2020)."""
    return chronic & (fib | fasc)


# Decision 2 (with Decision 20) - EMG evidence of LMN involvement in a region.
def emg_region(
    qualifies: np.ndarray,
    patient: np.ndarray,
    region: np.ndarray,
    nerve: np.ndarray,
    roots: np.ndarray,
    n: int,
) -> np.ndarray:
    """(n, 4) region involvement from qualifying muscles.

    bulbar: >= 1 muscle; thoracic: >= 1 muscle with a root in T6-T12 (paraspinal at or below T6, or
    abdominal); cervical and lumbosacral: >= 2 muscles that differ in peripheral nerve AND whose root
    sets are not identical. A pair differing in both exists exactly when the qualifying muscles carry
    >= 2 distinct nerves and >= 2 distinct root sets (if every pair shared a nerve or a root set, all
    muscles would share one nerve or one root set); a patient's muscles, adjacent in the side table, hold
    two distinct values exactly when two neighbours differ.
    """
    # Selections by index (np.flatnonzero), not by boolean mask: a mask that is true in a third of the rows
    # at random is 6x slower to apply (branch mispredictions; numpy 2.4).
    out = np.zeros((n, N_REGIONS), dtype=bool)
    keep = np.flatnonzero(qualifies)  # the side table is sorted by patient (alsdx.columns contract)
    patient, region, nerve, roots = patient[keep], region[keep], nerve[keep], roots[keep]
    out[patient[np.flatnonzero(region == BULBAR)], BULBAR] = True
    out[patient[np.flatnonzero((region == THORACIC) & ((roots & T6_TO_T12) != 0))], THORACIC] = True
    for limb in (CERVICAL, LUMBOSACRAL):
        m = np.flatnonzero(region == limb)
        if m.size < 2:
            continue
        p = patient[m]
        same_patient = p[1:] == p[:-1]
        out[:, limb] = _two_distinct(p, same_patient, nerve[m], n) & _two_distinct(p, same_patient, roots[m], n)
    return out


def _two_distinct(patient: np.ndarray, same_patient: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """(n,) patients whose rows (adjacent, ``same_patient`` marking neighbours of one patient) hold two
    distinct values."""
    out = np.zeros(n, dtype=bool)
    out[patient[1:][np.flatnonzero(same_patient & (values[1:] != values[:-1]))]] = True
    return out


# Decision 3 - clinical LMN involvement of a region.
def clinical_lmn_el_escorial(
    weakness: np.ndarray,
    atrophy: np.ndarray,
    fasciculations: np.ndarray,
    hyporeflexia: np.ndarray,
    flaccidity: np.ndarray,
    weakness_counts: bool | np.ndarray,
) -> np.ndarray:
    """El Escorial family: atrophy, fasciculations, hyporeflexia or flaccidity. Weakness alone does not
    establish LMN involvement (UMN lesions and myopathies weaken too) unless the alternative reading
    ``weakness_counts_as_lmn`` is chosen."""
    lmn = atrophy | fasciculations | hyporeflexia | flaccidity
    return lmn | (weakness & weakness_counts)


def clinical_lmn_gold_coast(weakness: np.ndarray, atrophy: np.ndarray) -> np.ndarray:
    """Gold Coast: clinical LMN dysfunction is weakness AND wasting; fasciculations alone are not."""
    return weakness & atrophy


# Decision 4 - rostral relations between UMN and LMN regions.
def umn_rostral_to_lmn(umn: np.ndarray, lmn: np.ndarray) -> np.ndarray:
    """Exists a UMN region u and an LMN region l with rank(u) < rank(l) (same region alone does not count).
    Masks: the most rostral UMN region lies above the most caudal LMN region."""
    return _FIRST[umn] < _LAST[lmn]


def lmn_rostral_to_umn(umn: np.ndarray, lmn: np.ndarray) -> np.ndarray:
    """Exists an LMN region l and a UMN region u with rank(l) < rank(u)."""
    return _FIRST[lmn] < _LAST[umn]


# Decision 5 - definite.
def definite(umn: np.ndarray, lmn: np.ndarray, count_reading: bool | np.ndarray) -> np.ndarray:
    """>= 3 regions each with UMN and LMN signs (bulbar + 2 spinal, or 3 spinal). Alternative count
    reading: bulbar UMN+LMN with UMN in >= 2 and LMN in >= 2 spinal regions, or UMN and LMN each in
    all 3 spinal regions."""
    default = _COUNT[umn & lmn] >= 3
    if not np.any(count_reading):
        return default
    spinal_umn, spinal_lmn = _COUNT[umn & SPINAL], _COUNT[lmn & SPINAL]
    bulbar_both = (umn & lmn & 1) != 0
    count = (bulbar_both & (spinal_umn >= 2) & (spinal_lmn >= 2)) | ((spinal_umn == 3) & (spinal_lmn == 3))
    return np.where(count_reading, count, default)


# Decision 6 - probable.
def probable(umn: np.ndarray, lmn: np.ndarray, any_region: bool | np.ndarray) -> np.ndarray:
    """UMN in >= 2 regions AND LMN in >= 2 regions AND some UMN rostral to LMN. Alternative
    (any-region reading): signs in >= 2 regions and some UMN rostral to LMN."""
    rostral = umn_rostral_to_lmn(umn, lmn)
    default = (_COUNT[umn] >= 2) & (_COUNT[lmn] >= 2) & rostral
    if not np.any(any_region):
        return default
    return np.where(any_region, rostral & (_COUNT[umn | lmn] >= 2), default)


# Decision 7 - rEEC clinically probable, laboratory-supported.
def probable_laboratory_supported(umn: np.ndarray, emg_reec: np.ndarray) -> np.ndarray:
    """UMN signs in >= 1 region and LMN signs by the rEEC EMG rule in >= 2 regions (the caller applies
    'not definite/probable')."""
    return (umn != 0) & (_COUNT[emg_reec] >= 2)


# Decision 8 - possible; its clauses are returned separately so the explanation can name the one that held.
def possible_clauses(umn: np.ndarray, lmn: np.ndarray) -> dict[str, np.ndarray]:
    """UMN and LMN in the same region; or UMN in >= 2 regions ('UMN signs alone' read descriptively so
    that added evidence never lowers a category); or LMN rostral to UMN."""
    return {
        "same_region": (umn & lmn) != 0,
        "umn_two_regions": _COUNT[umn] >= 2,
        "lmn_rostral": lmn_rostral_to_umn(umn, lmn),
    }


# Decision 9 - El Escorial 1994 suspected.
def suspected(lmn: np.ndarray) -> np.ndarray:
    """LMN signs in >= 2 regions ('LMN signs only' read descriptively)."""
    return _COUNT[lmn] >= 2


# Decision 11 - rEEC clinically definite familial, laboratory-supported.
def familial_laboratory_supported(
    family_history: np.ndarray,
    dominant_gene_variant: np.ndarray,
    umn: np.ndarray,
    lmn_clinical: np.ndarray,
    emg_reec: np.ndarray,
) -> np.ndarray:
    """Family history AND a P/LP variant in an established autosomal-dominant ALS gene AND, in at least one
    region, UMN with LMN (clinical or rEEC EMG). Takes precedence over the other rEEC categories."""
    return family_history & dominant_gene_variant & ((umn & (lmn_clinical | emg_reec)) != 0)


# Decision 12 - Gold Coast.
def gold_coast(umn_gc: np.ndarray, lmn_gc: np.ndarray, normal_before: np.ndarray) -> dict[str, np.ndarray]:
    """Met <=> (progression, applied by the caller) AND normal motor function before onset AND
    ((UMN in any region AND LMN in any region) OR LMN in >= 2 regions). UMN and LMN in different regions
    means two regions are involved, satisfying 'the same region if only one region is involved'."""
    umn_and_lmn = (umn_gc != 0) & (lmn_gc != 0)
    lmn_two = _COUNT[lmn_gc] >= 2
    return {"umn_and_lmn": umn_and_lmn, "lmn_two_regions": lmn_two, "met": normal_before & (umn_and_lmn | lmn_two)}


# Decision 13 - progression.
def progression(course: np.ndarray) -> dict[str, np.ndarray]:
    """not_progressive -> every set not met ('progression is required'); unknown -> computed as if
    progressive and flagged progression_not_documented."""
    return {"allowed": course != NOT_PROGRESSIVE, "not_documented": course == COURSE_UNKNOWN}


# Decision 14 - exclusion.
def exclusion_pending(other_causes_excluded: np.ndarray, workup_outstanding: np.ndarray) -> np.ndarray:
    """Every set requires other causes to be excluded; categories are computed from the signs and carry
    exclusion_pending until the clinician records the exclusion (other_causes_excluded) AND no required work-up
    item is outstanding (rules/differential.py: Williams 2013 essentials plus what raised mimics call for).
    Mimics never change a category."""
    return ~other_causes_excluded | workup_outstanding
