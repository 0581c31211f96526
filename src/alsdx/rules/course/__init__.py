"""Disease-course kernels: ALSFRS-R, King's and MiToS staging, FVC and respiratory triggers, ENCALS prognosis.

Every module is numpy only and names its source; the engine (``alsdx.engine.course``) renders their columns.
"""
