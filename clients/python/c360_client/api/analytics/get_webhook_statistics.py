from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_statistics import WebhookStatistics
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["if-none-match"] = if_none_match

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/analytics/webhooks",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | WebhookStatistics | None:
    if response.status_code == 200:
        response_200 = WebhookStatistics.from_dict(response.json())

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
) -> Response[Any | Problem | WebhookStatistics]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | WebhookStatistics]:
    """Get delivery statistics per webhook endpoint

     Per webhook endpoint: messages by status, success rate and latency of the delivery attempts of the
    last 30 days, attempts per day, and the most recent failed attempts, with the receivers' responses
    for a
    key that also has scores:read (a receiver may echo the payload: scores and tiers). Live: these
    change with
    every delivery, not only at a publish.

    Scope: `analytics:read`.

    Args:
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | WebhookStatistics]
    """

    kwargs = _get_kwargs(
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | WebhookStatistics | None:
    """Get delivery statistics per webhook endpoint

     Per webhook endpoint: messages by status, success rate and latency of the delivery attempts of the
    last 30 days, attempts per day, and the most recent failed attempts, with the receivers' responses
    for a
    key that also has scores:read (a receiver may echo the payload: scores and tiers). Live: these
    change with
    every delivery, not only at a publish.

    Scope: `analytics:read`.

    Args:
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | WebhookStatistics
    """

    return sync_detailed(
        client=client,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | WebhookStatistics]:
    """Get delivery statistics per webhook endpoint

     Per webhook endpoint: messages by status, success rate and latency of the delivery attempts of the
    last 30 days, attempts per day, and the most recent failed attempts, with the receivers' responses
    for a
    key that also has scores:read (a receiver may echo the payload: scores and tiers). Live: these
    change with
    every delivery, not only at a publish.

    Scope: `analytics:read`.

    Args:
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | WebhookStatistics]
    """

    kwargs = _get_kwargs(
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | WebhookStatistics | None:
    """Get delivery statistics per webhook endpoint

     Per webhook endpoint: messages by status, success rate and latency of the delivery attempts of the
    last 30 days, attempts per day, and the most recent failed attempts, with the receivers' responses
    for a
    key that also has scores:read (a receiver may echo the payload: scores and tiers). Live: these
    change with
    every delivery, not only at a publish.

    Scope: `analytics:read`.

    Args:
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | WebhookStatistics
    """

    return (
        await asyncio_detailed(
            client=client,
            if_none_match=if_none_match,
        )
    ).parsed
