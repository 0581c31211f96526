"""The kernels' numpy columns (docs/architecture.md "column kernels"), built once for every door.

- ``codes``: column names and code tables, the contract between the front ends and ``alsdx.rules``;
- ``dates``: the one calendar arithmetic (day numbers, anniversaries, the two ages at onset);
- ``from_case``: validated ``Case`` documents -> columns (``assess``);
- ``from_arrow``: flat Arrow record batches -> the same columns (the cohort runner), with ``arrow_emg``
  decoding the ``emg`` list column and ``arrow_examined`` reading which regions a row examined.

Property tests compare the two front ends column by column (tests/cohort/test_cohort_columns.py).
"""
