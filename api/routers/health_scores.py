"""Health scores: one subscriber's, its history, the paged list, the change feed and batch lookups."""

from __future__ import annotations

import functools
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.cache import score_key
from api.deps import Services, current_key, scope, services_of
from api.reads import read
from api.responses import cached_json, errors, render
from api.routers.params import IfNoneMatch, IsoDateTime, SubscriberIdPath
from api.schemas import (
    MAX_PAGE,
    BatchGetHealthScoresRequest,
    BatchGetHealthScoresResponse,
    HealthScore,
    HealthScoreChanges,
    HealthScoreHistory,
    HealthScorePage,
    RiskTier,
)
from c360.serving import feed, queries
from c360.serving.cursor import CURSOR_PATTERN
from c360.serving.errors import Forbidden
from c360.serving.rendered import to_json

router = APIRouter(tags=["health-scores"])
SCORES_READ = "scores:read"
SCORES = scope(SCORES_READ)
FEED_PAGE = 500  # the change feed's default page
MAX_TOKEN = 512  # the longest cursor or sync token the contract accepts


@router.get(
    "/subscribers/{subscriber_id}/health-score",
    operation_id="get_health_score",
    summary="Get a subscriber's health score",
    response_model=HealthScore,
    response_description="The served health score.",
    responses=errors(304, 404),
    openapi_extra=SCORES,
)
async def get_health_score(
    request: Request, subscriber_id: SubscriberIdPath, if_none_match: IfNoneMatch = None
) -> Response:
    """Churn risk score, risk tier (and the tier in the previously served run), score date, model and the
    drivers of the score."""
    services = services_of(request)
    run = queries.require_run(await services.runs.current())
    produce = functools.partial(score_body, services, run, subscriber_id)
    return await cached_json(services, score_key(run.key, subscriber_id), produce, if_none_match)


def score_body(services: Services, run: queries.ServedRun, subscriber_id: str) -> bytes:
    """The body of ``get_health_score``, for the route and its fast path (api.fastpath) alike."""
    # the score as rendered at publish: converting the row, then validating and serializing it again, cost most of
    # a lookup with the cache off; a removed subscriber's last score is rendered from its tombstone
    stored = queries.get_health_score_rendered(services.store, run=run, subscriber_id=subscriber_id)
    if stored is not None:
        return stored.encode()
    return render(HealthScore, queries.removed_health_score(services.store, run=run, subscriber_id=subscriber_id))


