"""``assess_batch``: the one batch function every engine (local processes, Spark) calls.

flat record batch -> row checks + kernel columns -> the engine pipeline (``alsdx.engine.pipeline.run_kernels``,
which ``assess_many`` also calls) -> one output row per input row, in order, same id.
Invalid rows get nulls and their reason in ``invalid_reason``. Each group of output columns is a
:class:`Stage` reading the shared :class:`Kernels`; a new group of outputs is one entry in ``STAGES``. Trials, when
given, add five columns each (``trial_<id>_status``, ``_eligible_until``, ``_eligible_from``, ``_failing``,
``_unknown``): the screening kernel on the columns ``alsdx.columns.arrow_trials`` builds (docs/trials.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
import pyarrow as pa

from alsdx.cohort.arrays import has_column
from alsdx.cohort.conform import check_columns
from alsdx.cohort.schema import INVALID_REASON
from alsdx.cohort.validity import check_rows
from alsdx.cohort.vocabulary_columns import read_vocabulary
from alsdx.columns import arrow_emg as emg_table
from alsdx.columns.arrow_care import care_plan_columns
from alsdx.columns.arrow_trials import trial_fact_columns
from alsdx.columns.codes import REGION_EMG_STUDIED, REGION_EXAMINED
from alsdx.columns.from_arrow import course_tables, kernel_columns
from alsdx.engine import pipeline
from alsdx.engine.completeness import ASSESSABLE, assessable_codes
from alsdx.engine.pipeline import MIMIC_RANK, KernelOutputs
from alsdx.model.vocab import REGIONS
from alsdx.rules.care.plan_columns import plan_columns_kernel
from alsdx.rules.care.riluzole import ALERT_SEVERITY, ALERTS
from alsdx.rules.course import alsfrs_r, kings
from alsdx.rules.criteria import CATEGORIES, CRITERIA_SETS
from alsdx.rules.criteria.interpretation import Interpretation
from alsdx.rules.criteria.pls import CATEGORIES as PLS_CATEGORIES
from alsdx.rules.mimics import MIMICS
from alsdx.rules.trials import FAIL, NO_DAY, NOT_ELIGIBLE, STATUSES, UNKNOWN, Bounds, screen
from alsdx.rules.version import RULESET_VERSION
from alsdx.trials.model import Trial, TrialFileError
from alsdx.trials.screen import criteria_arrays

CODE: Final = pa.dictionary(pa.int8(), pa.string())
FLAGS: Final = ("exclusion_pending", "progression_not_documented", "progression_absent")
"""Shared by every criteria set (``criteria_from_evidence`` adds the same arrays to each)."""
REGION_EVIDENCE: Final = ("umn", "lmn_clinical", "lmn_emg_reec", "lmn_emg_awaji", "lmn_gold_coast")
"""As in the assessment's ``regions.<region>.<kind>``."""

Outputs = dict[str, pa.Array]


@dataclass(frozen=True)
class Kernels:
    """Every kernel output for one batch (computed once by the engine pipeline), with the row checks."""

    outputs: KernelOutputs
    invalid: np.ndarray
    examined: np.ndarray
    """(n, 4): region examined (``alsdx.columns.arrow_examined``)."""
    emg_studied: np.ndarray
    """(n, 4): some muscle of the region in ``emg``."""
    care: dict[str, np.ndarray]
    """The care kernels' plan columns (``alsdx.rules.care.plan_columns``)."""


def run_kernels(batch: pa.RecordBatch, emg: emg_table.EmgParts, interp: Interpretation, invalid: np.ndarray) -> Kernels:
    """The engine pipeline over the batch's kernel columns; the course kernels only when some row has a visit."""
    cols = kernel_columns(batch, emg)
    outputs = pipeline.run_kernels(cols, interp, course=course_tables(batch) if has_visit(batch) else None)
    care = plan_columns_kernel(care_plan_columns(batch))
    return Kernels(outputs, invalid, cols[REGION_EXAMINED], cols[REGION_EMG_STUDIED], care)


def has_visit(batch: pa.RecordBatch) -> bool:
    """Some row has an ALSFRS-R visit. Every course output is read from the latest visit, so a batch
    without one (a file of criteria columns only) skips the course kernels: its course outputs are null."""
    return has_column(batch, "alsfrs_r_date") and batch.column("alsfrs_r_date").null_count < batch.num_rows


def codes_array(ranks: np.ndarray, categories: tuple[str, ...], invalid: np.ndarray) -> pa.Array:
    """Category ranks -> dictionary<int8, string> with the category names, null where invalid (or rank < 0)."""
    missing = invalid | (ranks < 0)
    indices = pa.array(np.maximum(ranks, 0).astype(np.int8), mask=missing if missing.any() else None)
    return pa.DictionaryArray.from_arrays(indices, pa.array(categories, pa.string()))


