"""``/v1/subscribers/{subscriber_id}``: the 360 profile."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.cache import profile_key
from api.deps import scope, services
from api.responses import cached_json, errors, render
from api.routers.params import IfNoneMatch, SubscriberIdPath
from api.schemas import SubscriberProfile
from c360.serving import queries

router = APIRouter(tags=["subscribers"])


@router.get(
    "/subscribers/{subscriber_id}",
    operation_id="get_subscriber_profile",
    summary="Get a subscriber's 360 profile",
    response_model=SubscriberProfile,
    response_description="The profile, with the served health score.",
    responses=errors(304, 404),
    openapi_extra=scope("profiles:read"),
)
async def get_subscriber_profile(
    request: Request, subscriber_id: SubscriberIdPath, if_none_match: IfNoneMatch = None
) -> Response:
    """Status, plan, tenure, lifetime value, segment, 30-day engagement, recent support tickets and the
    current health score, as of the served scoring run."""
    app = services(request)
    run = queries.require_run(await app.runs.current())

    def produce() -> bytes:
        return render(SubscriberProfile, queries.get_profile(app.store, run=run, subscriber_id=subscriber_id))

    return await cached_json(app, profile_key(run.seq, subscriber_id), produce, if_none_match)
