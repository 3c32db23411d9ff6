from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.subscriber_tickets import SubscriberTickets
from ...types import UNSET, Response, Unset


def _get_kwargs(
    subscriber_id: str,
    *,
    limit: int | Unset = 10,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["if-none-match"] = if_none_match

    params: dict[str, Any] = {}

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/subscribers/{subscriber_id}/tickets".format(
            subscriber_id=quote(str(subscriber_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | SubscriberTickets | None:
    if response.status_code == 200:
        response_200 = SubscriberTickets.from_dict(response.json())

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
) -> Response[Any | Problem | SubscriberTickets]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    subscriber_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | SubscriberTickets]:
    """List a subscriber's latest support tickets

     The latest support tickets created by the served run's score_date (at most 20 are published per
    subscriber), with channel, category, priority, status as of that day, and the hours to resolve.

    Scope: `profiles:read`.

    Args:
        subscriber_id (str): The subscriber's id (as in the source systems): 1-64 letters, digits
            or ._:@-
        limit (int | Unset): How many tickets, newest first. Default: 10.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | SubscriberTickets]
    """

    kwargs = _get_kwargs(
        subscriber_id=subscriber_id,
        limit=limit,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    subscriber_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | SubscriberTickets | None:
    """List a subscriber's latest support tickets

     The latest support tickets created by the served run's score_date (at most 20 are published per
    subscriber), with channel, category, priority, status as of that day, and the hours to resolve.

    Scope: `profiles:read`.

    Args:
        subscriber_id (str): The subscriber's id (as in the source systems): 1-64 letters, digits
            or ._:@-
        limit (int | Unset): How many tickets, newest first. Default: 10.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | SubscriberTickets
    """

    return sync_detailed(
        subscriber_id=subscriber_id,
        client=client,
        limit=limit,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    subscriber_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | SubscriberTickets]:
    """List a subscriber's latest support tickets

     The latest support tickets created by the served run's score_date (at most 20 are published per
    subscriber), with channel, category, priority, status as of that day, and the hours to resolve.

    Scope: `profiles:read`.

    Args:
        subscriber_id (str): The subscriber's id (as in the source systems): 1-64 letters, digits
            or ._:@-
        limit (int | Unset): How many tickets, newest first. Default: 10.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | SubscriberTickets]
    """

    kwargs = _get_kwargs(
        subscriber_id=subscriber_id,
        limit=limit,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    subscriber_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | SubscriberTickets | None:
    """List a subscriber's latest support tickets

     The latest support tickets created by the served run's score_date (at most 20 are published per
    subscriber), with channel, category, priority, status as of that day, and the hours to resolve.

    Scope: `profiles:read`.

    Args:
        subscriber_id (str): The subscriber's id (as in the source systems): 1-64 letters, digits
            or ._:@-
        limit (int | Unset): How many tickets, newest first. Default: 10.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | SubscriberTickets
    """

    return (
        await asyncio_detailed(
            subscriber_id=subscriber_id,
            client=client,
            limit=limit,
            if_none_match=if_none_match,
        )
    ).parsed
