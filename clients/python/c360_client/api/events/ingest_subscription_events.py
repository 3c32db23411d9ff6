from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.events_accepted import EventsAccepted
from ...models.problem import Problem
from ...models.subscription_event_batch import SubscriptionEventBatch
from ...types import Response


def _get_kwargs(
    *,
    body: SubscriptionEventBatch,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/events/subscription",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventsAccepted | Problem | None:
    if response.status_code == 202:
        response_202 = EventsAccepted.from_dict(response.json())

        return response_202

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EventsAccepted | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SubscriptionEventBatch,
) -> Response[EventsAccepted | Problem]:
    """Send subscription events

     Up to 1,000 events, each validated on its own against the SubscriptionEvent schema. The valid ones
    are stored durably before this answers; the worker lands them in RAW_SUBSCRIBER_EVENTS and staging
    within seconds. Rejected events are listed with their index and the reason.

    Scope: `events:write`.

    Args:
        body (SubscriptionEventBatch): Subscription events to ingest; each must be a JSON object
            and is validated on its own
            against the SubscriptionEvent schema (extra keys are kept).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsAccepted | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SubscriptionEventBatch,
) -> EventsAccepted | Problem | None:
    """Send subscription events

     Up to 1,000 events, each validated on its own against the SubscriptionEvent schema. The valid ones
    are stored durably before this answers; the worker lands them in RAW_SUBSCRIBER_EVENTS and staging
    within seconds. Rejected events are listed with their index and the reason.

    Scope: `events:write`.

    Args:
        body (SubscriptionEventBatch): Subscription events to ingest; each must be a JSON object
            and is validated on its own
            against the SubscriptionEvent schema (extra keys are kept).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsAccepted | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SubscriptionEventBatch,
) -> Response[EventsAccepted | Problem]:
    """Send subscription events

     Up to 1,000 events, each validated on its own against the SubscriptionEvent schema. The valid ones
    are stored durably before this answers; the worker lands them in RAW_SUBSCRIBER_EVENTS and staging
    within seconds. Rejected events are listed with their index and the reason.

    Scope: `events:write`.

    Args:
        body (SubscriptionEventBatch): Subscription events to ingest; each must be a JSON object
            and is validated on its own
            against the SubscriptionEvent schema (extra keys are kept).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsAccepted | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SubscriptionEventBatch,
) -> EventsAccepted | Problem | None:
    """Send subscription events

     Up to 1,000 events, each validated on its own against the SubscriptionEvent schema. The valid ones
    are stored durably before this answers; the worker lands them in RAW_SUBSCRIBER_EVENTS and staging
    within seconds. Rejected events are listed with their index and the reason.

    Scope: `events:write`.

    Args:
        body (SubscriptionEventBatch): Subscription events to ingest; each must be a JSON object
            and is validated on its own
            against the SubscriptionEvent schema (extra keys are kept).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsAccepted | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
