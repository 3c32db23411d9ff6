from http import HTTPStatus
from typing import Any, Literal, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.health_score_changes import HealthScoreChanges
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    sync_token: str | Unset = UNSET,
    limit: int | Unset = 500,
    cursor: str | Unset = UNSET,
    include: Literal["profile"] | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["if-none-match"] = if_none_match

    params: dict[str, Any] = {}

    params["sync_token"] = sync_token

    params["limit"] = limit

    params["cursor"] = cursor

    params["include"] = include

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/health-scores/changes",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | HealthScoreChanges | Problem | None:
    if response.status_code == 200:
        response_200 = HealthScoreChanges.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

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
) -> Response[Any | HealthScoreChanges | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    sync_token: str | Unset = UNSET,
    limit: int | Unset = 500,
    cursor: str | Unset = UNSET,
    include: Literal["profile"] | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | HealthScoreChanges | Problem]:
    """Sync a copy of the served scores: everything once, then only what changed

     Without sync_token, every subscriber served now; with one, exactly those whose served score, tier,
    model or removal changed since it, each once at its latest state. Page with next_cursor to the
    last page and keep its next_sync_token. Every page of a sync reads the same served version, so a
    publish while you page is in your next sync, never half in this one. A token older than the
    retained history (C360_CHANGES_RETENTION_RUNS publishes) or not issued by this API answers 410:
    sync from scratch.

    Scope: `scores:read`.

    Args:
        sync_token (str | Unset): next_sync_token of your previous sync; omit it for a full sync.
        limit (int | Unset): Page size. Default: 500.
        cursor (str | Unset): next_cursor of the previous page of this sync.
        include (Literal['profile'] | Unset): profile: each upsert carries the subscriber's
            profile (needs profiles:read too).
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | HealthScoreChanges | Problem]
    """

    kwargs = _get_kwargs(
        sync_token=sync_token,
        limit=limit,
        cursor=cursor,
        include=include,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    sync_token: str | Unset = UNSET,
    limit: int | Unset = 500,
    cursor: str | Unset = UNSET,
    include: Literal["profile"] | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | HealthScoreChanges | Problem | None:
    """Sync a copy of the served scores: everything once, then only what changed

     Without sync_token, every subscriber served now; with one, exactly those whose served score, tier,
    model or removal changed since it, each once at its latest state. Page with next_cursor to the
    last page and keep its next_sync_token. Every page of a sync reads the same served version, so a
    publish while you page is in your next sync, never half in this one. A token older than the
    retained history (C360_CHANGES_RETENTION_RUNS publishes) or not issued by this API answers 410:
    sync from scratch.

    Scope: `scores:read`.

    Args:
        sync_token (str | Unset): next_sync_token of your previous sync; omit it for a full sync.
        limit (int | Unset): Page size. Default: 500.
        cursor (str | Unset): next_cursor of the previous page of this sync.
        include (Literal['profile'] | Unset): profile: each upsert carries the subscriber's
            profile (needs profiles:read too).
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | HealthScoreChanges | Problem
    """

    return sync_detailed(
        client=client,
        sync_token=sync_token,
        limit=limit,
        cursor=cursor,
        include=include,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    sync_token: str | Unset = UNSET,
    limit: int | Unset = 500,
    cursor: str | Unset = UNSET,
    include: Literal["profile"] | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | HealthScoreChanges | Problem]:
    """Sync a copy of the served scores: everything once, then only what changed

     Without sync_token, every subscriber served now; with one, exactly those whose served score, tier,
    model or removal changed since it, each once at its latest state. Page with next_cursor to the
    last page and keep its next_sync_token. Every page of a sync reads the same served version, so a
    publish while you page is in your next sync, never half in this one. A token older than the
    retained history (C360_CHANGES_RETENTION_RUNS publishes) or not issued by this API answers 410:
    sync from scratch.

    Scope: `scores:read`.

    Args:
        sync_token (str | Unset): next_sync_token of your previous sync; omit it for a full sync.
        limit (int | Unset): Page size. Default: 500.
        cursor (str | Unset): next_cursor of the previous page of this sync.
        include (Literal['profile'] | Unset): profile: each upsert carries the subscriber's
            profile (needs profiles:read too).
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | HealthScoreChanges | Problem]
    """

    kwargs = _get_kwargs(
        sync_token=sync_token,
        limit=limit,
        cursor=cursor,
        include=include,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    sync_token: str | Unset = UNSET,
    limit: int | Unset = 500,
    cursor: str | Unset = UNSET,
    include: Literal["profile"] | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | HealthScoreChanges | Problem | None:
    """Sync a copy of the served scores: everything once, then only what changed

     Without sync_token, every subscriber served now; with one, exactly those whose served score, tier,
    model or removal changed since it, each once at its latest state. Page with next_cursor to the
    last page and keep its next_sync_token. Every page of a sync reads the same served version, so a
    publish while you page is in your next sync, never half in this one. A token older than the
    retained history (C360_CHANGES_RETENTION_RUNS publishes) or not issued by this API answers 410:
    sync from scratch.

    Scope: `scores:read`.

    Args:
        sync_token (str | Unset): next_sync_token of your previous sync; omit it for a full sync.
        limit (int | Unset): Page size. Default: 500.
        cursor (str | Unset): next_cursor of the previous page of this sync.
        include (Literal['profile'] | Unset): profile: each upsert carries the subscriber's
            profile (needs profiles:read too).
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | HealthScoreChanges | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            sync_token=sync_token,
            limit=limit,
            cursor=cursor,
            include=include,
            if_none_match=if_none_match,
        )
    ).parsed
