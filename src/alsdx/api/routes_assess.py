"""Stateless assessment: a case in, its assessment out (nothing stored, nothing logged).

Open to anyone only when ``ALSDX_OPEN_ASSESS=1``; otherwise any valid bearer token.
The assessment runs in the process's one CPU worker thread (``api/cpu.py``), batched with the requests
waiting beside it (``alsdx.engine.batcher``, issue 20), while the event loop keeps reading and answering. Saturated, that cut p99 2.5-3.5x for 10-20 % less
throughput than running on the event loop (docs/reliability.md); anyio's 40-thread pool lost more to the GIL. The batch runs in the threadpool so a 1,000-case
request does not stall the event loop.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from alsdx.api.collector import collector_paused
from alsdx.api.cpu import assess_in_batch
from alsdx.api.deps import bearer_secret, in_db_thread
from alsdx.api.examples import CASE_EXAMPLES, EXAMPLE_CASE
from alsdx.api.problems import ProblemError, responses
from alsdx.api.schemas import BatchItem, BatchRequest, BatchResponse
from alsdx.engine.assess import assess_many
from alsdx.engine.isolation import batch_or_each
from alsdx.engine.results import Assessment
from alsdx.errors import CaseValidationError, FieldError
from alsdx.model.case import Case
from alsdx.model.load import case_from_dict
from alsdx.store import accounts

router = APIRouter(prefix="/v1", tags=["assess"])
log = logging.getLogger(__name__)


async def assess_gate(request: Request) -> None:
    if request.app.state.settings.open_assess:
        return
    secret = bearer_secret(request)
    if secret is None:
        raise ProblemError(401, "A bearer token is required (or start the service with ALSDX_OPEN_ASSESS=1).")

    def check() -> bool:
        with request.app.state.sessions() as db:
            return accounts.authenticate(db, secret) is not None

    if not await in_db_thread(request, check):
        raise ProblemError(401, "The bearer token is unknown, expired or revoked.")


@router.post(
    "/assess",
    summary="Assess one case",
    response_class=Response,
    responses={200: {"model": Assessment, "description": "The assessment"}, **responses(400, 401, 422)},
    dependencies=[Depends(assess_gate)],
)
async def assess_case(case: Annotated[Case, Body(openapi_examples=CASE_EXAMPLES)]) -> Response:
    """Classify the case under El Escorial 1994, revised El Escorial, Awaji and Gold Coast.

    Decision support only: the result reports which published criteria the recorded findings meet.
    """
    return Response(await assess_in_batch(case, _as_json), media_type="application/json")


def _as_json(assessment: Assessment) -> str:
    return assessment.model_dump_json()


@router.post(
    "/assess:batch",
    summary="Assess up to 1,000 cases",
    response_model=BatchResponse,
    responses=responses(400, 401, 422),
    dependencies=[Depends(assess_gate)],
)
async def assess_batch(
    body: Annotated[
        BatchRequest,
        Body(openapi_examples={"two": {"summary": "Two cases", "value": {"cases": [EXAMPLE_CASE]}}}),
    ],
) -> Response:
    """One result per case, in order; an invalid case gets its own errors and does not fail the batch."""
    return Response(await run_in_threadpool(_batch_without_collector, body.cases), media_type="application/json")


def _batch_without_collector(docs: list[dict[str, Any]]) -> str:
    with collector_paused():
        return _batch(docs)


def _batch(docs: list[dict[str, Any]]) -> str:
    """The response body, written piece by piece: each assessment serialised by pydantic-core straight to JSON
    (``model_dump_json``; a dict round trip through ``json.dumps`` cost a fifth of a 1,000-case batch)."""
    results, valid = read_case_documents(docs)
    for i, result in _assess_each(valid):
        if result is None:
            results[i] = compact_json(BatchItem.failed(i, [FieldError("(case)", CASE_FAILED)]))
        else:
            results[i] = f'{{"index":{i},"ok":true,"assessment":{result.model_dump_json()}}}'
    return '{"results":[' + ",".join(results) + "]}"


def compact_json(item: dict[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def read_case_documents(docs: list[dict[str, Any]]) -> tuple[list[str], list[tuple[int, Case]]]:
    """A batch's case documents: (each answer so far, "" for a valid case and its errors written in its place
    otherwise; the valid cases with their index). One invalid case never takes the others down."""
    results: list[str] = ["" for _ in docs]
    valid: list[tuple[int, Case]] = []
    for i, doc in enumerate(docs):
        try:
            valid.append((i, case_from_dict(doc)))
        except CaseValidationError as exc:
            results[i] = compact_json(BatchItem.failed(i, exc.errors))
    return results, valid


CASE_FAILED = (
    "alsdx could not assess this case (an internal error, logged without patient data); the other cases of the "
    "batch are assessed. Please report it with the case."
)


def _assess_each(valid: list[tuple[int, Case]]) -> list[tuple[int, Assessment | None]]:
    """The batch in one kernel call, each case alone only if it fails (``engine.isolation``)."""
    out: list[tuple[int, Assessment | None]] = []
    for (i, _), result in zip(valid, batch_or_each([c for _, c in valid], assess_many), strict=True):
        if isinstance(result, Exception):  # reported as this case's error; the others go on
            log.error("assess:batch: case %d failed: %s", i, type(result).__name__)
            out.append((i, None))
        else:
            out.append((i, result))
    return out
