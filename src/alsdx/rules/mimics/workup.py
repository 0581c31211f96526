"""The exclusion work-up: which investigations, and the status of each read from the case.

Sources: Williams TL. Motor neurone disease: diagnostic pitfalls. Clin Med 2013;13:97-100, Table 1 - essential
in suspected MND: full blood count, ESR, CRP; biochemistry including thyroid function and calcium; CK; EMG and
nerve conduction studies; MRI brain and/or spine as the signs indicate. Andersen PM, et al. EFNS guidelines on
the clinical management of ALS (MALS) - revised report. Eur J Neurol 2012;19:360-375 - routine list adds
vitamin B12/folate and serum protein (immuno)electrophoresis [docs/ruleset.md §13, R: to verify against the
primary table], so these two are listed as recommended, not required. Turner MR, Talbot K. Pract Neurol
2013;13:153-164, Table 3 - the investigations each suspected mimic calls for (named by the mimic modules'
``workup``).

Status codes (int8): 0 not done (nothing recorded in the case), 1 done (recorded; alsdx does not grade the
result, e.g. EMG, whose findings feed the criteria), 2 done, normal, 3 done, abnormal (a result pointing to
another cause)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from alsdx.columns.codes import NEGATIVE, NOT_DONE, POSITIVE, variant_column
from alsdx.model.vocab import INVESTIGATION_TESTS
from alsdx.rules.mimics.reference_limits import (
    B12_DEFICIENT_BELOW_PMOL_PER_L,
    CALCIUM_ADJUSTED_LOWER_MMOL_PER_L,
    CALCIUM_ADJUSTED_UPPER_MMOL_PER_L,
    CK_VERY_UNUSUAL_IN_MND_U_PER_L,
    COPPER_LOWER_UMOL_PER_L,
    CSF_PROTEIN_MMN_LIMIT_G_PER_L,
    TSH_LOWER_MU_PER_L,
    TSH_UPPER_MU_PER_L,
)

STATUSES = ("not_done", "done", "done_normal", "done_abnormal")
S_NOT_DONE, S_DONE, S_NORMAL, S_ABNORMAL = 0, 1, 2, 3
TIERS = ("essential", "recommended", "as_indicated")

WILLIAMS = "Williams TL. Clin Med 2013;13:97-100 (Table 1, essential)"
EFNS = "Andersen PM, et al. EFNS MALS guideline. Eur J Neurol 2012;19:360-375 (routine list) [R]"
TURNER = "Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (Table 3)"


@dataclass(frozen=True)
class WorkupItem:
    id: str
    test: str
    fields: tuple[str, ...]
    tier: str
    source: str


ITEMS: tuple[WorkupItem, ...] = (
    WorkupItem(
        "blood_count_inflammatory_markers",
        "Full blood count, ESR, CRP",
        ("investigations[test=blood_count_inflammatory_markers]",),
        "essential",
        WILLIAMS,
    ),
    WorkupItem(
        "biochemistry",
        "Renal and liver biochemistry, electrolytes, glucose",
        ("investigations[test=biochemistry]",),
        "essential",
        WILLIAMS,
    ),
    WorkupItem("thyroid_function", "Thyroid function (TSH)", ("labs.tsh_mu_per_l",), "essential", WILLIAMS),
    WorkupItem("calcium", "Adjusted calcium", ("labs.calcium_mmol_per_l",), "essential", WILLIAMS),
    WorkupItem("ck", "Creatine kinase", ("labs.ck_u_per_l",), "essential", WILLIAMS),
    WorkupItem("emg", "EMG", ("emg",), "essential", WILLIAMS),
    WorkupItem("ncs", "Nerve conduction studies", ("ncs",), "essential", WILLIAMS),
    WorkupItem(
        "neuroimaging",
        "MRI brain and/or spine as the signs indicate",
        ("imaging.brain_mri", "imaging.cervical_spine_mri", "imaging.lumbosacral_spine_mri"),
        "essential",
        WILLIAMS,
    ),
    WorkupItem("b12_folate", "Vitamin B12 and folate", ("labs.b12_pmol_per_l",), "recommended", EFNS),
    WorkupItem(
        "serum_protein_electrophoresis",
        "Serum protein electrophoresis / immunofixation",
        ("labs.paraprotein",),
        "recommended",
        EFNS,
    ),
    WorkupItem("cervical_spine_mri", "MRI cervical spine", ("imaging.cervical_spine_mri",), "as_indicated", TURNER),
    WorkupItem("brain_mri", "MRI brain", ("imaging.brain_mri",), "as_indicated", TURNER),
    WorkupItem(
        "lumbosacral_spine_mri",
        "MRI lumbosacral spine",
        ("imaging.lumbosacral_spine_mri",),
        "as_indicated",
        TURNER,
    ),
    WorkupItem(
        "anti_gm1",
        "IgM anti-GM1 antibodies",
        ("labs.anti_gm1_igm",),
        "as_indicated",
        "EFNS/PNS MMN guideline, J Peripher Nerv Syst 2010;15:295-301",
    ),
    WorkupItem(
        "brachial_plexus_mri",
        "MRI brachial plexus",
        ("investigations[test=brachial_plexus_mri]",),
        "as_indicated",
        "EFNS/PNS MMN guideline, J Peripher Nerv Syst 2010;15:295-301",
    ),
    WorkupItem(
        "csf",
        "CSF examination (cells, protein, oligoclonal bands)",
        ("labs.csf_protein_g_per_l", "labs.csf_oligoclonal_bands"),
        "as_indicated",
        TURNER,
    ),
    WorkupItem(
        "ar_cag",
        "Androgen-receptor CAG repeat length",
        ("genetics.ar_cag_repeats",),
        "as_indicated",
        "La Spada AR. GeneReviews: Spinal and Bulbar Muscular Atrophy (2022)",
    ),
    WorkupItem("muscle_biopsy", "Muscle biopsy", ("investigations[test=muscle_biopsy]",), "as_indicated", TURNER),
    WorkupItem(
        "myositis_antibodies",
        "Myositis antibodies",
        ("investigations[test=myositis_antibodies]",),
        "as_indicated",
        TURNER,
    ),
    WorkupItem(
        "achr_musk_antibodies",
        "Acetylcholine-receptor and MuSK antibodies",
        ("labs.achr_antibodies", "labs.musk_antibodies"),
        "as_indicated",
        WILLIAMS.replace("essential", "selected"),
    ),
    WorkupItem("rns", "Repetitive nerve stimulation", ("ncs.rns_decrement",), "as_indicated", TURNER),
    WorkupItem(
        "hexa",
        "Hexosaminidase A activity",
        ("labs.hexa_activity", "genetics.variants"),
        "as_indicated",
        TURNER,
    ),
    WorkupItem(
        "copper",
        "Serum copper and caeruloplasmin",
        ("labs.copper_umol_per_l",),
        "as_indicated",
        "Jaiser SR, Winston GP. J Neurol 2010;257:869-881",
    ),
    WorkupItem("blood_lead", "Blood lead", ("labs.blood_lead",), "as_indicated", TURNER),
    WorkupItem(
        "hiv_serology",
        "HIV serology",
        ("labs.hiv",),
        "as_indicated",
        WILLIAMS.replace("essential", "selected"),
    ),
    WorkupItem("htlv1_serology", "HTLV-1 serology", ("labs.htlv1",), "as_indicated", TURNER),
    WorkupItem(
        "onconeural_antibodies",
        "Onconeural antibodies",
        ("labs.onconeural_antibodies",),
        "as_indicated",
        TURNER,
    ),
    WorkupItem(
        "malignancy_screen",
        "Malignancy screen (CT / PET)",
        ("investigations[test=malignancy_screen]",),
        "as_indicated",
        TURNER,
    ),
    WorkupItem("vlcfa", "Very-long-chain fatty acids", ("investigations[test=vlcfa]",), "as_indicated", TURNER),
    WorkupItem(
        "hsp_gene_panel",
        "Hereditary spastic paraplegia gene panel",
        ("investigations[test=hsp_gene_panel]",),
        "as_indicated",
        TURNER,
    ),
)
ITEM_BY_ID = {item.id: item for item in ITEMS}


_STATUS_OF_CODE = np.array([S_NOT_DONE, S_NORMAL, S_ABNORMAL], dtype=np.int8)
"""Status by categorical code + 1 (NOT_DONE, NEGATIVE, POSITIVE = -1, 0, 1)."""
assert (NOT_DONE, NEGATIVE, POSITIVE) == (-1, 0, 1)


def _from_code(code: np.ndarray) -> np.ndarray:
    """Categorical lab / investigation code -> status (one table look-up)."""
    return _STATUS_OF_CODE[code.astype(np.intp) + 1]


def _numeric(values: np.ndarray, abnormal: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), S_NOT_DONE, np.where(abnormal, S_ABNORMAL, S_NORMAL)).astype(np.int8)


def _mri(code: np.ndarray) -> np.ndarray:
    """MRI code (-1 not done, 0 normal, 1/2 lesion) -> status."""
    return np.where(code < 0, S_NOT_DONE, np.where(code == 0, S_NORMAL, S_ABNORMAL)).astype(np.int8)


def workup_status(x: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Status (int8, STATUSES) of every work-up item for every patient."""
    n = x["course"].shape[0]
    tsh, calcium, ck = x["lab_tsh_mu_per_l"], x["lab_calcium_mmol_per_l"], x["lab_ck_u_per_l"]
    b12, copper, cag = x["lab_b12_pmol_per_l"], x["lab_copper_umol_per_l"], x["genetics_ar_cag_repeats"]
    csf_protein, ocb = x["lab_csf_protein_g_per_l"], x["lab_csf_oligoclonal_bands"]
    ncs_abnormal = (
        x["ncs_motor_conduction_block"] | x["ncs_slowed_conduction_demyelinating"] | x["ncs_sensory_abnormal"]
    )
    csf_done = ~np.isnan(csf_protein) | (ocb != NOT_DONE)
    csf_abnormal = (csf_protein >= CSF_PROTEIN_MMN_LIMIT_G_PER_L) | (ocb == POSITIVE)
    mris = [_mri(x[f"imaging_{name}"]) for name in ("brain_mri", "cervical_spine_mri", "lumbosacral_spine_mri")]
    hexa = np.maximum(
        _from_code(x["lab_hexa_activity"]),
        np.where(x[variant_column("HEXA")], S_ABNORMAL, S_NOT_DONE).astype(np.int8),
    )
    emg_done = np.zeros(n, dtype=bool)
    emg_done[x["emg_patient"]] = True
    status = {
        "thyroid_function": _numeric(tsh, (tsh < TSH_LOWER_MU_PER_L) | (tsh > TSH_UPPER_MU_PER_L)),
        "calcium": _numeric(
            calcium,
            (calcium < CALCIUM_ADJUSTED_LOWER_MMOL_PER_L) | (calcium > CALCIUM_ADJUSTED_UPPER_MMOL_PER_L),
        ),
        "ck": _numeric(ck, ck > CK_VERY_UNUSUAL_IN_MND_U_PER_L),
        "emg": np.where(emg_done, S_DONE, S_NOT_DONE).astype(np.int8),
        "ncs": np.where(~x["ncs_done"], S_NOT_DONE, np.where(ncs_abnormal, S_ABNORMAL, S_NORMAL)).astype(np.int8),
        "neuroimaging": np.maximum.reduce(mris),
        "b12_folate": _numeric(b12, b12 < B12_DEFICIENT_BELOW_PMOL_PER_L),
        "serum_protein_electrophoresis": _from_code(x["lab_paraprotein"]),
        "brain_mri": mris[0],
        "cervical_spine_mri": mris[1],
        "lumbosacral_spine_mri": mris[2],
        "anti_gm1": _from_code(x["lab_anti_gm1_igm"]),
        "csf": np.where(~csf_done, S_NOT_DONE, np.where(csf_abnormal, S_ABNORMAL, S_DONE)).astype(np.int8),
        "ar_cag": _numeric(cag, cag >= 35),
        "achr_musk_antibodies": np.maximum(_from_code(x["lab_achr_antibodies"]), _from_code(x["lab_musk_antibodies"])),
        "rns": _from_code(x["ncs_rns_decrement"]),
        "hexa": hexa,
        "copper": _numeric(copper, copper < COPPER_LOWER_UMOL_PER_L),
        "blood_lead": _from_code(x["lab_blood_lead"]),
        "hiv_serology": _from_code(x["lab_hiv"]),
        "htlv1_serology": _from_code(x["lab_htlv1"]),
        "onconeural_antibodies": _from_code(x["lab_onconeural_antibodies"]),
    }
    for test in INVESTIGATION_TESTS:
        status[test] = _from_code(x[f"investigation_{test}"])
    assert set(status) == set(ITEM_BY_ID)
    return status
