"""``/v1/webhook-endpoints``: manage webhook subscriptions and look into their deliveries.

Thin: each route validates, calls c360.webhooks.endpoints or .messages, and renders. Writes run in a
worker thread (creating or changing a URL resolves its host); reads run where c360 reads run
(api.reads). Secrets appear only in the answers of create and rotate-secret.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, status
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.cache import Rendered
from api.deps import current_key, scope, services_of
from api.examples import WEBHOOK_ENDPOINT_ID, WEBHOOK_MESSAGE_ID
from api.reads import read
from api.responses import conditional, errors, render
from api.routers.params import IfNoneMatch
from api.schemas import (
    MAX_MESSAGE_PAGE,
    QueuedWebhookMessage,
    RecoverWebhookEndpointRequest,
    WebhookAttemptList,
    WebhookEndpoint,
    WebhookEndpointCreate,
    WebhookEndpointList,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
    WebhookMessage,
    WebhookMessagePage,
    WebhookRecovery,
)
from c360.serving.errors import Forbidden
from c360.webhooks import endpoints, messages

router = APIRouter(tags=["webhooks"])
MANAGE = scope("webhooks:manage")
_ID = r"^[A-Za-z0-9_-]{1,64}$"
EndpointId = Annotated[str, Path(pattern=_ID, description="The endpoint's id (ep_…).", examples=[WEBHOOK_ENDPOINT_ID])]
MessageId = Annotated[str, Path(pattern=_ID, description="The message's id (msg_…).", examples=[WEBHOOK_MESSAGE_ID])]


def _json(body: bytes, code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body, status_code=code, media_type="application/json", headers={"Cache-Control": "no-store", **(headers or {})}
    )


async def _get(request: Request, produce: Callable[[], bytes], if_none_match: str | None) -> Response:
    services = services_of(request)
    return conditional(Rendered.of(await read(services.store, produce)), if_none_match, "private, no-cache")


def _plain(record: Any) -> dict[str, Any]:
    return dataclasses.asdict(record)


# The scope model of webhooks (docs/webhooks.md): webhooks:manage manages the endpoints its key created (an
# admin key: all of them); what carries scores and tiers (message payloads, attempts, resends) needs
# scores:read as well, as GET /v1/health-scores does.
def _owner(request: Request) -> endpoints.Owner:
    key = current_key(request)
    return endpoints.ANY if "admin" in key.scopes else key.key_id


async def _mine(request: Request, endpoint_id: str) -> None:
    """EndpointNotFound unless the caller's key owns the endpoint (or is admin)."""
    services, owner = services_of(request), _owner(request)
    await read(services.store, lambda: endpoints.require_owner(services.store, endpoint_id, owner=owner))


def _reads_scores(request: Request) -> None:
    key = current_key(request)
    if not key.allows("scores:read"):
        raise Forbidden(
            "webhook messages carry scores and risk tiers: this operation needs the scores:read scope as well as "
            f"webhooks:manage; this key has {', '.join(sorted(key.scopes))}"
        )


@router.post(
    "/webhook-endpoints",
    operation_id="create_webhook_endpoint",
    summary="Create a webhook endpoint",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookEndpointWithSecret,
    response_description="The endpoint, with its signing secret (shown only now).",
    openapi_extra=MANAGE,
)
async def create_webhook_endpoint(request: Request, body: WebhookEndpointCreate) -> Response:
    """Subscribe a URL to event types. The URL must be https and its host must resolve to public addresses
    only (refused with 422 otherwise). The answer holds the endpoint's `secret`, which is never shown again:
    verify every delivery with it (Standard Webhooks)."""
    services = services_of(request)

    def produce() -> tuple[str, bytes]:
        endpoint, secret = endpoints.create(
            services.store,
            services.settings,
            url=body.url,
            event_types=[str(t) for t in body.event_types],
            description=body.description,
            owner_key_id=current_key(request).key_id,
        )
        return endpoint.id, render(WebhookEndpointWithSecret, {**_plain(endpoint), "secret": secret})

    endpoint_id, rendered = await run_in_threadpool(produce)
    return _json(rendered, 201, {"Location": f"/v1/webhook-endpoints/{endpoint_id}"})


