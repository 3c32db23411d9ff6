from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_endpoint import WebhookEndpoint
from ...models.webhook_endpoint_update import WebhookEndpointUpdate
from ...types import Response


def _get_kwargs(
    endpoint_id: str,
    *,
    body: WebhookEndpointUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/webhook-endpoints/{endpoint_id}".format(
            endpoint_id=quote(str(endpoint_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookEndpoint | None:
    if response.status_code == 200:
        response_200 = WebhookEndpoint.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Problem | WebhookEndpoint]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointUpdate,
) -> Response[Problem | WebhookEndpoint]:
    """Change a webhook endpoint

     Change url, event_types, enabled or description (at least one). A new URL is checked like at
    creation.
    `enabled: true` re-enables an endpoint disabled after a 410 or after failing too long; its pending
    messages are then delivered, and `recover` queues its failed ones again.

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        body (WebhookEndpointUpdate): The fields to change; at least one. Setting enabled to true
            re-enables a disabled endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookEndpoint]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointUpdate,
) -> Problem | WebhookEndpoint | None:
    """Change a webhook endpoint

     Change url, event_types, enabled or description (at least one). A new URL is checked like at
    creation.
    `enabled: true` re-enables an endpoint disabled after a 410 or after failing too long; its pending
    messages are then delivered, and `recover` queues its failed ones again.

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        body (WebhookEndpointUpdate): The fields to change; at least one. Setting enabled to true
            re-enables a disabled endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookEndpoint
    """

    return sync_detailed(
        endpoint_id=endpoint_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointUpdate,
) -> Response[Problem | WebhookEndpoint]:
    """Change a webhook endpoint

     Change url, event_types, enabled or description (at least one). A new URL is checked like at
    creation.
    `enabled: true` re-enables an endpoint disabled after a 410 or after failing too long; its pending
    messages are then delivered, and `recover` queues its failed ones again.

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        body (WebhookEndpointUpdate): The fields to change; at least one. Setting enabled to true
            re-enables a disabled endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookEndpoint]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointUpdate,
) -> Problem | WebhookEndpoint | None:
    """Change a webhook endpoint

     Change url, event_types, enabled or description (at least one). A new URL is checked like at
    creation.
    `enabled: true` re-enables an endpoint disabled after a 410 or after failing too long; its pending
    messages are then delivered, and `recover` queues its failed ones again.

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        body (WebhookEndpointUpdate): The fields to change; at least one. Setting enabled to true
            re-enables a disabled endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookEndpoint
    """

    return (
        await asyncio_detailed(
            endpoint_id=endpoint_id,
            client=client,
            body=body,
        )
    ).parsed
