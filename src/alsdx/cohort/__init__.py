"""The cohort runner: whole registries through the same kernels ``assess()`` uses (locally or on Spark).

``assess_batch`` (``alsdx.cohort.batch``) is the one batch function; the flat layout it reads is
``alsdx.cohort.schema``. See docs/cohort.md.
"""