@router.get(
    "/subscribers/{subscriber_id}/health-score/history",
    operation_id="get_health_score_history",
    summary="Get a subscriber's earlier health scores",
    response_model=HealthScoreHistory,
    response_description="The subscriber's scores, newest first.",
    responses=errors(304, 404),
    openapi_extra=SCORES,
)
async def get_health_score_history(
    request: Request,
    subscriber_id: SubscriberIdPath,
    limit: Annotated[int, Query(ge=1, le=365, description="Most scores to return.")] = 30,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """One score per score_date, newest first, starting with the served one."""
    services = services_of(request)
    run = queries.require_run(await services.runs.current())

    def produce() -> bytes:
        history = queries.get_history(services.store, run=run, subscriber_id=subscriber_id, limit=limit)
        return render(HealthScoreHistory, {"subscriber_id": subscriber_id, "data": history})

    return await cached_json(services, f"history:{run.key}:{subscriber_id}:{limit}", produce, if_none_match)


@router.get(
    "/health-scores",
    operation_id="list_health_scores",
    summary="List health scores, page by page",
    response_model=HealthScorePage,
    response_description="One page, and the cursor of the next.",
    responses=errors(304, 400, 410),
    openapi_extra=SCORES,
)
async def list_health_scores(
    request: Request,
    risk_tier: Annotated[RiskTier | None, Query(description="Only this tier, e.g. High for the daily list.")] = None,
    min_score: Annotated[float | None, Query(ge=0, le=1, description="Only scores at or above this.")] = None,
    updated_since: Annotated[
        IsoDateTime | None,
        Query(
            description="Only subscribers whose score, tier or model changed at or after this time (UTC if "
            "no offset). A convenience for ad-hoc questions; to keep a copy in sync use "
            "GET /v1/health-scores/changes, which misses no publish and never depends on clocks."
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = 100,
    cursor: Annotated[
        str | None,
        Query(
            max_length=512,
            pattern=CURSOR_PATTERN,
            description="next_cursor of the previous page, unchanged; repeat the same filters. Opaque and signed: "
            "a string of this pattern that this API did not return is refused with 400.",
        ),
    ] = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Scores of the served run ordered by subscriber_id. A cursor pins the run it started on, so paging
    to the end yields every matching subscriber exactly once even if a new run is published meanwhile."""
    services = services_of(request)
    run = await services.runs.current()
    key = f"list:{run.key if run else None}:{risk_tier}:{min_score}:{updated_since}:{limit}:{cursor}"

    def produce() -> bytes:
        page = queries.list_health_scores(
            services.store, run=run, cursor=cursor, cursor_key=services.cursor_key, limit=limit,
            risk_tier=risk_tier, min_score=min_score, updated_since=updated_since,
        )  # fmt: skip
        return render(HealthScorePage, {"data": page.data, "next_cursor": page.next_cursor})

    return await cached_json(services, key, produce, if_none_match)


@router.get(
    "/health-scores/changes",
    operation_id="list_health_score_changes",
    summary="Sync a copy of the served scores: everything once, then only what changed",
    response_model=HealthScoreChanges,
    response_description="One page of changes; the last page carries next_sync_token.",
    responses=errors(304, 400, 403, 410),
    openapi_extra=SCORES,
)
async def list_health_score_changes(
    request: Request,
    sync_token: Annotated[
        str | None,
        Query(
            max_length=MAX_TOKEN,
            pattern=CURSOR_PATTERN,
            description="next_sync_token of your previous sync; omit it for a full sync.",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = FEED_PAGE,
    cursor: Annotated[
        str | None,
        Query(
            max_length=MAX_TOKEN, pattern=CURSOR_PATTERN, description="next_cursor of the previous page of this sync."
        ),
    ] = None,
    include: Annotated[
        Literal["profile"] | None,
        Query(description="profile: each upsert carries the subscriber's profile (needs profiles:read too)."),
    ] = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Without sync_token, every subscriber served now; with one, exactly those whose served score, tier,
    model or removal changed since it, each once at its latest state. Page with next_cursor to the
    last page and keep its next_sync_token. Every page of a sync reads the same served version, so a
    publish while you page is in your next sync, never half in this one. A token older than the
    retained history (C360_CHANGES_RETENTION_RUNS publishes) or not issued by this API answers 410:
    sync from scratch."""
    if include == "profile" and not current_key(request).allows("profiles:read"):
        raise Forbidden("include=profile needs the profiles:read scope as well as scores:read")
    return await changes_page(
        services_of(request), sync_token=sync_token, cursor=cursor, limit=limit, include_profile=include == "profile",
        if_none_match=if_none_match,
    )  # fmt: skip


async def changes_page(
    services: Services,
    *,
    sync_token: str | None,
    cursor: str | None,
    limit: int,
    include_profile: bool,
    if_none_match: str | None,
) -> Response:
    """One page of the change feed, for the route and its fast path (api.fastpath) alike."""
    run = await services.runs.current()
    key = f"changes:{run.key if run else None}:{sync_token}:{cursor}:{limit}:{'profile' if include_profile else None}"

    def produce() -> bytes:
        # the page is assembled from the health scores rendered at publish (c360.serving.rendered): at hundreds
        # of scores per page, validating each through the response model again would cost more than the read
        return feed.read_changes(
            services.store, run=run, key=services.cursor_key, sync_token=sync_token, cursor=cursor, limit=limit,
            include_profile=include_profile,
        ).body()  # fmt: skip

    return await cached_json(services, key, produce, if_none_match)


@router.post(
    "/health-scores/batch-get",
    operation_id="batch_get_health_scores",
    summary="Get the health scores of many subscribers",
    response_model=BatchGetHealthScoresResponse,
    response_description="The scores found, and the ids without one.",
    responses=errors(404),
    openapi_extra=SCORES,
)
async def batch_get_health_scores(request: Request, body: BatchGetHealthScoresRequest) -> Response:
    """Up to 500 ids; duplicates are answered once. Ids without a score in the served run are listed in
    `missing`."""
    return await batch_scores(services_of(request), body.subscriber_ids)


async def batch_scores(services: Services, subscriber_ids: list[str]) -> Response:
    """The batch-get answer, for the route and its fast path (api.fastpath) alike."""
    run = queries.require_run(await services.runs.current())

    def produce() -> bytes:
        # the scores as rendered at publish (c360.serving.rendered), joined: validating and serializing a hundred
        # models again would cost more than the read (the feed's pages are assembled the same way)
        data, missing = queries.batch_get_rendered(services.store, run=run, subscriber_ids=subscriber_ids)
        return ('{"data":[' + ",".join(data) + '],"missing":').encode() + to_json(missing) + b"}"

    body_bytes = await read(services.store, produce)
    return Response(body_bytes, media_type="application/json", headers={"Cache-Control": "no-store"})
