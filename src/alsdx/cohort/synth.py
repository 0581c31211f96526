"""Synthetic cohorts in the flat layout, for demos, tests and benchmarks. SYNTHETIC: no real patient.

Generated with vectorised numpy, chunk by chunk (10 million rows stream in bounded memory). The
distributions are plausible, not calibrated; they follow docs/ruleset.md where it gives figures:

- case mix: ALS 70 %, PMA (LMN-only) 6 %, PLS 4 %, and mimics (docs/ruleset.md §12): cervical
  myelopathy 5 %, benign fasciculation 5 %, multifocal motor neuropathy 3 %, inclusion body myositis 3 %,
  Kennedy disease 2 %, myositis 2 %;
- ALS onset: bulbar 30 %, upper limb 36 %, lower limb 30 %, respiratory 2 %, thoracic 1 %, generalized 1 %;
  male 60 %, onset age ~ N(62, 11); diagnostic delay log-normal, median 11 months;
- spread: each region is reached after a delay growing with its distance from the onset region and
  shrinking with the progression rate; involved regions show UMN and LMN signs with region-specific odds;
- examination: all four regions examined in every patient (``<region>_examined`` true, sign cells given);
- EMG (75 % of ALS): 4-10 muscles from the shipped table; denervated regions show chronic neurogenic
  change with fibrillations/positive sharp waves and fasciculation potentials; myopathies show
  fibrillations without chronic neurogenic change; benign fasciculation shows fasciculation potentials only;
- mimic patterns: conduction block and anti-GM1 (MMN), gynaecomastia, reduced SNAPs, CK 2-5 x ULN and AR
  CAG 40-52 (Kennedy), finger-flexor and quadriceps weakness with CK up to 1500 (IBM), proximal weakness,
  rash and CK > 1000 (myositis), neck pain, sensory and sphincter signs with compressive MRI (myelopathy);
- ALSFRS-R: Delta-FS log-normal (ALS median 0.55 points/month), the loss spread over the domains by onset
  region; FVC falls with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any, Final

import numpy as np
import pyarrow as pa

from alsdx.cohort.schema import fields_by_name, flat_fields, flat_schema
from alsdx.columns.codes import sign_column, variant_column
from alsdx.model.case import ALSFRS_ITEMS
from alsdx.model.muscles import muscle_table
from alsdx.model.vocab import LMN_SIGNS, REGIONS

CHUNK: Final = 65_536
"""Rows generated per random stream (fixed, so a cohort depends only on N and the seed)."""

GROUPS: Final = (
    "als",
    "pma",
    "pls",
    "cervical_myelopathy",
    "benign_fasciculation",
    "mmn",
    "ibm",
    "kennedy",
    "myositis",
)
GROUP_P: Final = (0.70, 0.06, 0.04, 0.05, 0.05, 0.03, 0.03, 0.02, 0.02)
ALS, PMA, PLS, MYELOPATHY, BFS, MMN, IBM, KENNEDY, MYOSITIS = range(len(GROUPS))
B, C, T, L = range(4)

# Per group: male share, onset age mean and sd, months from onset to assessment (median), Delta-FS median.
MALE = np.array([0.60, 0.65, 0.55, 0.60, 0.55, 0.70, 0.65, 1.00, 0.35])
AGE = np.array([[62, 11], [60, 11], [53, 9], [60, 10], [40, 12], [42, 10], [66, 7], [44, 8], [47, 13]], float)
DELAY = np.array([11, 14, 40, 18, 10, 24, 36, 60, 5], float)
DFS = np.array([0.55, 0.40, 0.10, 0.15, 0.02, 0.10, 0.15, 0.08, 0.30])
EMG_DONE = np.array([0.75, 0.90, 0.70, 0.60, 0.80, 0.95, 0.70, 0.80, 0.60])
# Latent involvement odds per group and region (bulbar, cervical, thoracic, lumbosacral), once a region is reached.
UMN_P = np.array(
    [
        [0.70, 0.80, 0.30, 0.85],
        [0.02, 0.03, 0.0, 0.03],
        [0.7, 0.9, 0.2, 0.95],
        [0, 0.6, 0, 0.9],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
    ]
)
LMN_P = np.array(
    [
        [0.85, 0.90, 0.60, 0.90],
        [0.85, 0.95, 0.6, 0.95],
        [0, 0, 0, 0],
        [0, 0.85, 0, 0.1],
        [0, 0, 0, 0],
        [0, 1.0, 0, 0.3],
        [0, 0, 0, 0],
        [0.9, 0.8, 0.1, 0.8],
        [0, 0, 0, 0],
    ]
)
MYOPATHIC_P = np.array([[0, 0, 0, 0]] * 6 + [[0.3, 0.95, 0, 0.95], [0, 0, 0, 0], [0.2, 0.9, 0.3, 0.9]])
ONSET_CODES: Final = ("bulbar", "cervical", "thoracic", "lumbosacral", "respiratory", "generalized", "unknown")
ALS_ONSET_P = np.array([0.30, 0.36, 0.01, 0.30, 0.02, 0.01, 0.0])
DOMAIN_SHARE = np.array(
    [  # bulbar, fine motor, gross motor, respiratory share of the points lost, by onset region
        [0.50, 0.20, 0.20, 0.10],
        [0.15, 0.45, 0.25, 0.15],
        [0.10, 0.20, 0.35, 0.35],
        [0.15, 0.20, 0.50, 0.15],
        [0.10, 0.15, 0.15, 0.60],
        [0.25, 0.25, 0.30, 0.20],
        [0.25, 0.25, 0.30, 0.20],
    ]
)
FIRST_DAY, LAST_DAY = 17532, 20634  # 2018-01-01 .. 2026-06-30 (days since 1970-01-01)


def synth_batches(n: int, seed: int = 0, start: int = 0) -> Iterator[pa.RecordBatch]:
    """``n`` synthetic patients as flat record batches of up to CHUNK rows; ids ``syn-<seed>-<row>``."""
    for i, first in enumerate(range(0, n, CHUNK)):
        rng = np.random.default_rng([seed, i])
        yield _chunk(rng, min(CHUNK, n - first), start + first, seed)


def _chunk(rng: np.random.Generator, n: int, first: int, seed: int) -> pa.RecordBatch:
    out: dict[str, Any] = {}
    u = rng.random
    group = rng.choice(len(GROUPS), size=n, p=GROUP_P)
    ids = pa.array(np.char.mod(f"syn-{seed}-%09d", np.arange(first, first + n)))
    out["id"] = ids

    male = u(n) < MALE[group]
    out["sex"] = _codes(np.where(male, 0, np.where(u(n) < 0.98, 1, 3)), "sex")
    age = np.clip(rng.normal(AGE[group, 0], AGE[group, 1]), 18, 92)
    age = np.where(group == IBM, np.maximum(age, 46), age)
    months = np.exp(rng.normal(np.log(DELAY[group]), 0.6))
    assessed = rng.integers(FIRST_DAY, LAST_DAY, n)
    onset = assessed - np.maximum(np.round(months * 30.44), 1).astype(np.int64)
    months = (assessed - onset) / 30.44
    with_birth = u(n) < 0.5
    birth = onset - np.round(age * 365.25).astype(np.int64)
    out["birth_date"] = _dates(birth, with_birth)
    out["age_at_onset"] = pa.array(np.round(age, 1), mask=with_birth)
    out["symptom_onset"] = _dates(onset)
    out["assessment_date"] = _dates(assessed)

    onset_region = _onset_regions(rng, group, n)
    out["onset_region"] = _codes(onset_region, "onset_region")
    progressive = np.where(group == BFS, 0.1, np.where(np.isin(group, (MYELOPATHY, MMN)), 0.6, 0.9))
    r = u(n)
    course = np.where(r < progressive, 0, np.where(r < progressive + (1 - progressive) * 0.7, 2, 1))
    out["course"] = _codes(course, "course")
    out["normal_motor_function_before_onset"] = pa.array(u(n) < 0.98)
    out["other_causes_excluded"] = pa.array(u(n) < np.where(group <= PLS, 0.5, 0.2))
    familial = (group <= PMA) & (u(n) < 0.10)
    out["family_history_als"] = pa.array(familial | (u(n) < 0.01))
    out["frontotemporal_dementia"] = pa.array((group == ALS) & (u(n) < 0.12))

    dfs = np.exp(rng.normal(np.log(DFS[group]), 0.6))
    umn, lmn, myo = _involvement(rng, group, onset_region, months, dfs)
    _signs(rng, out, group, umn, lmn, myo)
    _exam(rng, out, group, onset_region, lmn, myo)
    for region in REGIONS:  # every synthetic patient is examined in all four regions, and says so
        out[f"{region}_examined"] = pa.array(np.ones(n, dtype=bool))
    out["emg"] = _emg(rng, group, lmn, myo)
    _ncs_labs_genetics(rng, out, group, familial, male, assessed)
    _alsfrs_fvc(rng, out, group, onset_region, months, dfs, assessed)
    out["medications"] = _medications(rng, group, onset, assessed)
    schema = flat_schema()
    columns = [out[f.name] if f.name in out else pa.nulls(n, f.type) for f in schema]
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _codes(codes: np.ndarray, name: str, mask: np.ndarray | None = None) -> pa.Array:
    allowed = fields_by_name()[name].allowed
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int8), mask=mask), pa.array(allowed, pa.string()))


def _dates(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype(np.int32), mask=mask).cast(pa.date32())


def _onset_regions(rng: np.random.Generator, group: np.ndarray, n: int) -> np.ndarray:
    onset = rng.choice(len(ONSET_CODES), size=n, p=ALS_ONSET_P)
    limb = np.where(rng.random(n) < 0.5, 1, 3)
    onset = np.where(group == PLS, np.where(rng.random(n) < 0.7, 3, np.where(rng.random(n) < 0.5, 0, 1)), onset)
    onset = np.where(np.isin(group, (MMN, MYELOPATHY)), 1, onset)
    onset = np.where(np.isin(group, (IBM, MYOSITIS, BFS)), limb, onset)
    return np.where(group == KENNEDY, np.where(rng.random(n) < 0.4, 0, 3), onset)


def _involvement(
    rng: np.random.Generator, group: np.ndarray, onset_region: np.ndarray, months: np.ndarray, dfs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Latent (n, 4) UMN, LMN and myopathic involvement: regions reached by spread from the onset region."""
    n = len(group)
    rank = np.select([onset_region == 4, onset_region >= 5], [1, 1], onset_region)  # respiratory -> cervical
    gap = np.exp(rng.normal(np.log(8.0 * 0.55 / np.maximum(dfs, 0.02)), 0.5))
    reached = np.zeros((n, 4), dtype=bool)
    for region in range(4):
        delay = np.abs(region - rank) * gap * rng.uniform(0.5, 1.5, n)
        reached[:, region] = delay <= months
    reached[onset_region == 5] = True
    myo_like = np.isin(group, (IBM, MYOSITIS, MMN, KENNEDY, MYELOPATHY, BFS))
    reached[myo_like] = True  # their pattern comes from the per-region odds below
    draw = rng.random((n, 4, 3))
    umn = reached & (draw[..., 0] < UMN_P[group])
    lmn = reached & (draw[..., 1] < LMN_P[group])
    myo = reached & (draw[..., 2] < MYOPATHIC_P[group])
    return umn, lmn, myo


