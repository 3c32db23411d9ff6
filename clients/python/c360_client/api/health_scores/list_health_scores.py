import datetime
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.health_score_page import HealthScorePage
from ...models.problem import Problem
from ...models.risk_tier import RiskTier
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    risk_tier: RiskTier | Unset = UNSET,
    min_score: float | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["if-none-match"] = if_none_match

    params: dict[str, Any] = {}

    json_risk_tier: str | Unset = UNSET
    if not isinstance(risk_tier, Unset):
        json_risk_tier = risk_tier.value

    params["risk_tier"] = json_risk_tier

    params["min_score"] = min_score

    json_updated_since: str | Unset = UNSET
    if not isinstance(updated_since, Unset):
        json_updated_since = updated_since.isoformat()
    params["updated_since"] = json_updated_since

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/health-scores",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | HealthScorePage | Problem | None:
    if response.status_code == 200:
        response_200 = HealthScorePage.from_dict(response.json())

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
) -> Response[Any | HealthScorePage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    risk_tier: RiskTier | Unset = UNSET,
    min_score: float | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | HealthScorePage | Problem]:
    """List health scores, page by page

     Scores of the served run ordered by subscriber_id. A cursor pins the run it started on, so paging
    to the end yields every matching subscriber exactly once even if a new run is published meanwhile.

    Scope: `scores:read`.

    Args:
        risk_tier (RiskTier | Unset): A churn risk tier: High, Medium or Low, by the thresholds of
            GET /v1/risk-tiers.
        min_score (float | Unset): Only scores at or above this.
        updated_since (datetime.datetime | Unset): Only subscribers whose score, tier or model
            changed at or after this time (UTC if no offset). A convenience for ad-hoc questions; to
            keep a copy in sync use GET /v1/health-scores/changes, which misses no publish and never
            depends on clocks.
        limit (int | Unset): Page size. Default: 100.
        cursor (str | Unset): next_cursor of the previous page, unchanged; repeat the same
            filters. Opaque and signed: a string of this pattern that this API did not return is
            refused with 400.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | HealthScorePage | Problem]
    """

    kwargs = _get_kwargs(
        risk_tier=risk_tier,
        min_score=min_score,
        updated_since=updated_since,
        limit=limit,
        cursor=cursor,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    risk_tier: RiskTier | Unset = UNSET,
    min_score: float | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | HealthScorePage | Problem | None:
    """List health scores, page by page

     Scores of the served run ordered by subscriber_id. A cursor pins the run it started on, so paging
    to the end yields every matching subscriber exactly once even if a new run is published meanwhile.

    Scope: `scores:read`.

    Args:
        risk_tier (RiskTier | Unset): A churn risk tier: High, Medium or Low, by the thresholds of
            GET /v1/risk-tiers.
        min_score (float | Unset): Only scores at or above this.
        updated_since (datetime.datetime | Unset): Only subscribers whose score, tier or model
            changed at or after this time (UTC if no offset). A convenience for ad-hoc questions; to
            keep a copy in sync use GET /v1/health-scores/changes, which misses no publish and never
            depends on clocks.
        limit (int | Unset): Page size. Default: 100.
        cursor (str | Unset): next_cursor of the previous page, unchanged; repeat the same
            filters. Opaque and signed: a string of this pattern that this API did not return is
            refused with 400.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | HealthScorePage | Problem
    """

    return sync_detailed(
        client=client,
        risk_tier=risk_tier,
        min_score=min_score,
        updated_since=updated_since,
        limit=limit,
        cursor=cursor,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    risk_tier: RiskTier | Unset = UNSET,
    min_score: float | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | HealthScorePage | Problem]:
    """List health scores, page by page

     Scores of the served run ordered by subscriber_id. A cursor pins the run it started on, so paging
    to the end yields every matching subscriber exactly once even if a new run is published meanwhile.

    Scope: `scores:read`.

    Args:
        risk_tier (RiskTier | Unset): A churn risk tier: High, Medium or Low, by the thresholds of
            GET /v1/risk-tiers.
        min_score (float | Unset): Only scores at or above this.
        updated_since (datetime.datetime | Unset): Only subscribers whose score, tier or model
            changed at or after this time (UTC if no offset). A convenience for ad-hoc questions; to
            keep a copy in sync use GET /v1/health-scores/changes, which misses no publish and never
            depends on clocks.
        limit (int | Unset): Page size. Default: 100.
        cursor (str | Unset): next_cursor of the previous page, unchanged; repeat the same
            filters. Opaque and signed: a string of this pattern that this API did not return is
            refused with 400.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | HealthScorePage | Problem]
    """

    kwargs = _get_kwargs(
        risk_tier=risk_tier,
        min_score=min_score,
        updated_since=updated_since,
        limit=limit,
        cursor=cursor,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    risk_tier: RiskTier | Unset = UNSET,
    min_score: float | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | HealthScorePage | Problem | None:
    """List health scores, page by page

     Scores of the served run ordered by subscriber_id. A cursor pins the run it started on, so paging
    to the end yields every matching subscriber exactly once even if a new run is published meanwhile.

    Scope: `scores:read`.

    Args:
        risk_tier (RiskTier | Unset): A churn risk tier: High, Medium or Low, by the thresholds of
            GET /v1/risk-tiers.
        min_score (float | Unset): Only scores at or above this.
        updated_since (datetime.datetime | Unset): Only subscribers whose score, tier or model
            changed at or after this time (UTC if no offset). A convenience for ad-hoc questions; to
            keep a copy in sync use GET /v1/health-scores/changes, which misses no publish and never
            depends on clocks.
        limit (int | Unset): Page size. Default: 100.
        cursor (str | Unset): next_cursor of the previous page, unchanged; repeat the same
            filters. Opaque and signed: a string of this pattern that this API did not return is
            refused with 400.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | HealthScorePage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            risk_tier=risk_tier,
            min_score=min_score,
            updated_since=updated_since,
            limit=limit,
            cursor=cursor,
            if_none_match=if_none_match,
        )
    ).parsed
