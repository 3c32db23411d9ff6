from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_message import WebhookMessage
from ...types import Response


def _get_kwargs(
    endpoint_id: str,
    msg_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhook-endpoints/{endpoint_id}/messages/{msg_id}/resend".format(
            endpoint_id=quote(str(endpoint_id), safe=""),
            msg_id=quote(str(msg_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookMessage | None:
    if response.status_code == 202:
        response_202 = WebhookMessage.from_dict(response.json())

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
) -> Response[Problem | WebhookMessage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    endpoint_id: str,
    msg_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | WebhookMessage]:
    """Send a message again

     Queue the message again now (delivered or failed alike), with the same webhook-id and body and a
    fresh retry schedule. A message being delivered at this moment is left to that attempt. Needs the
    scores:read scope as well as webhooks:manage (the answer holds the payload).

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        msg_id (str): The message's id (msg_…).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookMessage]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        msg_id=msg_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    endpoint_id: str,
    msg_id: str,
    *,
    client: AuthenticatedClient,
) -> Problem | WebhookMessage | None:
    """Send a message again

     Queue the message again now (delivered or failed alike), with the same webhook-id and body and a
    fresh retry schedule. A message being delivered at this moment is left to that attempt. Needs the
    scores:read scope as well as webhooks:manage (the answer holds the payload).

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        msg_id (str): The message's id (msg_…).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookMessage
    """

    return sync_detailed(
        endpoint_id=endpoint_id,
        msg_id=msg_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    endpoint_id: str,
    msg_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | WebhookMessage]:
    """Send a message again

     Queue the message again now (delivered or failed alike), with the same webhook-id and body and a
    fresh retry schedule. A message being delivered at this moment is left to that attempt. Needs the
    scores:read scope as well as webhooks:manage (the answer holds the payload).

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        msg_id (str): The message's id (msg_…).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookMessage]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        msg_id=msg_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    endpoint_id: str,
    msg_id: str,
    *,
    client: AuthenticatedClient,
) -> Problem | WebhookMessage | None:
    """Send a message again

     Queue the message again now (delivered or failed alike), with the same webhook-id and body and a
    fresh retry schedule. A message being delivered at this moment is left to that attempt. Needs the
    scores:read scope as well as webhooks:manage (the answer holds the payload).

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        msg_id (str): The message's id (msg_…).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookMessage
    """

    return (
        await asyncio_detailed(
            endpoint_id=endpoint_id,
            msg_id=msg_id,
            client=client,
        )
    ).parsed