def bool_array(values: np.ndarray, invalid: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.bool_(), mask=invalid if invalid.any() else None)


def float_array(values: np.ndarray, invalid: np.ndarray) -> pa.Array:
    missing = invalid | ~np.isfinite(values)
    return pa.array(values, type=pa.float64(), mask=missing if missing.any() else None)


def category_field(name: str, categories: tuple[str, ...]) -> pa.Field:
    """A category column; its categories (in rank order) travel in the field metadata."""
    return pa.field(name, CODE, metadata={"categories": ",".join(categories)})


@dataclass(frozen=True)
class Stage:
    """A group of output columns from one family of kernels."""

    fields: Callable[[], list[pa.Field]]
    run: Callable[[Kernels], Outputs]


def _criteria_fields() -> list[pa.Field]:
    return (
        [category_field(name, CATEGORIES[name]) for name in CRITERIA_SETS]
        + [pa.field(flag, pa.bool_()) for flag in FLAGS]
        + [pa.field(f"{region}_{kind}", pa.bool_()) for region in REGIONS for kind in REGION_EVIDENCE]
    )


def _criteria(k: Kernels) -> Outputs:
    results = k.outputs.criteria
    out: Outputs = {name: codes_array(results[name]["category"], CATEGORIES[name], k.invalid) for name in CRITERIA_SETS}
    shared = results[CRITERIA_SETS[0]]
    out.update({flag: bool_array(shared[flag], k.invalid) for flag in FLAGS})
    evidence = {**k.outputs.evidence, "lmn_clinical": k.outputs.shown_lmn_clinical}  # as the assessment shows it
    for j, region in enumerate(REGIONS):
        for kind in REGION_EVIDENCE:
            out[f"{region}_{kind}"] = bool_array(evidence[kind][:, j], k.invalid)
    return out


def _differential_fields() -> list[pa.Field]:
    return [
        pa.field("mimics", pa.list_(pa.string())),
        category_field("pls", PLS_CATEGORIES),
        pa.field("exclusion_complete", pa.bool_()),
    ]


_MIMIC_IDS_BY_RANK = pa.array([MIMICS[i].id for i in np.argsort(MIMIC_RANK)], pa.string())
"""Mimic ids in listing order (``alsdx.engine.pipeline.MIMIC_RANK``)."""


