from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.recover_webhook_endpoint_request import RecoverWebhookEndpointRequest
from ...models.webhook_recovery import WebhookRecovery
from ...types import Response


def _get_kwargs(
    endpoint_id: str,
    *,
    body: RecoverWebhookEndpointRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhook-endpoints/{endpoint_id}/recover".format(
            endpoint_id=quote(str(endpoint_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookRecovery | None:
    if response.status_code == 202:
        response_202 = WebhookRecovery.from_dict(response.json())

        return response_202

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Problem | WebhookRecovery]:
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
    body: RecoverWebhookEndpointRequest,
) -> Response[Problem | WebhookRecovery]:
    """Send an endpoint's failed messages again

     Queue again every failed message of the endpoint created at or after `since`, each with a fresh
    retry
    schedule: after an outage, once the receiver is back (and the endpoint re-enabled if it was
    disabled).

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        body (RecoverWebhookEndpointRequest): Which failed messages to queue again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookRecovery]
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
    body: RecoverWebhookEndpointRequest,
) -> Problem | WebhookRecovery | None:
    """Send an endpoint's failed messages again

     Queue again every failed message of the endpoint created at or after `since`, each with a fresh
    retry
    schedule: after an outage, once the receiver is back (and the endpoint re-enabled if it was
    disabled).

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        body (RecoverWebhookEndpointRequest): Which failed messages to queue again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookRecovery
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
    body: RecoverWebhookEndpointRequest,
) -> Response[Problem | WebhookRecovery]:
    """Send an endpoint's failed messages again

     Queue again every failed message of the endpoint created at or after `since`, each with a fresh
    retry
    schedule: after an outage, once the receiver is back (and the endpoint re-enabled if it was
    disabled).

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        body (RecoverWebhookEndpointRequest): Which failed messages to queue again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookRecovery]
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
    body: RecoverWebhookEndpointRequest,
) -> Problem | WebhookRecovery | None:
    """Send an endpoint's failed messages again

     Queue again every failed message of the endpoint created at or after `since`, each with a fresh
    retry
    schedule: after an outage, once the receiver is back (and the endpoint re-enabled if it was
    disabled).

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        body (RecoverWebhookEndpointRequest): Which failed messages to queue again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookRecovery
    """

    return (
        await asyncio_detailed(
            endpoint_id=endpoint_id,
            client=client,
            body=body,
        )
    ).parsed
