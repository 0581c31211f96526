"""Default laboratory limits used by the mimic and work-up kernels, each with its source.

Laboratory reference intervals are method- and population-specific; the British Society for Haematology says
local ranges should be established (Devalia 2014). The case file does not carry laboratory ranges yet (except
the CK upper limit, ``labs.ck_uln_u_per_l``), so alsdx applies these documented defaults and every explanation
names the limit it used, for the clinician to check against the local range."""

from __future__ import annotations

CK_VERY_UNUSUAL_IN_MND_U_PER_L = 1000.0
"""Williams TL. Motor neurone disease: diagnostic pitfalls. Clin Med 2013;13:97-100, Table 1
('> 1000 IU/L very unusual in MND'; normal or modestly raised CK is compatible with MND)."""

TSH_LOWER_MU_PER_L = 0.4
TSH_UPPER_MU_PER_L = 4.0
"""Typical adult TSH reference interval, 0.4-4.0 mU/L [R: common laboratory range, not taken from a guideline
table]; a low TSH points to hyperthyroidism, a high one to hypothyroidism (hypothyroid myopathy)."""

CALCIUM_ADJUSTED_LOWER_MMOL_PER_L = 2.20
CALCIUM_ADJUSTED_UPPER_MMOL_PER_L = 2.60
"""Adjusted calcium 2.20-2.60 mmol/L [R: UK Pathology Harmony range, recollection]; hypercalcaemia raises
hyperparathyroidism (Williams 2013 lists calcium among the essential tests)."""

B12_DEFICIENT_BELOW_PMOL_PER_L = 148.0
"""Devalia V, Hamilton MS, Molloy AM; BCSH. Guidelines for the diagnosis and treatment of cobalamin and folate
disorders. Br J Haematol 2014;166:496-513: serum cobalamin < 148 pmol/L (200 ng/L) as the deficiency cut-off
(sensitivity 97 %); local ranges preferred; MMA as second-line test."""

COPPER_LOWER_UMOL_PER_L = 11.0
"""Lower limit of the usual adult serum copper range (~11-24 umol/L, 70-150 ug/dL) [R: recollection; see
Jaiser SR, Winston GP. Copper deficiency myelopathy. J Neurol 2010;257:869-881 - low serum copper and
caeruloplasmin confirm the diagnosis]."""

CSF_PROTEIN_MMN_LIMIT_G_PER_L = 1.0
"""EFNS/PNS MMN guideline 2010 (J Peripher Nerv Syst 2010;15:295-301) Table 3: CSF protein < 1 g/L in MMN."""
