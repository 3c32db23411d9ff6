from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.leaderboard import Leaderboard
from ...models.problem import Problem
from ...models.risk_tier import RiskTier
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    risk_tier: list[RiskTier] | Unset = UNSET,
    plan: list[str] | Unset = UNSET,
    segment: list[str] | Unset = UNSET,
    min_score: float | Unset = UNSET,
    limit: int | Unset = 100,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["if-none-match"] = if_none_match

    params: dict[str, Any] = {}

    json_risk_tier: list[str] | Unset = UNSET
    if not isinstance(risk_tier, Unset):
        json_risk_tier = []
        for risk_tier_item_data in risk_tier:
            risk_tier_item = risk_tier_item_data.value
            json_risk_tier.append(risk_tier_item)

    params["risk_tier"] = json_risk_tier

    json_plan: list[str] | Unset = UNSET
    if not isinstance(plan, Unset):
        json_plan = plan

    params["plan"] = json_plan

    json_segment: list[str] | Unset = UNSET
    if not isinstance(segment, Unset):
        json_segment = segment

    params["segment"] = json_segment

    params["min_score"] = min_score

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/analytics/leaderboard",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Leaderboard | Problem | None:
    if response.status_code == 200:
        response_200 = Leaderboard.from_dict(response.json())

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
) -> Response[Any | Leaderboard | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    risk_tier: list[RiskTier] | Unset = UNSET,
    plan: list[str] | Unset = UNSET,
    segment: list[str] | Unset = UNSET,
    min_score: float | Unset = UNSET,
    limit: int | Unset = 100,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Leaderboard | Problem]:
    """Get the riskiest subscribers, filtered by tier, plan, segment and score

     The served run's scored subscribers matching every filter given, by churn risk score, highest first,
    with plan, segment, tenure, lifetime value and the top driver: the audience a retention campaign
    exports.
    404 before the first publish.

    Scope: `analytics:read`.

    Args:
        risk_tier (list[RiskTier] | Unset): Only these tiers.
        plan (list[str] | Unset): Only these plans.
        segment (list[str] | Unset): Only these demographic segments.
        min_score (float | Unset): Only scores at or above this.
        limit (int | Unset): At most this many subscribers. Default: 100.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Leaderboard | Problem]
    """

    kwargs = _get_kwargs(
        risk_tier=risk_tier,
        plan=plan,
        segment=segment,
        min_score=min_score,
        limit=limit,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    risk_tier: list[RiskTier] | Unset = UNSET,
    plan: list[str] | Unset = UNSET,
    segment: list[str] | Unset = UNSET,
    min_score: float | Unset = UNSET,
    limit: int | Unset = 100,
    if_none_match: str | Unset = UNSET,
) -> Any | Leaderboard | Problem | None:
    """Get the riskiest subscribers, filtered by tier, plan, segment and score

     The served run's scored subscribers matching every filter given, by churn risk score, highest first,
    with plan, segment, tenure, lifetime value and the top driver: the audience a retention campaign
    exports.
    404 before the first publish.

    Scope: `analytics:read`.

    Args:
        risk_tier (list[RiskTier] | Unset): Only these tiers.
        plan (list[str] | Unset): Only these plans.
        segment (list[str] | Unset): Only these demographic segments.
        min_score (float | Unset): Only scores at or above this.
        limit (int | Unset): At most this many subscribers. Default: 100.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Leaderboard | Problem
    """

    return sync_detailed(
        client=client,
        risk_tier=risk_tier,
        plan=plan,
        segment=segment,
        min_score=min_score,
        limit=limit,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    risk_tier: list[RiskTier] | Unset = UNSET,
    plan: list[str] | Unset = UNSET,
    segment: list[str] | Unset = UNSET,
    min_score: float | Unset = UNSET,
    limit: int | Unset = 100,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Leaderboard | Problem]:
    """Get the riskiest subscribers, filtered by tier, plan, segment and score

     The served run's scored subscribers matching every filter given, by churn risk score, highest first,
    with plan, segment, tenure, lifetime value and the top driver: the audience a retention campaign
    exports.
    404 before the first publish.

    Scope: `analytics:read`.

    Args:
        risk_tier (list[RiskTier] | Unset): Only these tiers.
        plan (list[str] | Unset): Only these plans.
        segment (list[str] | Unset): Only these demographic segments.
        min_score (float | Unset): Only scores at or above this.
        limit (int | Unset): At most this many subscribers. Default: 100.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Leaderboard | Problem]
    """

    kwargs = _get_kwargs(
        risk_tier=risk_tier,
        plan=plan,
        segment=segment,
        min_score=min_score,
        limit=limit,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    risk_tier: list[RiskTier] | Unset = UNSET,
    plan: list[str] | Unset = UNSET,
    segment: list[str] | Unset = UNSET,
    min_score: float | Unset = UNSET,
    limit: int | Unset = 100,
    if_none_match: str | Unset = UNSET,
) -> Any | Leaderboard | Problem | None:
    """Get the riskiest subscribers, filtered by tier, plan, segment and score

     The served run's scored subscribers matching every filter given, by churn risk score, highest first,
    with plan, segment, tenure, lifetime value and the top driver: the audience a retention campaign
    exports.
    404 before the first publish.

    Scope: `analytics:read`.

    Args:
        risk_tier (list[RiskTier] | Unset): Only these tiers.
        plan (list[str] | Unset): Only these plans.
        segment (list[str] | Unset): Only these demographic segments.
        min_score (float | Unset): Only scores at or above this.
        limit (int | Unset): At most this many subscribers. Default: 100.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Leaderboard | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            risk_tier=risk_tier,
            plan=plan,
            segment=segment,
            min_score=min_score,
            limit=limit,
            if_none_match=if_none_match,
        )
    ).parsed