def _region_umn_signs(region: str) -> list[str]:
    prefix = f"{region}_umn_"
    return [f.key for f in flat_fields() if f.rule == "contains" and f.name.startswith(prefix) and f.key]


def _signs(
    rng: np.random.Generator, out: dict[str, Any], group: np.ndarray, umn: np.ndarray, lmn: np.ndarray, myo: np.ndarray
) -> None:
    n = len(group)
    lmn_odds = {"weakness": 0.85, "atrophy": 0.65, "fasciculations": 0.55, "hyporeflexia": 0.15, "flaccidity": 0.05}
    bfs = group == BFS
    bfs_regions = rng.random((n, 4)) < 0.5
    for j, region in enumerate(REGIONS):
        signs = _region_umn_signs(region)
        primary = rng.integers(0, len(signs), n)
        for k, sign in enumerate(signs):
            found = umn[:, j] & ((primary == k) | (rng.random(n) < 0.25))
            out[sign_column(region, "umn", sign)] = pa.array(found | (rng.random(n) < 0.005))
        for sign in LMN_SIGNS:
            found = lmn[:, j] & (rng.random(n) < lmn_odds[sign])
            if sign == "weakness":
                found |= myo[:, j] & (rng.random(n) < 0.9)
                found |= umn[:, j] & (rng.random(n) < 0.3)
            elif sign == "atrophy":
                found |= myo[:, j] & (rng.random(n) < np.where(group == IBM, 0.6, 0.2))
            elif sign == "fasciculations":
                found |= bfs & bfs_regions[:, j]
            out[sign_column(region, "lmn", sign)] = pa.array(found)


