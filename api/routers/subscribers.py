"""``/v1/subscribers/{subscriber_id}`` and ``/v1/subscribers/batch-get``: 360 profiles."""

from __future__ import annotations

import functools

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.cache import profile_key
from api.deps import Services, scope, services_of
from api.reads import read
from api.responses import cached_json, errors, render
from api.routers.params import IfNoneMatch, SubscriberIdPath
from api.schemas import BatchGetProfilesRequest, BatchGetProfilesResponse, SubscriberProfile
from c360.serving import queries

router = APIRouter(tags=["subscribers"])
PROFILES = scope("profiles:read")


@router.get(
    "/subscribers/{subscriber_id}",
    operation_id="get_subscriber_profile",
    summary="Get a subscriber's 360 profile",
    response_model=SubscriberProfile,
    response_description="The profile, with the served health score.",
    responses=errors(304, 404),
    openapi_extra=PROFILES,
)
async def get_subscriber_profile(
    request: Request, subscriber_id: SubscriberIdPath, if_none_match: IfNoneMatch = None
) -> Response:
    """Status, plan, tenure, lifetime value, segment, 30-day engagement, recent support tickets and the
    current health score, as of the served scoring run."""
    services = services_of(request)
    run = queries.require_run(await services.runs.current())
    produce = functools.partial(profile_body, services, run, subscriber_id)
    return await cached_json(services, profile_key(run.key, subscriber_id), produce, if_none_match)


def profile_body(services: Services, run: queries.ServedRun, subscriber_id: str) -> bytes:
    """The body of ``get_subscriber_profile``, for the route and its fast path (api.fastpath) alike."""
    return render(SubscriberProfile, queries.get_profile(services.store, run=run, subscriber_id=subscriber_id))


@router.post(
    "/subscribers/batch-get",
    operation_id="batch_get_subscriber_profiles",
    summary="Get the 360 profiles of many subscribers",
    response_model=BatchGetProfilesResponse,
    response_description="The profiles found, and the unknown ids.",
    responses=errors(404),
    openapi_extra=PROFILES,
)
async def batch_get_subscriber_profiles(request: Request, body: BatchGetProfilesRequest) -> Response:
    """Up to 500 ids; duplicates are answered once, in request order. Cancelled subscribers are included
    (status cancelled, their last score marked removed); ids the served run does not know are in
    `missing`."""
    services = services_of(request)
    run = queries.require_run(await services.runs.current())

    def produce() -> bytes:
        data, missing = queries.get_profiles(services.store, run=run, subscriber_ids=body.subscriber_ids)
        return render(BatchGetProfilesResponse, {"data": data, "missing": missing})

    return Response(
        await read(services.store, produce), media_type="application/json", headers={"Cache-Control": "no-store"}
    )
