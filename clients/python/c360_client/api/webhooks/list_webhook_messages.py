from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_webhook_messages_status import ListWebhookMessagesStatus
from ...models.problem import Problem
from ...models.webhook_message_page import WebhookMessagePage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    endpoint_id: str,
    *,
    status: ListWebhookMessagesStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["if-none-match"] = if_none_match

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhook-endpoints/{endpoint_id}/messages".format(
            endpoint_id=quote(str(endpoint_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | WebhookMessagePage | None:
    if response.status_code == 200:
        response_200 = WebhookMessagePage.from_dict(response.json())

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
) -> Response[Any | Problem | WebhookMessagePage]:
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
    status: ListWebhookMessagesStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | WebhookMessagePage]:
    """List an endpoint's messages

     The events queued for this endpoint with their delivery state, newest first. Their payloads are
    scores
    and tiers: this needs the scores:read scope as well as webhooks:manage.

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        status (ListWebhookMessagesStatus | Unset): Only messages in this state.
        limit (int | Unset): Page size. Default: 50.
        cursor (str | Unset): next_cursor of the previous page.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | WebhookMessagePage]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        status=status,
        limit=limit,
        cursor=cursor,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    status: ListWebhookMessagesStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | WebhookMessagePage | None:
    """List an endpoint's messages

     The events queued for this endpoint with their delivery state, newest first. Their payloads are
    scores
    and tiers: this needs the scores:read scope as well as webhooks:manage.

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        status (ListWebhookMessagesStatus | Unset): Only messages in this state.
        limit (int | Unset): Page size. Default: 50.
        cursor (str | Unset): next_cursor of the previous page.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | WebhookMessagePage
    """

    return sync_detailed(
        endpoint_id=endpoint_id,
        client=client,
        status=status,
        limit=limit,
        cursor=cursor,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    status: ListWebhookMessagesStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | WebhookMessagePage]:
    """List an endpoint's messages

     The events queued for this endpoint with their delivery state, newest first. Their payloads are
    scores
    and tiers: this needs the scores:read scope as well as webhooks:manage.

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        status (ListWebhookMessagesStatus | Unset): Only messages in this state.
        limit (int | Unset): Page size. Default: 50.
        cursor (str | Unset): next_cursor of the previous page.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | WebhookMessagePage]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        status=status,
        limit=limit,
        cursor=cursor,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    status: ListWebhookMessagesStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | WebhookMessagePage | None:
    """List an endpoint's messages

     The events queued for this endpoint with their delivery state, newest first. Their payloads are
    scores
    and tiers: this needs the scores:read scope as well as webhooks:manage.

    Scope: `webhooks:manage`.

    Args:
        endpoint_id (str): The endpoint's id (ep_…).
        status (ListWebhookMessagesStatus | Unset): Only messages in this state.
        limit (int | Unset): Page size. Default: 50.
        cursor (str | Unset): next_cursor of the previous page.
        if_none_match (str | Unset): An ETag of an earlier response to this request: the answer is
            304 while it is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | WebhookMessagePage
    """

    return (
        await asyncio_detailed(
            endpoint_id=endpoint_id,
            client=client,
            status=status,
            limit=limit,
            cursor=cursor,
            if_none_match=if_none_match,
        )
    ).parsed