def _exam(
    rng: np.random.Generator,
    out: dict[str, Any],
    group: np.ndarray,
    onset_region: np.ndarray,
    lmn: np.ndarray,
    myo: np.ndarray,
) -> None:
    n = len(group)
    u = rng.random
    myelopathy = group == MYELOPATHY
    out["sensory_loss"] = pa.array((myelopathy & (u(n) < 0.5)) | (u(n) < 0.02))
    out["sphincter_dysfunction"] = pa.array((myelopathy & (u(n) < 0.3)) | (u(n) < 0.01))
    out["neck_pain_or_radicular_pain"] = pa.array((myelopathy & (u(n) < 0.6)) | (u(n) < 0.03))
    out["weakness_asymmetric"] = pa.array(np.isin(group, (ALS, PMA, MMN, IBM)) & (u(n) < 0.7))
    out["weakness_proximal"] = pa.array((np.isin(group, (MYOSITIS, KENNEDY)) & (u(n) < 0.85)) | (u(n) < 0.1))
    out["weakness_distal"] = pa.array(np.isin(group, (ALS, PMA, MMN)) & (u(n) < 0.6))
    out["weakness_finger_flexors"] = pa.array(((group == IBM) & (u(n) < 0.8)) | (u(n) < 0.02))
    out["weakness_quadriceps"] = pa.array(((group == IBM) & (u(n) < 0.8)) | (u(n) < 0.03))
    out["gynecomastia"] = pa.array((group == KENNEDY) & (u(n) < 0.6))
    out["dermatomyositis_rash"] = pa.array((group == MYOSITIS) & (u(n) < 0.4))
    out["orthopnea"] = pa.array((group <= PMA) & (u(n) < 0.1))
    bulbar = lmn[:, B] | myo[:, B] | (onset_region == 0)
    for symptom, p in (("dysarthria", 0.8), ("dysphagia", 0.6), ("sialorrhea", 0.3), ("voice_change", 0.2)):
        out[f"bulbar_symptoms_{symptom}"] = pa.array(bulbar & (u(n) < p))


