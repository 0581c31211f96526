"""The cohort runner on Apache Spark: the same ``assess_batch`` through ``mapInArrow``.

For notebooks (Databricks and the like)::

    from alsdx.cohort.spark import assess_frame
    out = assess_frame(spark.read.parquet("registry.parquet"), keep=["site"])
    out = assess_frame(df, trials=[trial_from_argument("phoenix-amx0035")])  # + trial_<id>_... columns

``assess_frame`` returns one row per input row with the same id (plus any ``keep`` columns, passed
through unchanged); categories are strings. Trials travel to the workers with the function (pickled): each
worker screens with the trial files read once on the driver. Needs the optional extra ``alsdx[spark]``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from alsdx.cohort.batch import assess_batch, check_trials, codes_array, output_schema
from alsdx.cohort.conform import CohortInputError, check_columns
from alsdx.cohort.reader import (
    BatchPart,
    input_format,
    open_parquet,
    parquet_files,
    part_batches,
    parts,
    with_line_numbers,
)
from alsdx.cohort.runner import DEFAULT_BATCH, CohortOutput
from alsdx.cohort.schema import INVALID_REASON, fields_by_name
from alsdx.cohort.summary import Summary
from alsdx.rules.criteria.interpretation import Interpretation
from alsdx.trials.model import Trial

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession

ORDER = ("_alsdx_file", "_alsdx_row")


def plain_schema(trials: tuple[Trial, ...] = ()) -> pa.Schema:
    """The output schema with dictionary columns (categories, criterion sets) as plain strings, the types Spark
    knows."""
    return pa.schema(
        [
            pa.field(f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type)
            for f in output_schema(trials)
        ]
    )


def to_plain(batch: pa.RecordBatch, trials: tuple[Trial, ...] = ()) -> pa.RecordBatch:
    schema = plain_schema(trials)
    return pa.RecordBatch.from_arrays(
        [c.cast(f.type) if c.type != f.type else c for c, f in zip(batch.columns, schema, strict=True)], schema=schema
    )


def to_output(batch: pa.RecordBatch, trials: tuple[Trial, ...] = ()) -> pa.RecordBatch:
    """Plain strings back to the local engine's dictionary encoding: categories in rank order; criterion sets
    encoded per batch (their dictionaries hold the sets a batch has, on either engine: compare them decoded)."""
    arrays = []
    schema = output_schema(trials)
    for f in schema:
        column = batch.column(f.name)
        if pa.types.is_dictionary(f.type) and b"categories" in f.metadata:
            categories = f.metadata[b"categories"].decode().split(",")
            ranks = pc.fill_null(pc.index_in(column, value_set=pa.array(categories)), 0).to_numpy(zero_copy_only=False)
            column = codes_array(ranks, tuple(categories), column.is_null().to_numpy(zero_copy_only=False))
        elif pa.types.is_dictionary(f.type):  # a trial's criterion sets: a dictionary of this batch's sets
            column = pc.dictionary_encode(column)
        arrays.append(column)
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def assess_frame(
    df: DataFrame,
    interpretation: Interpretation | None = None,
    keep: Sequence[str] = (),
    trials: Sequence[Trial] = (),
) -> DataFrame:
    """Assess a Spark DataFrame of the flat layout (``alsdx cohort schema``); ``keep`` columns pass through;
    each of ``trials`` adds its screening columns."""
    from pyspark.sql.pandas.types import from_arrow_schema
    from pyspark.sql.types import StructType

    keep = list(keep)
    screened = check_trials(trials)
    flat = [c for c in df.columns if c not in keep]
    unknown = [c for c in flat if c not in fields_by_name() and c != INVALID_REASON]
    if unknown:
        raise CohortInputError(
            f"unknown column(s) {unknown[:5]}: not part of the flat cohort layout "
            "(pass extra columns through with keep=[...])"
        )
    schema = from_arrow_schema(plain_schema(screened))
    out_type = StructType(list(schema.fields) + [df.schema[c] for c in keep])

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            out = to_plain(assess_batch(batch.select(flat), interpretation, screened), screened)
            for name in keep:
                out = out.append_column(name, batch.column(name))
            yield out

    return df.mapInArrow(run, out_type)


def local_session(cores: int = 2) -> SparkSession:
    """A Spark session in local mode on loopback (no UI, Arrow on), workers on this Python."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("alsdx-cohort")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(max(2 * cores, 4)))
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def run_spark(
    source: Path,
    output: Path,
    interpretation: Interpretation | None = None,
    session: SparkSession | None = None,
    cores: int = 2,
    trials: Sequence[Trial] = (),
) -> Summary:
    """``alsdx cohort --engine spark``: one Parquet file out in input order, equal to the local engine's.

    Parquet is read by Spark directly. CSV and JSONL of case documents are first staged as flat Parquet
    (with their cell problems and rejected documents as ``invalid_reason``) by the local engine's own readers,
    so both engines convert text one way; at cluster scale, convert once (``alsdx cohort flatten``)."""
    from pyspark.sql import functions as F

    screened = check_trials(trials)
    scratch = Path(tempfile.mkdtemp(prefix=f".{output.name}.spark.", dir=output.parent))
    lines: list[np.ndarray] = []
    try:
        if input_format(source) != "parquet":
            source = stage_as_parquet(source, scratch / "input.parquet", lines)
        for file in parquet_files(source):
            check_columns(open_parquet(str(file)).schema_arrow)
        spark = session or local_session(cores)
        df = spark.read.parquet(str(source))
        df = df.select("*", F.col("_metadata.file_path").alias(ORDER[0]), F.col("_metadata.row_index").alias(ORDER[1]))
        result = assess_frame(df, interpretation, keep=ORDER, trials=screened).orderBy(*ORDER).drop(*ORDER)
        result.coalesce(1).write.mode("overwrite").parquet(str(scratch / "out"))
        part_files = sorted((scratch / "out").glob("part-*.parquet"))
        with CohortOutput(output, output_schema(screened)) as out:
            batches = (to_output(b, screened) for part in part_files for b in pq.ParquetFile(part).iter_batches())
            for batch in with_line_numbers(batches, np.concatenate(lines)) if lines else batches:
                out.write(batch)
        return out.summary
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def stage_as_parquet(source: Path, target: Path, lines: list[np.ndarray] | None = None) -> Path:
    """CSV or JSONL -> one flat Parquet file, through the local engine's readers (``reader.part_batches``);
    a CSV's line numbers are appended to ``lines`` (the output's invalid reasons name them, as locally)."""
    writer: pq.ParquetWriter | None = None
    try:
        for part in parts(source, DEFAULT_BATCH):
            if lines is not None and isinstance(part, BatchPart) and part.first_lines is not None:
                lines.append(part.first_lines)
            for batch in part_batches(part, DEFAULT_BATCH):
                if writer is None:
                    writer = pq.ParquetWriter(target, batch.schema)
                writer.write_batch(batch.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        raise CohortInputError(f"{source}: no rows to assess")
    return target
