"""``/v1/risk-tiers``: thresholds and counts of the served run."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import scope, services_of
from api.responses import cached_json, errors, render
from api.routers.params import IfNoneMatch
from api.schemas import RiskTiers
from c360.serving import queries

router = APIRouter(tags=["risk-tiers"])


@router.get(
    "/risk-tiers",
    operation_id="get_risk_tiers",
    summary="Get the risk tiers of the served run",
    response_model=RiskTiers,
    response_description="Thresholds and counts per tier.",
    responses=errors(304, 404),
    openapi_extra=scope("scores:read"),
)
async def get_risk_tiers(request: Request, if_none_match: IfNoneMatch = None) -> Response:
    """Score thresholds of High, Medium and Low, how many subscribers are in each, and the score_date of
    the served run. 404 before the first publish."""
    services = services_of(request)
    run = queries.require_run(await services.runs.current())
    return await cached_json(
        services, f"tiers:{run.key}", lambda: render(RiskTiers, queries.risk_tiers(run)), if_none_match
    )