@cache
def _muscle_variants() -> tuple[np.ndarray, list[tuple[str, str, tuple[str, ...], str]]]:
    """Muscles the generator samples, with paraspinal muscles at fixed levels; grouped by region."""
    variants: list[tuple[str, str, tuple[str, ...], str]] = []
    levels = {
        "cervical_paraspinal": ("C5", "C6", "C7", "C8"),
        "thoracic_paraspinal": ("T4", "T6", "T8", "T10"),
        "lumbosacral_paraspinal": ("L3", "L4", "L5", "S1"),
    }
    for m in muscle_table().values():
        for roots in [(lv,) for lv in levels[m.name]] if m.name in levels else [m.roots]:
            variants.append((m.name, m.region, roots, m.nerve))
    region = np.array([REGIONS.index(v[1]) for v in variants])
    return region, variants


def _emg(rng: np.random.Generator, group: np.ndarray, lmn: np.ndarray, myo: np.ndarray) -> pa.Array:
    n = len(group)
    done = rng.random(n) < EMG_DONE[group]
    count = np.where(done, rng.integers(4, 11, n), 0)
    offsets = np.concatenate([[0], np.cumsum(count)]).astype(np.int32)
    patient = np.repeat(np.arange(n), count)
    m = len(patient)
    v_region, variants = _muscle_variants()
    region = rng.choice(4, size=m, p=[0.15, 0.40, 0.10, 0.35])
    by_region = [np.flatnonzero(v_region == r) for r in range(4)]
    pick = np.empty(m, dtype=np.int64)
    for r in range(4):
        sel = region == r
        pick[sel] = by_region[r][rng.integers(0, len(by_region[r]), int(sel.sum()))]
    g = group[patient]
    neuro = lmn[patient, region] | ((g == ALS) & (rng.random(m) < 0.15))
    myopathic = myo[patient, region]
    d = rng.random((m, 3))
    chronic = (neuro & (d[:, 0] < np.where(g == MMN, 0.5, 0.9))) | (myopathic & (d[:, 0] < 0.05)) | (d[:, 0] < 0.02)
    fib = (neuro & (d[:, 1] < np.where(g == MMN, 0.3, 0.75))) | (myopathic & (d[:, 1] < 0.4)) | (d[:, 1] < 0.02)
    fasc = (neuro & (d[:, 2] < 0.7)) | ((g == BFS) & (d[:, 2] < 0.8)) | (d[:, 2] < 0.05)

    names = np.array([v[0] for v in variants])
    sides = np.where(np.char.endswith(names[pick], "genioglossus"), 2, rng.integers(0, 2, m))
    root_lists = [v[2] for v in variants]
    root_len = np.array([len(r) for r in root_lists])
    root_flat = pa.array([root for roots in root_lists for root in roots], pa.string())
    root_start = np.concatenate([[0], np.cumsum(root_len)[:-1]])
    lengths = root_len[pick]
    root_offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    within = np.arange(root_offsets[-1]) - np.repeat(root_offsets[:-1], lengths)
    roots = pa.ListArray.from_arrays(
        pa.array(root_offsets), root_flat.take(np.repeat(root_start[pick], lengths) + within)
    )
    strings = {
        "muscle": pa.array(names, pa.string()).take(pick),
        "side": pa.array(["left", "right", "midline"], pa.string()).take(sides),
        "region": pa.array([v[1] for v in variants], pa.string()).take(pick),
        "nerve": pa.array([v[3] for v in variants], pa.string()).take(pick),
    }
    struct_type = fields_by_name()["emg"].type.value_type
    children = [
        strings["muscle"],
        strings["side"],
        strings["region"],
        roots,
        strings["nerve"],
        pa.array(fib),
        pa.array(fasc),
        pa.array(chronic),
    ]
    items = pa.StructArray.from_arrays(children, fields=list(struct_type))
    return pa.ListArray.from_arrays(pa.array(offsets), items, type=fields_by_name()["emg"].type)


