"""Care-plan kernels: riluzole alerts and ALT calendar, edaravone cycles, tofersen eligibility and doses,
referral and symptomatic triggers, FVC recency.

Every module is numpy only and names its source; columns in, columns out, no Python branching on patient data.
``alsdx.care`` extracts their columns from a case and words the dated plan; the cohort runner
(``alsdx.cohort.batch``) reads the same kernels for its plan columns.
"""
