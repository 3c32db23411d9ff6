"""``/v1/subscribers/{subscriber_id}/engagement`` and ``/tickets``: a subscriber's recent activity, as of the
served run (published with it; c360.serving.activity)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.activity_schemas import SubscriberEngagement, SubscriberTickets
from api.deps import scope, services_of
from api.responses import cached_json, errors, render
from api.routers.params import IfNoneMatch, SubscriberIdPath
from c360.serving import activity
from c360.serving.queries import require_run

router = APIRouter(tags=["subscribers"])
PROFILES = scope("profiles:read")


@router.get(
    "/subscribers/{subscriber_id}/engagement",
    operation_id="get_subscriber_engagement",
    summary="Get a subscriber's reading per day over 90 days",
    response_model=SubscriberEngagement,
    response_description="The days with reading, oldest first.",
    responses=errors(304, 404),
    openapi_extra=PROFILES,
)
async def get_subscriber_engagement(
    request: Request, subscriber_id: SubscriberIdPath, if_none_match: IfNoneMatch = None
) -> Response:
    """Views, articles and seconds read per day over the 90 days ending the served run's score_date (days
    without reading are left out), as published with the run."""
    services = services_of(request)
    run = require_run(await services.runs.current())

    def produce() -> bytes:
        return render(SubscriberEngagement, activity.engagement(services.store, run=run, subscriber_id=subscriber_id))

    return await cached_json(services, f"engagement:{run.key}:{subscriber_id}", produce, if_none_match)


@router.get(
    "/subscribers/{subscriber_id}/tickets",
    operation_id="list_subscriber_tickets",
    summary="List a subscriber's latest support tickets",
    response_model=SubscriberTickets,
    response_description="The tickets, newest first.",
    responses=errors(304, 404),
    openapi_extra=PROFILES,
)
async def list_subscriber_tickets(
    request: Request,
    subscriber_id: SubscriberIdPath,
    limit: Annotated[int, Query(ge=1, le=activity.MAX_TICKETS, description="How many tickets, newest first.")] = 10,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The latest support tickets created by the served run's score_date (at most 20 are published per
    subscriber), with channel, category, priority, status as of that day, and the hours to resolve."""
    services = services_of(request)
    run = require_run(await services.runs.current())

    def produce() -> bytes:
        body = activity.tickets(services.store, run=run, subscriber_id=subscriber_id, limit=limit)
        return render(SubscriberTickets, body)

    return await cached_json(services, f"tickets:{run.key}:{subscriber_id}:{limit}", produce, if_none_match)