@router.get(
    "/webhook-endpoints",
    operation_id="list_webhook_endpoints",
    summary="List webhook endpoints",
    response_model=WebhookEndpointList,
    response_description="Every endpoint, oldest first.",
    responses=errors(304),
    openapi_extra=MANAGE,
)
async def list_webhook_endpoints(request: Request, if_none_match: IfNoneMatch = None) -> Response:
    """The endpoints this key created (an admin key: every endpoint), with their event types and state; never
    a secret."""
    services, owner = services_of(request), _owner(request)

    def produce() -> bytes:
        found = endpoints.list_endpoints(services.store, owner=owner)
        return render(WebhookEndpointList, {"data": [_plain(e) for e in found]})

    return await _get(request, produce, if_none_match)


@router.get(
    "/webhook-endpoints/{endpoint_id}",
    operation_id="get_webhook_endpoint",
    summary="Get a webhook endpoint",
    response_model=WebhookEndpoint,
    response_description="The endpoint.",
    responses=errors(304, 404),
    openapi_extra=MANAGE,
)
async def get_webhook_endpoint(
    request: Request, endpoint_id: EndpointId, if_none_match: IfNoneMatch = None
) -> Response:
    """The endpoint, and if it is disabled, why."""
    services = services_of(request)
    await _mine(request, endpoint_id)
    return await _get(
        request, lambda: render(WebhookEndpoint, _plain(endpoints.get(services.store, endpoint_id))), if_none_match
    )


@router.patch(
    "/webhook-endpoints/{endpoint_id}",
    operation_id="update_webhook_endpoint",
    summary="Change a webhook endpoint",
    response_model=WebhookEndpoint,
    response_description="The endpoint as changed.",
    responses=errors(404),
    openapi_extra=MANAGE,
)
async def update_webhook_endpoint(request: Request, endpoint_id: EndpointId, body: WebhookEndpointUpdate) -> Response:
    """Change url, event_types, enabled or description (at least one). A new URL is checked like at creation.
    `enabled: true` re-enables an endpoint disabled after a 410 or after failing too long; its pending
    messages are then delivered, and `recover` queues its failed ones again."""
    services = services_of(request)
    await _mine(request, endpoint_id)

    def produce() -> bytes:
        event_types = [str(t) for t in body.event_types] if body.event_types is not None else None
        endpoint = endpoints.update(
            services.store, services.settings, endpoint_id,
            url=body.url, event_types=event_types, enabled=body.enabled, description=body.description,
        )  # fmt: skip
        return render(WebhookEndpoint, _plain(endpoint))

    return _json(await run_in_threadpool(produce))


@router.delete(
    "/webhook-endpoints/{endpoint_id}",
    operation_id="delete_webhook_endpoint",
    summary="Delete a webhook endpoint",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    response_description="Deleted, with its messages and their attempts.",
    responses=errors(404),
    openapi_extra=MANAGE,
)
async def delete_webhook_endpoint(request: Request, endpoint_id: EndpointId) -> Response:
    """Stop sending to the endpoint and forget it, its messages and their attempts."""
    services = services_of(request)
    await _mine(request, endpoint_id)
    await run_in_threadpool(endpoints.delete, services.store, endpoint_id)
    return Response(status_code=204, headers={"Cache-Control": "no-store"})


@router.post(
    "/webhook-endpoints/{endpoint_id}/rotate-secret",
    operation_id="rotate_webhook_endpoint_secret",
    summary="Rotate an endpoint's signing secret",
    response_model=WebhookEndpointWithSecret,
    response_description="The endpoint with its new secret (shown only now).",
    responses=errors(404),
    openapi_extra=MANAGE,
)
async def rotate_webhook_endpoint_secret(request: Request, endpoint_id: EndpointId) -> Response:
    """A new secret. For C360_WEBHOOK_SECRET_GRACE (24 h) the previous secret keeps signing beside it, so the
    webhook-signature header carries two signatures and receivers can switch secrets without a gap."""
    services = services_of(request)
    await _mine(request, endpoint_id)

    def produce() -> bytes:
        endpoint, secret = endpoints.rotate_secret(services.store, services.settings, endpoint_id)
        return render(WebhookEndpointWithSecret, {**_plain(endpoint), "secret": secret})

    return _json(await run_in_threadpool(produce))


@router.post(
    "/webhook-endpoints/{endpoint_id}/test",
    operation_id="send_test_webhook",
    summary="Send a test event to an endpoint",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=QueuedWebhookMessage,
    response_description="The queued webhook.test message; a running worker delivers it within a second.",
    responses=errors(404),
    openapi_extra=MANAGE,
)
async def send_test_webhook(request: Request, endpoint_id: EndpointId) -> Response:
    """Queue a `webhook.test` event for this endpoint, whatever its event types; follow it with
    list_webhook_message_attempts."""
    services = services_of(request)
    await _mine(request, endpoint_id)
    message = await run_in_threadpool(messages.send_test, services.store, endpoint_id)
    return _json(render(QueuedWebhookMessage, {**_plain(message), "hint": messages.QUEUED_HINT}), 202)


