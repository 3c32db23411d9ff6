from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.engagement_grain import EngagementGrain
from ...models.engagement_split import EngagementSplit
from ...models.engagement_trends import EngagementTrends
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    grain: EngagementGrain | Unset = UNSET,
    by: EngagementSplit | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["if-none-match"] = if_none_match

    params: dict[str, Any] = {}

    json_grain: str | Unset = UNSET
    if not isinstance(grain, Unset):
        json_grain = grain.value

    params["grain"] = json_grain

    json_by: str | Unset = UNSET
    if not isinstance(by, Unset):
        json_by = by.value

    params["by"] = json_by

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/analytics/engagement",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | EngagementTrends | Problem | None:
    if response.status_code == 200:
        response_200 = EngagementTrends.from_dict(response.json())

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
) -> Response[Any | EngagementTrends | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    grain: EngagementGrain | Unset = UNSET,
    by: EngagementSplit | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | EngagementTrends | Problem]:
    """Get views, readers and time spent per day or week

     Human article views, distinct readers and seconds read over the 26 weeks ending the served run's
    score
    date (FCT_ENGAGEMENT_DAILY and STG_CONTENT_ENGAGEMENT), split by plan, demographic segment or
    device, with
    the bot views staging filtered out.

    Scope: `analytics:read`.

    Args:
        grain (EngagementGrain | Unset): The period of an engagement row: a day, or a week
            starting on Monday.
        by (EngagementSplit | Unset): What engagement is split by: the subscriber's plan or
            demographic segment, or the device of the view.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | EngagementTrends | Problem]
    """

    kwargs = _get_kwargs(
        grain=grain,
        by=by,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    grain: EngagementGrain | Unset = UNSET,
    by: EngagementSplit | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | EngagementTrends | Problem | None:
    """Get views, readers and time spent per day or week

     Human article views, distinct readers and seconds read over the 26 weeks ending the served run's
    score
    date (FCT_ENGAGEMENT_DAILY and STG_CONTENT_ENGAGEMENT), split by plan, demographic segment or
    device, with
    the bot views staging filtered out.

    Scope: `analytics:read`.

    Args:
        grain (EngagementGrain | Unset): The period of an engagement row: a day, or a week
            starting on Monday.
        by (EngagementSplit | Unset): What engagement is split by: the subscriber's plan or
            demographic segment, or the device of the view.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | EngagementTrends | Problem
    """

    return sync_detailed(
        client=client,
        grain=grain,
        by=by,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    grain: EngagementGrain | Unset = UNSET,
    by: EngagementSplit | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | EngagementTrends | Problem]:
    """Get views, readers and time spent per day or week

     Human article views, distinct readers and seconds read over the 26 weeks ending the served run's
    score
    date (FCT_ENGAGEMENT_DAILY and STG_CONTENT_ENGAGEMENT), split by plan, demographic segment or
    device, with
    the bot views staging filtered out.

    Scope: `analytics:read`.

    Args:
        grain (EngagementGrain | Unset): The period of an engagement row: a day, or a week
            starting on Monday.
        by (EngagementSplit | Unset): What engagement is split by: the subscriber's plan or
            demographic segment, or the device of the view.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | EngagementTrends | Problem]
    """

    kwargs = _get_kwargs(
        grain=grain,
        by=by,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    grain: EngagementGrain | Unset = UNSET,
    by: EngagementSplit | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | EngagementTrends | Problem | None:
    """Get views, readers and time spent per day or week

     Human article views, distinct readers and seconds read over the 26 weeks ending the served run's
    score
    date (FCT_ENGAGEMENT_DAILY and STG_CONTENT_ENGAGEMENT), split by plan, demographic segment or
    device, with
    the bot views staging filtered out.

    Scope: `analytics:read`.

    Args:
        grain (EngagementGrain | Unset): The period of an engagement row: a day, or a week
            starting on Monday.
        by (EngagementSplit | Unset): What engagement is split by: the subscriber's plan or
            demographic segment, or the device of the view.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | EngagementTrends | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            grain=grain,
            by=by,
            if_none_match=if_none_match,
        )
    ).parsed
