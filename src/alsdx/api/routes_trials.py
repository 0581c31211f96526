"""Clinical-trial screening over REST (issue 19): the configured trials (``GET /v1/trials``) and
``POST /v1/trials:screen``, cases against configured trials by id or trial documents sent inline.

A trial is never read from a path the caller names: an id names one of ``app.state.trials`` (``ALSDX_TRIALS_DIR``,
else the bundled trials), anything else is the trial document itself, checked as a trial file is. Same credentials
as ``/v1/assess``; one case that cannot be screened gets its own errors in its place, as in ``/v1/assess:batch``.
The screening supports the investigator's decision; it establishes neither eligibility nor a diagnosis.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from alsdx.api.collector import collector_paused
from alsdx.api.examples import EXAMPLE_CASE
from alsdx.api.problems import INVALID, ProblemError, responses
from alsdx.api.routes_assess import assess_gate, compact_json, read_case_documents
from alsdx.api.schemas import BatchItem, ScreenFailure, TrialScreenRequest
from alsdx.api.trial_schema import TRIAL_DOCUMENT, check_bounds, trial_document
from alsdx.engine.isolation import batch_or_each
from alsdx.errors import FieldError
from alsdx.trials.model import Trial, TrialFileError, parse_trial
from alsdx.trials.screen import CaseScreening, screen_cases

router = APIRouter(prefix="/v1", tags=["trials"])
log = logging.getLogger(__name__)

CASE_NOT_SCREENED = (
    "alsdx could not screen this case (an internal error, logged without patient data); the other cases are "
    "screened. Please report it with the case."
)
_LIST_SCHEMA = {"type": "array", "items": TRIAL_DOCUMENT}


@router.get(
    "/trials",
    summary="The configured trials",
    response_class=Response,
    responses={
        200: {
            "description": "The trials this service screens against by id (ALSDX_TRIALS_DIR, else the bundled "
            "trials), each as its trial file writes it",
            "content": {"application/json": {"schema": _LIST_SCHEMA}},
        },
        **responses(401),
    },
    dependencies=[Depends(assess_gate)],
)
async def list_trials(request: Request) -> Response:
    """The ids to send to ``POST /v1/trials:screen``, with each trial's title, source and criteria."""
    listed = [trial_document(t) for t in request.app.state.trials]
    return Response(json.dumps(listed, ensure_ascii=False), media_type="application/json")


@router.post(
    "/trials:screen",
    summary="Screen up to 1,000 cases against up to 20 trials",
    response_class=Response,
    responses={
        200: {
            "model": list[CaseScreening | ScreenFailure],
            "description": "One item per case, in order: its screening (id, trials), or its errors",
        },
        **responses(400, 401, 422),
    },
    dependencies=[Depends(assess_gate)],
)
async def screen_trials(
    request: Request,
    body: Annotated[
        TrialScreenRequest,
        Body(
            openapi_examples={
                "by-id": {
                    "summary": "One case against a bundled trial",
                    "value": {"cases": [EXAMPLE_CASE], "trials": ["phoenix-amx0035"]},
                }
            }
        ),
    ],
) -> Response:
    """Per case and trial: the status (eligible, undetermined, not_eligible), the window (``eligible_until``,
    ``eligible_from``) and each criterion's result (pass, fail, unknown, manual) with its reason (docs/trials.md).

    Decision support: "eligible" means no criterion alsdx can evaluate fails; the manual criteria and the
    decision remain the investigator's.
    """
    trials = resolve_trials(body.trials, request.app.state.trials)
    return Response(
        await run_in_threadpool(_screen_without_collector, body.cases, trials), media_type="application/json"
    )


def resolve_trials(items: Sequence[Any], configured: Sequence[Trial]) -> list[Trial]:
    """The request's trials, or a 422 problem naming each item that is neither a configured id nor a valid trial."""
    by_id = {t.id: t for t in configured}
    out: list[Trial] = []
    errors: list[FieldError] = []
    first_at: dict[str, int] = {}
    for i, item in enumerate(items):
        where = f"trials[{i}]"
        try:
            trial = _trial(item, where, by_id)
            if trial.id in first_at:
                raise TrialFileError(
                    f"{where}: trial {trial.id!r} is already named at trials[{first_at[trial.id]}]; name each trial once"
                )
            first_at[trial.id] = i
            out.append(trial)
        except TrialFileError as exc:
            errors.append(FieldError(where, str(exc).removeprefix(f"{where}: ")))
    if errors:
        detail = f"{errors[0].path}: {errors[0].message}" if len(errors) == 1 else f"{len(errors)} trials are invalid"
        raise ProblemError(422, detail, type_=INVALID, errors=errors)
    return out


def _trial(item: Any, where: str, by_id: Mapping[str, Trial]) -> Trial:
    if isinstance(item, str):
        if item in by_id:
            return by_id[item]
        configured = ", ".join(by_id) or "none (ALSDX_TRIALS_DIR holds no trial file)"
        raise TrialFileError(
            f"{where}: unknown trial id {item!r}; configured: {configured}. Send a configured id (GET /v1/trials) "
            "or the trial document itself; the service reads no file paths"
        )
    if isinstance(item, Mapping):
        check_bounds(item, where)
        return parse_trial(item, where)
    raise TrialFileError(f"{where}: write a configured trial id (a string) or a trial document (an object)")


def _screen_without_collector(docs: list[dict[str, Any]], trials: list[Trial]) -> str:
    with collector_paused():
        return screen_documents(docs, trials)


def screen_documents(docs: list[dict[str, Any]], trials: list[Trial]) -> str:
    """The response body: each case's screening in the contract's JSON, or its own errors (an invalid case, or
    one the engine failed on: ``engine.isolation``)."""
    results, valid = read_case_documents(docs)
    screened = batch_or_each([c for _, c in valid], lambda batch: screen_cases(batch, trials))
    for (i, _), result in zip(valid, screened, strict=True):
        if isinstance(result, Exception):  # this case's error; the others go on
            log.error("trials:screen: case %d failed: %s", i, type(result).__name__)
            results[i] = compact_json(BatchItem.failed(i, [FieldError("(case)", CASE_NOT_SCREENED)]))
        else:
            results[i] = result.model_dump_json()
    return "[" + ",".join(results) + "]"