def _mimic_lists(levels: list[np.ndarray], invalid: np.ndarray) -> pa.Array:
    """Raised mimic ids per patient, likely first, then by ``MIMIC_RANK`` (as the assessment lists them).
    Only the raised (patient, mimic) pairs are sorted, by one integer key: patient, level, rank."""
    m, n = len(levels), len(invalid)
    keys = []
    for rank, level in zip(MIMIC_RANK, levels, strict=True):
        rows = np.flatnonzero((level > 0) & ~invalid)
        keys.append(rows * (3 * m) + (2 - level[rows].astype(np.int64)) * m + rank)
    key = np.sort(np.concatenate(keys))
    counts = np.bincount(key // (3 * m), minlength=n)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
    mask = pa.array(invalid) if invalid.any() else None
    return pa.ListArray.from_arrays(pa.array(offsets), _MIMIC_IDS_BY_RANK.take(pa.array(key % m)), mask=mask)


def _differential(k: Kernels) -> Outputs:
    d = k.outputs.differential
    return {
        "mimics": _mimic_lists([d.mimics[m.id]["level"] for m in MIMICS], k.invalid),
        "pls": codes_array(d.pls["category"], PLS_CATEGORIES, k.invalid),
        "exclusion_complete": bool_array(d.exclusion["complete"], k.invalid),
    }


def _course_fields() -> list[pa.Field]:
    return [
        pa.field("alsfrs_r_total", pa.float64()),
        pa.field("delta_fs", pa.float64()),
        category_field("progression_band", alsfrs_r.BANDS),
        category_field("kings_stage", kings.LABELS),
        pa.field("mitos_stage", pa.int8()),
    ]


def _course(k: Kernels) -> Outputs:
    if k.outputs.course is None:
        n = len(k.invalid)
        p = {"has_alsfrs": np.zeros(n, dtype=bool), "progression_band": np.full(n, -1)}
        p.update(
            {name: np.full(n, np.nan) for name in ("alsfrs_total", "alsfrs_delta_fs", "kings_stage", "mitos_stage")}
        )
    else:
        p = k.outputs.course.patients
    none = k.invalid | ~p["has_alsfrs"]
    mitos = np.nan_to_num(p["mitos_stage"], nan=-1).astype(np.int8)
    return {
        "alsfrs_r_total": float_array(p["alsfrs_total"], none),
        "delta_fs": float_array(p["alsfrs_delta_fs"], none),
        "progression_band": codes_array(p["progression_band"].astype(np.int64), alsfrs_r.BANDS, none),
        "kings_stage": codes_array(np.nan_to_num(p["kings_stage"], nan=-1).astype(np.int64), kings.LABELS, none),
        "mitos_stage": pa.array(mitos, mask=none | (mitos < 0) if (none | (mitos < 0)).any() else None),
    }


_REGION_SUBSETS = pa.array(
    [[r for j, r in enumerate(REGIONS) if code >> j & 1] for code in range(1 << len(REGIONS))], pa.list_(pa.string())
)
"""Every subset of the regions, in region order, indexed by its bit mask (bit j = ``REGIONS[j]``)."""


def _region_lists(missing: np.ndarray, invalid: np.ndarray) -> pa.Array:
    """Per row, the regions (in region order) where ``missing`` is true; null where the row is invalid. One take
    from the 16 possible lists by each row's bit mask (cheaper than listing each row's regions)."""
    code = np.zeros(len(missing), dtype=np.uint8)
    for j in range(len(REGIONS)):
        code |= missing[:, j].view(np.uint8) << j
    return _REGION_SUBSETS.take(pa.array(code, mask=invalid if invalid.any() else None))


def _completeness_fields() -> list[pa.Field]:
    return [
        pa.field("regions_not_examined", pa.list_(pa.string())),
        pa.field("emg_regions_not_studied", pa.list_(pa.string())),
        category_field("assessable", ASSESSABLE),
    ]


def _completeness(k: Kernels) -> Outputs:
    """As ``Assessment.completeness`` (alsdx.engine.completeness): a "not met" with ``assessable`` other than complete
    is not met on the findings recorded."""
    return {
        "regions_not_examined": _region_lists(~k.examined, k.invalid),
        "emg_regions_not_studied": _region_lists(~k.emg_studied, k.invalid),
        "assessable": codes_array(assessable_codes(k.examined, k.emg_studied).astype(np.int64), ASSESSABLE, k.invalid),
    }


_SEVERITY_RANK: Final = {"critical": 0, "warning": 1, "info": 2}
"""As ``alsdx.care.models.SEVERITY_ORDER``: the plan lists alerts by severity, then in the order it raises them."""
_RAISED_AT: Final = {
    # Where ``alsdx.care.riluzole.alerts`` raises each alert; a missing ULN is raised with the on-riluzole ALT when
    # there is one (2), else after the baseline alert (5).
    "riluzole_stop_alt_5x_uln": 0,
    "riluzole_alt_above_uln": 1,
    "riluzole_neutropenia": 3,
    "riluzole_baseline_alt_3x_uln": 4,
    "riluzole_alt_monitoring_overdue": 6,
}
_ALERT_IDS: Final = pa.array(ALERTS, pa.string())


def _plan_fields() -> list[pa.Field]:
    return [
        pa.field("riluzole_alerts", pa.list_(pa.string())),
        pa.field("riluzole_next_alt_due", pa.date32()),
        pa.field("edaravone_cycle", pa.int32()),
        pa.field("fvc_due", pa.bool_()),
    ]


def _riluzole_alert_lists(care: dict[str, np.ndarray], invalid: np.ndarray) -> pa.Array:
    """Fired riluzole alert ids per row, in the plan's order (severity first, severity read per row: a stop
    threshold on a stopped treatment is info)."""
    fired = np.stack([care[a] for a in ALERTS], axis=1) & ~invalid[:, None]
    counts = fired.sum(axis=1)
    rows = np.flatnonzero(counts)  # ordered only where some alert fired
    stopped = (care["riluzole_listed"] & ~care["riluzole_current"])[rows]
    keys = np.empty((len(rows), len(ALERTS)), dtype=np.int64)
    for j, alert in enumerate(ALERTS):
        current, after_stop = (_SEVERITY_RANK[s] for s in ALERT_SEVERITY[alert])
        raised_at = _RAISED_AT.get(alert)
        at = np.where(np.isnan(care["alt_on"][rows]), 5, 2) if raised_at is None else raised_at
        keys[:, j] = np.where(stopped, after_stop, current) * 8 + at
    order = np.argsort(np.where(fired[rows], keys, np.iinfo(np.int64).max), axis=1, kind="stable")
    chosen = order[np.arange(len(ALERTS))[None, :] < counts[rows][:, None]]
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
    mask = pa.array(invalid) if invalid.any() else None
    return pa.ListArray.from_arrays(pa.array(offsets), _ALERT_IDS.take(pa.array(chosen)), mask=mask)


def _plan(k: Kernels) -> Outputs:
    """As the assessment's plan: ``plan.alerts`` (riluzole ids), the first date of the riluzole entry's
    ``monitoring``, the cycle of the current edaravone entry at the assessment date, ``plan.monitoring`` (FVC)."""
    care, invalid = k.care, k.invalid
    no_due = invalid | ~care["riluzole_next_alt_due_valid"]
    no_cycle = invalid | ~care["edaravone_current"]
    return {
        "riluzole_alerts": _riluzole_alert_lists(care, invalid),
        "riluzole_next_alt_due": pa.array(care["riluzole_next_alt_due"].astype(np.int32), pa.int32(), mask=no_due).cast(
            pa.date32()
        ),
        "edaravone_cycle": pa.array(care["edaravone_cycle"].astype(np.int32), pa.int32(), mask=no_cycle),
        "fvc_due": bool_array(care["fvc_due"], invalid),
    }


STAGES: Final = (
    Stage(_criteria_fields, _criteria),
    Stage(_completeness_fields, _completeness),
    Stage(_differential_fields, _differential),
    Stage(_course_fields, _course),
    Stage(_plan_fields, _plan),
)


TRIAL_COLUMNS: Final = ("status", "eligible_until", "eligible_from", "failing", "unknown")
"""Per trial, ``trial_<id>_<column>`` (docs/trials.md "Registries")."""


CRITERION_SET: Final = pa.dictionary(pa.int32(), pa.string())
"""A set of a trial's criteria per row: their ids in file order, joined by ``CRITERION_SEPARATOR`` ("" for none),
dictionary-encoded. Rows share few distinct sets, so the column is one small dictionary of the sets and an index
per row: a registry counts the failure patterns with a group-by, and writing it costs a third of a list column's
(benchmarks/bench_cohort.py --trials-only)."""
CRITERION_SEPARATOR: Final = ", "


def criterion_set_field(name: str, trial: Trial) -> pa.Field:
    """A set of the trial's criteria per row; the trial's ids, in file order, travel in the field metadata."""
    return pa.field(name, CRITERION_SET, metadata={"criteria": ",".join(c.id for c in trial.criteria)})


def trial_column(trial_id: str, column: str) -> str:
    return f"trial_{trial_id}_{column}"


def check_trials(trials: Sequence[Trial]) -> tuple[Trial, ...]:
    """The trials of one run, as a tuple; two with the same id would write the same columns."""
    seen: set[str] = set()
    for trial in trials:
        if trial.id in seen:
            raise TrialFileError(f"trial id {trial.id!r} is given twice: its columns would collide; give it once")
        seen.add(trial.id)
    return tuple(trials)


def _trial_fields(trials: tuple[Trial, ...]) -> list[pa.Field]:
    fields = []
    for trial in trials:
        fields += [
            category_field(trial_column(trial.id, "status"), STATUSES),
            pa.field(trial_column(trial.id, "eligible_until"), pa.date32()),
            pa.field(trial_column(trial.id, "eligible_from"), pa.date32()),
            criterion_set_field(trial_column(trial.id, "failing"), trial),
            criterion_set_field(trial_column(trial.id, "unknown"), trial),
        ]
    return fields


def _date_array(days: np.ndarray, invalid: np.ndarray) -> pa.Array:
    missing = invalid | (days == NO_DAY)
    return pa.array(np.where(missing, 0, days).astype(np.int32), pa.int32(), mask=missing).cast(pa.date32())


def _criterion_sets(
    result: np.ndarray, code: int, ids: tuple[str, ...], evaluable: np.ndarray, null: np.ndarray
) -> pa.Array:
    """Per row, the ids of the criteria whose result (n, c) is ``code``, in file order and joined (``CRITERION_SET``);
    null where ``null``. Only the ``evaluable`` criteria (not manual) can fail or be unknown: each row's set is a bit
    mask over them, and each distinct mask is joined once."""
    by_criterion = result.T  # (c, n): contiguous as the kernel fills it
    n, words = by_criterion.shape[1], max(1, -(-evaluable.size // 64))
    masks = np.zeros((words, n), dtype=np.uint64)
    for bit, j in enumerate(evaluable):
        word = masks[bit // 64]
        np.bitwise_or(word, (by_criterion[j] == code).astype(np.uint64) << np.uint64(bit % 64), out=word)
    sets, index = _distinct(masks, evaluable.size)
    joined = [
        CRITERION_SEPARATOR.join(ids[j] for k, j in enumerate(evaluable) if int(mask[k // 64]) >> (k % 64) & 1)
        for mask in sets
    ]
    indices = pa.array(index.astype(np.int32), pa.int32(), mask=null if null.any() else None)
    return pa.DictionaryArray.from_arrays(indices, pa.array(joined, pa.string()))


def _distinct(masks: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct masks, (d, words), in ascending order; each row's position among them): by counting when a
    mask has at most 16 bits (a look-up table of 65,536 entries), else by sorting."""
    if bits <= 16:
        present = np.flatnonzero(np.bincount(masks[0], minlength=1 << bits))
        lookup = np.zeros(1 << bits, dtype=np.int32)
        lookup[present] = np.arange(present.size, dtype=np.int32)
        return present[:, None].astype(np.uint64), lookup[masks[0]]
    sets, index = np.unique(masks.T[:, ::-1], axis=0, return_inverse=True)  # highest word first: ascending masks
    return sets[:, ::-1], index.ravel()


def _trial_outputs(batch: pa.RecordBatch, k: Kernels, trials: tuple[Trial, ...]) -> Outputs:
    """Each trial's columns: the screening kernel on the batch's fact columns (built once for all trials)."""
    needed = frozenset(c.fact for trial in trials for c in trial.criteria if c.fact)
    cols = trial_fact_columns(batch, k.outputs, time_values=False, needed=needed)  # no column shows time values
    bounds = Bounds()  # time bounds shared by the trials (months_since_onset <= 24 in most)
    out: Outputs = {}
    for trial in trials:
        crit, ids = criteria_arrays(trial), tuple(c.id for c in trial.criteria)
        res = screen(cols, crit, bounds)
        out[trial_column(trial.id, "status")] = codes_array(res["status"].astype(np.int64), STATUSES, k.invalid)
        out[trial_column(trial.id, "eligible_until")] = _date_array(res["eligible_until"], k.invalid)
        out[trial_column(trial.id, "eligible_from")] = _date_array(res["eligible_from"], k.invalid)
        evaluable = np.flatnonzero(~crit.manual)
        out[trial_column(trial.id, "failing")] = _criterion_sets(res["result"], FAIL, ids, evaluable, k.invalid)
        # the criteria to record before the status can be decided: listed where nothing fails (null where the
        # status is decided on a failing criterion, or the row is invalid)
        decided = k.invalid | (res["status"] == NOT_ELIGIBLE)
        out[trial_column(trial.id, "unknown")] = _criterion_sets(res["result"], UNKNOWN, ids, evaluable, decided)
    return out


@cache
def output_schema(trials: tuple[Trial, ...] = ()) -> pa.Schema:
    """The output columns: the stages', then each trial's (``TRIAL_COLUMNS``), then the reason and the version."""
    fields = [pa.field("id", pa.string())]
    for stage in STAGES:
        fields += stage.fields()
    fields += _trial_fields(trials)
    fields += [pa.field(INVALID_REASON, pa.string()), category_field("ruleset_version", (RULESET_VERSION,))]
    return pa.schema(fields, metadata={"alsdx.ruleset_version": RULESET_VERSION})


def assess_batch(
    batch: pa.RecordBatch, interpretation: Interpretation | None = None, trials: Sequence[Trial] = ()
) -> pa.RecordBatch:
    """Assess every row of a flat batch (see ``alsdx.cohort.schema``); one output row per input row, screened
    against each of ``trials`` when given."""
    trials = check_trials(trials)
    check_columns(batch.schema)
    batch = read_vocabulary(batch)
    interp = interpretation or Interpretation()
    n = batch.num_rows
    names = batch.schema.names
    emg = emg_table.decode(batch.column("emg") if "emg" in names else None, n)
    invalid, reasons = check_rows(batch, emg)
    kernels = run_kernels(batch, emg, interp, invalid)
    ids = batch.column("id")
    out: Outputs = {"id": ids if ids.type == pa.string() else ids.cast(pa.string())}
    for stage in STAGES:
        out.update(stage.run(kernels))
    if trials:
        out.update(_trial_outputs(batch, kernels, trials))
    reason_list: list[str | None] = [None] * n
    for i, text in reasons.items():
        reason_list[i] = text
    out[INVALID_REASON] = pa.array(reason_list, pa.string()) if reasons else pa.nulls(n, pa.string())
    out["ruleset_version"] = pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(n, dtype=np.int8)), pa.array([RULESET_VERSION], pa.string())
    )
    schema = output_schema(trials)
    return pa.RecordBatch.from_arrays([out[f.name] for f in schema], schema=schema)