def _ncs_labs_genetics(
    rng: np.random.Generator,
    out: dict[str, Any],
    group: np.ndarray,
    familial: np.ndarray,
    male: np.ndarray,
    assessed: np.ndarray,
) -> None:
    n = len(group)
    u = rng.random
    ncs_done = u(n) < 0.8
    out["ncs_motor_conduction_block"] = pa.array(((group == MMN) & (u(n) < 0.7)) | (u(n) < 0.01), mask=~ncs_done)
    out["ncs_sensory_abnormal"] = pa.array(((group == KENNEDY) & (u(n) < 0.8)) | (u(n) < 0.05), mask=~ncs_done)

    ck_median = np.select([group == KENNEDY, group == IBM, group == MYOSITIS], [600.0, 700.0, 3000.0], 180.0)
    ck = np.round(np.exp(rng.normal(np.log(ck_median), 0.45)))
    ck_given = u(n) < 0.7
    lab_day = assessed - rng.integers(0, 60, n)
    out["ck_u_per_l"] = pa.array(ck, mask=~ck_given)
    out["ck_u_per_l_date"] = _dates(lab_day, ~ck_given)
    liver = u(n) < 0.5
    out["alt_u_per_l"] = pa.array(np.round(np.exp(rng.normal(np.log(24), 0.4, n))), mask=~liver)
    out["alt_u_per_l_date"] = _dates(lab_day, ~liver)
    out["alt_uln_u_per_l"] = pa.array(np.full(n, 40.0), mask=~liver)
    out["alt_uln_u_per_l_date"] = _dates(lab_day, ~liver)
    out["ast_u_per_l"] = pa.array(np.round(np.exp(rng.normal(np.log(26), 0.35, n))), mask=~liver)
    out["ast_u_per_l_date"] = _dates(lab_day, ~liver)
    anc = u(n) < 0.3
    out["anc_10e9_per_l"] = pa.array(np.round(np.exp(rng.normal(np.log(3.8), 0.3, n)), 1), mask=~anc)
    out["anc_10e9_per_l_date"] = _dates(lab_day, ~anc)
    gm1 = u(n) < np.where(group == MMN, 0.9, 0.2)
    positive = u(n) < np.where(group == MMN, 0.45, 0.02)
    out["anti_gm1_igm"] = _codes(np.where(positive, 0, 1), "anti_gm1_igm", mask=~gm1)
    out["anti_gm1_igm_date"] = _dates(lab_day, ~gm1)

    tested = (group <= PMA) & (u(n) < np.where(familial, 0.9, 0.3))
    gene_draw = u(n)
    c9 = tested & (gene_draw < np.where(familial, 0.40, 0.06))
    out["c9orf72_repeat_expansion"] = pa.array(c9, mask=~tested)
    for gene, lo, hi in (
        ("SOD1", 0.40, 0.60),
        ("TARDBP", 0.60, 0.65),
        ("FUS", 0.65, 0.70),
        ("TBK1", 0.70, 0.73),
        ("NEK1", 0.73, 0.76),
    ):
        scale = np.where(familial, 1.0, 0.1)
        out[variant_column(gene)] = pa.array(tested & (gene_draw >= lo * scale) & (gene_draw < hi * scale) & ~c9)
    cag_tested = (group == KENNEDY) | ((group == PMA) & male & (u(n) < 0.5))
    cag = np.where(group == KENNEDY, rng.integers(40, 53, n), rng.integers(17, 30, n))
    out["ar_cag_repeats"] = pa.array(cag.astype(np.int8), mask=~cag_tested)
    mri_done = u(n) < np.where(group == MYELOPATHY, 0.9, 0.5)
    compressive = (group == MYELOPATHY) & (u(n) < 0.8)
    mri = np.where(~mri_done, 3, np.where(compressive, 1, np.where(u(n) < 0.1, 2, 0)))
    out["cervical_spine_mri"] = _codes(mri, "cervical_spine_mri")
    brain_done = u(n) < 0.4
    out["brain_mri"] = _codes(np.where(brain_done, np.where(u(n) < 0.05, 1, 0), 2), "brain_mri")


