"""``/v1/analytics``: the dashboard's aggregates, published with each run, and webhook delivery statistics."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from api.analytics_schemas import (
    CohortAnalysis,
    DriftHistory,
    EngagementGrain,
    EngagementSplit,
    EngagementTrends,
    Leaderboard,
    ModelFeatureImportance,
    RiskTierHistory,
    WebhookStatistics,
)
from api.cache import Rendered
from api.deps import current_key, scope, services_of
from api.reads import read
from api.responses import cache_control, cached_json, conditional, errors, render
from api.routers.params import IfNoneMatch
from api.schemas import RiskTier
from c360.serving import analytics_queries as queries
from c360.serving.queries import require_run
from c360.serving.store import Store, utcnow
from c360.webhooks import statistics

router = APIRouter(prefix="/analytics", tags=["analytics"])
READ = scope("analytics:read")
WEBHOOK_DAYS = 30
MAX_LEADERBOARD = 10_000


async def _published(
    request: Request, name: str, model: type[BaseModel], reader: Callable[[Store], Any], if_none_match: str | None
) -> Response:
    """``model`` of ``reader(store)``, cached until the next publish (or backfill) under ``name``."""
    services = services_of(request)
    run = await services.runs.current()
    key = f"analytics:{name}:{run.key if run else None}"
    return await cached_json(services, key, lambda: render(model, reader(services.store)), if_none_match)


@router.get(
    "/risk-tiers/history",
    operation_id="get_risk_tier_history",
    summary="Get tier counts and mean score per score date",
    response_model=RiskTierHistory,
    response_description="One entry per score date, oldest first.",
    responses=errors(304),
    openapi_extra=READ,
)
async def get_risk_tier_history(request: Request, if_none_match: IfNoneMatch = None) -> Response:
    """How many subscribers were High, Medium and Low risk on each score date, and their mean churn risk
    score: from the scoring monitor and each published run, as of the last publish."""
    return await _published(
        request, "tiers", RiskTierHistory, lambda store: {"data": queries.risk_tier_history(store)}, if_none_match
    )


@router.get(
    "/engagement",
    operation_id="get_engagement_trends",
    summary="Get views, readers and time spent per day or week",
    response_model=EngagementTrends,
    response_description="Engagement per period and group, oldest first, and the bot views filtered.",
    responses=errors(304),
    openapi_extra=READ,
)
async def get_engagement_trends(
    request: Request,
    grain: Annotated[EngagementGrain, Query(description="day, or week (starting Monday).")] = EngagementGrain.DAY,
    by: Annotated[EngagementSplit, Query(description="Split by plan, segment or device.")] = EngagementSplit.PLAN,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Human article views, distinct readers and seconds read over the 26 weeks ending the served run's score
    date (FCT_ENGAGEMENT_DAILY and STG_CONTENT_ENGAGEMENT), split by plan, demographic segment or device, with
    the bot views staging filtered out."""
    return await _published(
        request,
        f"engagement:{grain.value}:{by.value}",
        EngagementTrends,
        lambda store: queries.engagement(store, grain=grain.value, by=by.value),
        if_none_match,
    )


@router.get(
    "/cohorts",
    operation_id="get_cohort_analysis",
    summary="Get signup-month cohorts: retention and churn rate",
    response_model=CohortAnalysis,
    response_description="The retention matrix and churn per cohort, plan and segment.",
    responses=errors(304),
    openapi_extra=READ,
)
async def get_cohort_analysis(
    request: Request,
    by: Annotated[str, Query(description="How cohorts are formed.", pattern="^signup_month$")] = "signup_month",
    metric: Annotated[str, Query(description="What the matrix holds.", pattern="^retention$")] = "retention",
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Subscribers grouped by signup month: the share still subscribed each month after signing up, and the
    share cancelled by the served run's score date per cohort, plan and segment (from the run's profiles)."""
    return await _published(request, "cohorts", CohortAnalysis, queries.cohorts, if_none_match)


@router.get(
    "/models/{model_version}/feature-importance",
    operation_id="get_feature_importance",
    summary="Get a model's global feature importance",
    response_model=ModelFeatureImportance,
    response_description="Features, most important first.",
    responses=errors(304, 404),
    openapi_extra=READ,
)
async def get_feature_importance(
    request: Request,
    model_version: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9._:+-]+$")],
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Mean |SHAP| of each feature on the model's test split (CHURN_FEATURE_IMPORTANCE), with readable
    labels. 404 for a model the registry does not hold."""
    return await _published(
        request,
        f"importance:{model_version}",
        ModelFeatureImportance,
        lambda store: queries.feature_importance(store, model_version=model_version),
        if_none_match,
    )