@router.get(
    "/webhook-endpoints/{endpoint_id}/messages",
    operation_id="list_webhook_messages",
    summary="List an endpoint's messages",
    response_model=WebhookMessagePage,
    response_description="One page of messages, newest first.",
    responses=errors(304, 404),
    openapi_extra=MANAGE,
)
async def list_webhook_messages(
    request: Request,
    endpoint_id: EndpointId,
    status: Annotated[
        Literal["pending", "delivered", "failed"] | None, Query(description="Only messages in this state.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_MESSAGE_PAGE, description="Page size.")] = 50,
    cursor: Annotated[
        str | None, Query(pattern=r"^[0-9]{1,18}$", description="next_cursor of the previous page.")
    ] = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The events queued for this endpoint with their delivery state, newest first. Their payloads are scores
    and tiers: this needs the scores:read scope as well as webhooks:manage."""
    services = services_of(request)
    _reads_scores(request)
    await _mine(request, endpoint_id)

    def produce() -> bytes:
        page, next_cursor = messages.list_messages(
            services.store, endpoint_id, status=status, limit=limit, cursor=cursor
        )
        return render(WebhookMessagePage, {"data": [_plain(m) for m in page], "next_cursor": next_cursor})

    return await _get(request, produce, if_none_match)


@router.get(
    "/webhook-endpoints/{endpoint_id}/messages/{msg_id}/attempts",
    operation_id="list_webhook_message_attempts",
    summary="List a message's delivery attempts",
    response_model=WebhookAttemptList,
    response_description="The attempts, newest first.",
    responses=errors(304, 404),
    openapi_extra=MANAGE,
)
async def list_webhook_message_attempts(
    request: Request, endpoint_id: EndpointId, msg_id: MessageId, if_none_match: IfNoneMatch = None
) -> Response:
    """Every attempt: when, the HTTP status, the latency, the first 2 KB of the response or the error. Needs
    the scores:read scope as well as webhooks:manage (a receiver may echo the payload)."""
    services = services_of(request)
    _reads_scores(request)
    await _mine(request, endpoint_id)

    def produce() -> bytes:
        attempts = messages.list_attempts(services.store, endpoint_id, msg_id)
        return render(WebhookAttemptList, {"data": [_plain(a) for a in attempts]})

    return await _get(request, produce, if_none_match)


@router.post(
    "/webhook-endpoints/{endpoint_id}/messages/{msg_id}/resend",
    operation_id="resend_webhook_message",
    summary="Send a message again",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=WebhookMessage,
    response_description="The message, queued again.",
    responses=errors(404),
    openapi_extra=MANAGE,
)
async def resend_webhook_message(request: Request, endpoint_id: EndpointId, msg_id: MessageId) -> Response:
    """Queue the message again now (delivered or failed alike), with the same webhook-id and body and a
    fresh retry schedule. A message being delivered at this moment is left to that attempt. Needs the
    scores:read scope as well as webhooks:manage (the answer holds the payload)."""
    services = services_of(request)
    _reads_scores(request)
    await _mine(request, endpoint_id)
    message = await run_in_threadpool(messages.resend, services.store, endpoint_id, msg_id)
    return _json(render(WebhookMessage, _plain(message)), 202)


@router.post(
    "/webhook-endpoints/{endpoint_id}/recover",
    operation_id="recover_webhook_endpoint",
    summary="Send an endpoint's failed messages again",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=WebhookRecovery,
    response_description="How many failed messages were queued again.",
    responses=errors(404),
    openapi_extra=MANAGE,
)
async def recover_webhook_endpoint(
    request: Request, endpoint_id: EndpointId, body: RecoverWebhookEndpointRequest
) -> Response:
    """Queue again every failed message of the endpoint created at or after `since`, each with a fresh retry
    schedule: after an outage, once the receiver is back (and the endpoint re-enabled if it was disabled)."""
    services = services_of(request)
    await _mine(request, endpoint_id)
    count = await run_in_threadpool(messages.recover, services.store, endpoint_id, since=body.since)
    return _json(render(WebhookRecovery, {"requeued": count}), 202)
