"""``/v1/events/subscription``: the real-time path of subscription events into the warehouse."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.deps import current_key, scope, services_of
from api.responses import accepted, errors, render
from api.schemas import EventsAccepted, SubscriptionEventBatch
from c360.serving.events import validate_events
from c360.sources import inbox

router = APIRouter(tags=["events"])


@router.post(
    "/events/subscription",
    operation_id="ingest_subscription_events",
    summary="Send subscription events",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=EventsAccepted,
    response_description="How many events were stored for ingestion, and which were rejected and why.",
    responses=errors(413),
    openapi_extra=scope("events:write"),
)
async def ingest_subscription_events(request: Request, body: SubscriptionEventBatch) -> Response:
    """Up to 1,000 events, each validated on its own against the SubscriptionEvent schema. The valid ones
    are stored durably before this answers; the worker lands them in RAW_SUBSCRIBER_EVENTS and staging
    within seconds. Rejected events are listed with their index and the reason."""
    services, key = services_of(request), current_key(request)

    def produce() -> bytes:
        payloads, rejected = validate_events(body.events)
        batch_id = inbox.accept(services.store, payloads=payloads, key_id=key.key_id)
        refused = [{"index": r.index, "reason": r.reason} for r in rejected]
        return render(EventsAccepted, {"batch_id": batch_id, "accepted": len(payloads), "rejected": refused})

    return accepted(await run_in_threadpool(produce))