def _alsfrs_fvc(
    rng: np.random.Generator,
    out: dict[str, Any],
    group: np.ndarray,
    onset_region: np.ndarray,
    months: np.ndarray,
    dfs: np.ndarray,
    assessed: np.ndarray,
) -> None:
    n = len(group)
    visit = rng.random(n) < 0.85
    lost = np.minimum(dfs * months, 47.0)
    share = DOMAIN_SHARE[onset_region]
    scores = {}
    for d, items in enumerate((ALSFRS_ITEMS[0:3], ALSFRS_ITEMS[3:6], ALSFRS_ITEMS[6:9], ALSFRS_ITEMS[9:12])):
        severity = np.clip(lost * share[:, d] / 12.0, 0, 1)
        for item in items:  # item-to-item spread only where the domain is affected
            noise = rng.normal(0, 0.5, n) * np.minimum(1.0, 4 * severity)
            scores[item] = np.clip(np.round(4 * (1 - severity) + noise), 0, 4).astype(np.int8)
    gastrostomy = (scores["swallowing"] <= 1) & (rng.random(n) < 0.6)
    out["alsfrs_r_date"] = _dates(assessed, ~visit)
    out["alsfrs_r_gastrostomy"] = pa.array(gastrostomy, mask=~visit)
    for item, score in scores.items():
        out[f"alsfrs_r_{item}"] = pa.array(score, mask=~visit)
    upright = rng.random(n) < 0.6
    fvc = np.clip(rng.normal(96, 12, n) - 1.2 * lost, 12, 140).round()
    out["fvc_upright_percent_predicted"] = pa.array(fvc, mask=~upright)
    out["fvc_upright_date"] = _dates(assessed, ~upright)
    supine = upright & (rng.random(n) < 0.4)
    # at least 11: the case model refuses 10 % or less (litres or a fraction, not a % of predicted)
    out["fvc_supine_percent_predicted"] = pa.array(np.maximum(fvc - rng.uniform(0, 30, n).round(), 11), mask=~supine)
    out["fvc_supine_date"] = _dates(assessed, ~supine)


def _medications(rng: np.random.Generator, group: np.ndarray, onset: np.ndarray, assessed: np.ndarray) -> pa.Array:
    n = len(group)
    riluzole = (group <= PMA) & (rng.random(n) < 0.55)
    offsets = np.concatenate([[0], np.cumsum(riluzole)]).astype(np.int32)
    who = np.flatnonzero(riluzole)
    start = onset[who] + (rng.random(len(who)) * (assessed[who] - onset[who])).astype(np.int64)
    struct_type = fields_by_name()["medications"].type.value_type
    items = pa.StructArray.from_arrays(
        [pa.array(["riluzole"] * len(who), pa.string()), _dates(start), pa.nulls(len(who), pa.date32())],
        fields=list(struct_type),
    )
    return pa.ListArray.from_arrays(pa.array(offsets), items, type=fields_by_name()["medications"].type)


def synth_table(n: int, seed: int = 0) -> pa.Table:
    """A whole synthetic cohort in memory (tests and small demos; stream ``synth_batches`` for large N)."""
    return pa.Table.from_batches(list(synth_batches(n, seed)), schema=flat_schema())
