"""Operations endpoints, open without a key: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.cache import Rendered
from api.deps import services_of
from api.reads import read
from api.responses import conditional, errors, render
from api.routers.params import IfNoneMatch
from api.schemas import Liveness, Readiness
from c360.serving.errors import ServingStoreUnavailable
from c360.serving.queries import current_run, day_end

router = APIRouter(tags=["operations"])
_LIVE = Rendered.of(render(Liveness, {"status": "ok"}))
READY_WITHIN = 5.0  # seconds /readyz waits for the serving store before it says it is not ready


@router.get(
    "/healthz",
    operation_id="get_liveness",
    summary="Is the process alive",
    response_model=Liveness,
    response_description="Alive.",
    responses=errors(304),
)
async def healthz(if_none_match: IfNoneMatch = None) -> Response:
    """Always 200 while the process serves requests."""
    return conditional(_LIVE, if_none_match, "no-cache")


@router.get(
    "/readyz",
    operation_id="get_readiness",
    summary="Can the API serve",
    response_model=Readiness,
    response_description="Ready, with the served run and its age.",
    responses=errors(304, 503),
)
async def readyz(request: Request, if_none_match: IfNoneMatch = None) -> Response:
    """200 when the serving store answers (503 when not). `stale` is true when no run is served yet or the
    served run's score_date ended (midnight UTC after it) more than C360_SERVED_RUN_MAX_AGE_HOURS (30 h)
    ago: what counts is the day the scores describe, not when they were computed, so a backfill or a
    rescoring of an old day never looks fresh."""
    services = services_of(request)
    try:  # not the cached view: readiness is about now; and bounded, so a store that hangs is not ready either
        run = await asyncio.wait_for(read(services.store, lambda: current_run(services.store)), READY_WITHIN)
    except TimeoutError:
        raise ServingStoreUnavailable(f"the serving store did not answer within {READY_WITHIN:g} s") from None
    age = (datetime.now(UTC) - day_end(run.score_date)).total_seconds() / 3600 if run else None
    body = {
        "status": "ready",
        "run_id": run.run_id if run else None,
        "score_date": run.score_date if run else None,
        "scored_at": run.scored_at if run else None,
        "age_hours": round(age, 3) if age is not None else None,
        "max_age_hours": services.settings.served_run_max_age_hours,
        "stale": age is None or age > services.settings.served_run_max_age_hours,
    }
    return conditional(Rendered.of(render(Readiness, body)), if_none_match, "no-cache")


@router.get(
    "/metrics",
    operation_id="get_metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Exposition text."}},
)
async def metrics(request: Request) -> Response:
    """Requests and latency by route and status, cache hit ratio, age of the served run. Never cached and
    without an ETag: every scrape is new."""
    services = services_of(request)
    body = await run_in_threadpool(services.metrics.render, services.run_collector)
    return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8", headers={"Cache-Control": "no-store"})
