from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_attempt_list import WebhookAttemptList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    endpoint_id: str,
    msg_id: str,
    *,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["if-none-match"] = if_none_match

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhook-endpoints/{endpoint_id}/messages/{msg_id}/attempts".format(
            endpoint_id=quote(str(endpoint_id), safe=""),
            msg_id=quote(str(msg_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | WebhookAttemptList | None:
    if response.status_code == 200:
        response_200 = WebhookAttemptList.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

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
) -> Response[Any | Problem | WebhookAttemptList]:
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
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | WebhookAttemptList]:
    """List a message's delivery attempts

     Every attempt: when, the HTTP status, the latency, the first 2 KB of the response or the error.
    Needs
    the scores:read scope as well as webhooks:manage (a receiver may echo the payload).

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        msg_id (str): The message's id (msg_…).
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | WebhookAttemptList]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        msg_id=msg_id,
        if_none_match=if_none_match,
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
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | WebhookAttemptList | None:
    """List a message's delivery attempts

     Every attempt: when, the HTTP status, the latency, the first 2 KB of the response or the error.
    Needs
    the scores:read scope as well as webhooks:manage (a receiver may echo the payload).

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        msg_id (str): The message's id (msg_…).
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | WebhookAttemptList
    """

    return sync_detailed(
        endpoint_id=endpoint_id,
        msg_id=msg_id,
        client=client,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    endpoint_id: str,
    msg_id: str,
    *,
    client: AuthenticatedClient,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | WebhookAttemptList]:
    """List a message's delivery attempts

     Every attempt: when, the HTTP status, the latency, the first 2 KB of the response or the error.
    Needs
    the scores:read scope as well as webhooks:manage (a receiver may echo the payload).

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        msg_id (str): The message's id (msg_…).
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | WebhookAttemptList]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        msg_id=msg_id,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    endpoint_id: str,
    msg_id: str,
    *,
    client: AuthenticatedClient,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | WebhookAttemptList | None:
    """List a message's delivery attempts

     Every attempt: when, the HTTP status, the latency, the first 2 KB of the response or the error.
    Needs
    the scores:read scope as well as webhooks:manage (a receiver may echo the payload).

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        msg_id (str): The message's id (msg_…).
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | WebhookAttemptList
    """

    return (
        await asyncio_detailed(
            endpoint_id=endpoint_id,
            msg_id=msg_id,
            client=client,
            if_none_match=if_none_match,
        )
    ).parsed