@router.get(
    "/drift",
    operation_id="get_feature_drift",
    summary="Get feature drift (PSI) per score date",
    response_model=DriftHistory,
    response_description="PSI per feature per score date, oldest first.",
    responses=errors(304),
    openapi_extra=READ,
)
async def get_feature_drift(request: Request, if_none_match: IfNoneMatch = None) -> Response:
    """The population stability index of each model feature in each day's scoring run against the training
    population (FCT_SCORING_MONITOR); above 0.2 the monitoring task raises an alert."""
    return await _published(request, "drift", DriftHistory, lambda store: {"data": queries.drift(store)}, if_none_match)


@router.get(
    "/webhooks",
    operation_id="get_webhook_statistics",
    summary="Get delivery statistics per webhook endpoint",
    response_model=WebhookStatistics,
    response_description="One entry per endpoint.",
    responses=errors(304),
    openapi_extra=READ,
)
async def get_webhook_statistics(request: Request, if_none_match: IfNoneMatch = None) -> Response:
    """Per webhook endpoint: messages by status, success rate and latency of the delivery attempts of the
    last 30 days, attempts per day, and the most recent failed attempts, with the receivers' responses for a
    key that also has scores:read (a receiver may echo the payload: scores and tiers). Live: these change with
    every delivery, not only at a publish."""
    services = services_of(request)
    responses = current_key(request).allows("scores:read")

    def produce() -> bytes:
        data = statistics.webhook_statistics(services.store, now=utcnow(), days=WEBHOOK_DAYS, responses=responses)
        return render(WebhookStatistics, {"data": data})

    entry = Rendered.of(await read(services.store, produce))
    return conditional(entry, if_none_match, cache_control(services.settings))


@router.get(
    "/leaderboard",
    operation_id="get_churn_risk_leaderboard",
    summary="Get the riskiest subscribers, filtered by tier, plan, segment and score",
    response_model=Leaderboard,
    response_description="Scored subscribers of the served run, riskiest first.",
    responses=errors(304, 404),
    openapi_extra=READ,
)
async def get_churn_risk_leaderboard(
    request: Request,
    risk_tier: Annotated[list[RiskTier] | None, Query(max_length=3, description="Only these tiers.")] = None,
    plan: Annotated[list[str] | None, Query(max_length=50, description="Only these plans.")] = None,
    segment: Annotated[list[str] | None, Query(max_length=50, description="Only these demographic segments.")] = None,
    min_score: Annotated[float | None, Query(ge=0, le=1, description="Only scores at or above this.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LEADERBOARD, description="At most this many subscribers.")] = 100,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The served run's scored subscribers matching every filter given, by churn risk score, highest first,
    with plan, segment, tenure, lifetime value and the top driver: the audience a retention campaign exports.
    404 before the first publish."""
    services = services_of(request)
    run = require_run(await services.runs.current())
    tiers = [t.value for t in risk_tier] if risk_tier else None
    asked = hashlib.sha256(repr((tiers, plan, segment, min_score, limit)).encode()).hexdigest()
    key = f"analytics:leaderboard:{run.key}:{asked}"

    def produce() -> bytes:
        rows = queries.leaderboard(
            services.store,
            run_seq=run.seq,
            limit=limit,
            risk_tiers=tiers,
            plans=plan,
            segments=segment,
            min_score=min_score,
        )
        return render(Leaderboard, {"score_date": run.score_date, "run_id": run.run_id, "data": rows})

    return await cached_json(services, key, produce, if_none_match)
