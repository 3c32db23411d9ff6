"""A small hand-written layer on the generated client: retries, typed errors, paging, the change feed, batches.

``make sdk`` never overwrites this module: openapi-python-client's ``--overwrite`` deletes and rewrites only
the ``api/`` and ``models/`` folders and rewrites the files it generates (``__init__.py``, ``client.py``,
``errors.py``, ``types.py``, ``README.md`` ...); any other file of the package is left as it is.

Like Stripe's ``max_network_retries``, every request made through ``C360`` (and through ``C360.client`` with
any generated operation) is retried on connection errors and timeouts, 429 (waiting at least ``Retry-After``)
and 502/503/504, with exponential backoff and jitter; other 4xx never are. Like Stripe's ``auto_paging_iter``,
``iter_health_scores`` and ``sync`` follow the cursors. Every error answer raises a ``C360Error``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from .api.health_scores import get_health_score as get_health_score_op
from .api.health_scores import list_health_score_changes, list_health_scores
from .api.subscribers import batch_get_subscriber_profiles
from .client import AuthenticatedClient
from .models import (
    BatchGetProfilesRequest,
    BatchGetProfilesResponse,
    FieldError,
    HealthScore,
    HealthScoreChanges,
    HealthScorePage,
    HealthScoreRemoval,
    HealthScoreUpsert,
    Problem,
    RiskTier,
)
from .types import UNSET, Response

T = TypeVar("T")

RETRY_STATUSES = frozenset({429, 502, 503, 504})
BATCH_SIZE = 500  # ids per POST /v1/subscribers/batch-get
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)  # the server never saw the request
_MAYBE_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class C360Error(Exception):
    """An RFC 9457 problem answered by the API (or an error status without one)."""

    def __init__(self, status: int, type: str, title: str, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status, self.type, self.title, self.detail = status, type, title, detail
        self.errors: list[FieldError] = errors or []  # per-field messages of a 422
        self.retry_after: float | None = None  # seconds the server asked to wait (Retry-After), if it said


class BadRequest(C360Error):
    """400: e.g. a malformed cursor."""


class Unauthorized(C360Error):
    """401: no API key, or an unknown or revoked one."""


class Forbidden(C360Error):
    """403: the key lacks the operation's scope."""


class NotFound(C360Error):
    """404: unknown subscriber, or nothing published yet."""


class Gone(C360Error):
    """410: a cursor or sync token the API can no longer answer."""


class CursorExpired(Gone):
    """410 cursor-expired: its run was pruned; page again from the start."""


class SyncTokenExpired(Gone):
    """410 sync-token-expired: too old, or not issued by this deployment; sync from scratch."""


class ValidationFailed(C360Error):
    """422: the request does not match the contract; ``errors`` says where."""


class RateLimited(C360Error):
    """429 after the retries (or a Retry-After longer than ``max_retry_wait``): see ``retry_after``."""


class ServiceUnavailable(C360Error):
    """503 after the retries: the serving store is down."""


_BY_STATUS: dict[int, type[C360Error]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    410: Gone,
    422: ValidationFailed,
    429: RateLimited,
    503: ServiceUnavailable,
}
_BY_SLUG: dict[str, type[C360Error]] = {"cursor-expired": CursorExpired, "sync-token-expired": SyncTokenExpired}


def error_from_response(response: httpx.Response) -> C360Error:
    """The typed exception of an error response, from its problem body when it has one."""
    status = response.status_code
    try:
        problem = Problem.from_dict(response.json())
    except (ValueError, KeyError, TypeError, AttributeError):  # not a problem, e.g. a proxy's HTML 502
        problem = Problem(type_="about:blank", title=response.reason_phrase, status=status, detail=response.text[:500])
    cls = _BY_SLUG.get(problem.type_.rsplit("/", 1)[-1]) or _BY_STATUS.get(status, C360Error)
    errors = problem.errors if isinstance(problem.errors, list) else None
    error = cls(status, problem.type_, problem.title, problem.detail, errors)
    error.retry_after = _retry_after(response)
    return error


def _raise_for_problem(response: httpx.Response) -> None:
    if response.status_code >= 400:
        response.read()
        raise error_from_response(response)


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):  # absent, or an HTTP date (the API sends seconds)
        return None


def _replayable(request: httpx.Request) -> bool:
    """Sending it twice does no harm: idempotent methods, and the batch-get reads (POST only for the body)."""
    return request.method in _IDEMPOTENT or request.url.path.endswith("/batch-get")


class RetryTransport(httpx.BaseTransport):
    """Retries what a retry can fix; the final response (or exception) is the caller's."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        max_retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        max_retry_wait: float = 30.0,
    ) -> None:
        self.inner, self.max_retries, self.backoff = inner, max_retries, backoff
        self.max_backoff, self.max_retry_wait = max_backoff, max_retry_wait

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self.inner.handle_request(request)
            except _MAYBE_SENT as exc:
                retry = isinstance(exc, _NOT_SENT) or _replayable(request)
                if attempt >= self.max_retries or not retry:
                    raise
                delay = self.delay(attempt)
            else:
                wait = self._wait(request, response, attempt)
                if wait is None:
                    return response
                response.close()
                delay = wait
            time.sleep(delay)
            attempt += 1

    def _wait(self, request: httpx.Request, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying ``response``, or None to return it."""
        status = response.status_code
        if attempt >= self.max_retries or status not in RETRY_STATUSES:
            return None
        if status in (502, 504) and not _replayable(request):  # the server may have acted on it
            return None
        retry_after = _retry_after(response)
        if retry_after is None:
            return self.delay(attempt)
        if retry_after > self.max_retry_wait:  # do not block that long: the caller gets retry_after
            return None
        return max(retry_after, self.delay(attempt))  # never earlier than the server asked

    def delay(self, attempt: int) -> float:
        """Exponential backoff with jitter: between half and all of backoff * 2**attempt (capped)."""
        base = min(self.max_backoff, self.backoff * 2.0**attempt)
        return base / 2 + random.uniform(0, base / 2)  # noqa: S311 - jitter, not security

    def close(self) -> None:
        self.inner.close()


@dataclass
class SyncResult:
    """One sync of the change feed, all pages applied in order.

    ``full``: the changes are the whole served set (no token, or an expired one with ``resync_on_expiry``):
    replace your copy with them. Otherwise merge: apply upserts, delete removals. Store ``next_token`` with the
    copy, once it is applied, and pass it to the next ``sync``.
    """

    upserts: list[HealthScoreUpsert] = field(default_factory=list)
    removals: list[HealthScoreRemoval] = field(default_factory=list)
    next_token: str = ""
    full: bool = False


def _parsed(response: Response[Any], kind: type[T]) -> T:
    if not isinstance(response.parsed, kind):  # error statuses raised already: e.g. an undocumented 2xx/3xx
        raise C360Error(int(response.status_code), "about:blank", "Unexpected response", f"not a {kind.__name__}")
    return response.parsed


class C360:
    """The Customer 360 API with retries and typed errors; ``client`` serves any generated operation too."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        max_retries: int = 3,
        backoff: float = 0.5,
        max_retry_wait: float = 30.0,
        timeout: float = 30.0,
    ) -> None:
        transport = RetryTransport(
            httpx.HTTPTransport(), max_retries=max_retries, backoff=backoff, max_retry_wait=max_retry_wait
        )
        http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=timeout,
            transport=transport,
            event_hooks={"response": [_raise_for_problem]},
        )
        self.client = AuthenticatedClient(base_url=base_url, token=api_key, timeout=httpx.Timeout(timeout))
        self.client.set_httpx_client(http)  # the synchronous operations; the async ones have no retries

    def __enter__(self) -> C360:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.get_httpx_client().close()

    def iter_health_scores(
        self, risk_tier: RiskTier | str | None = None, min_score: float | None = None, page_size: int = 500
    ) -> Iterator[HealthScore]:
        """Every served score (of the tier, at or above min_score), page after page; raises CursorExpired if
        the run paged is pruned meanwhile (keep fewer than C360_SERVING_KEEP_RUNS publishes between pages)."""
        cursor: str | None = None
        while True:
            page = _parsed(
                list_health_scores.sync_detailed(
                    client=self.client,
                    risk_tier=UNSET if risk_tier is None else RiskTier(risk_tier),
                    min_score=UNSET if min_score is None else min_score,
                    limit=page_size,
                    cursor=cursor or UNSET,
                ),
                HealthScorePage,
            )
            yield from page.data
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def sync(
        self,
        token: str | None = None,
        *,
        include_profile: bool = False,
        page_size: int = 500,
        resync_on_expiry: bool = False,
    ) -> SyncResult:
        """What changed since ``token`` (everything without one), all pages of GET /v1/health-scores/changes.

        An expired token raises SyncTokenExpired unless ``resync_on_expiry``: a resync is the whole served set
        (``full``), which the caller must apply by replacing its copy, not by merging into it: anyone removed
        meanwhile is only absent from it, never sent as a removal. Silently resyncing would let a caller that
        merges keep those subscribers forever, so it is opt-in.
        """
        try:
            return self._sync(token, include_profile, page_size)
        except SyncTokenExpired:
            if token is None or not resync_on_expiry:
                raise
            return self._sync(None, include_profile, page_size)

    def _sync(self, token: str | None, include_profile: bool, page_size: int) -> SyncResult:
        result = SyncResult(full=token is None)
        cursor: str | None = None
        while True:
            page = _parsed(
                list_health_score_changes.sync_detailed(
                    client=self.client,
                    sync_token=UNSET if token is None or cursor else token,  # a cursor carries the sync it pages
                    limit=page_size,
                    cursor=cursor or UNSET,
                    include="profile" if include_profile else UNSET,
                ),
                HealthScoreChanges,
            )
            for change in page.data:
                if isinstance(change, HealthScoreRemoval):
                    result.removals.append(change)
                else:
                    result.upserts.append(change)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        if not page.next_sync_token:
            raise C360Error(200, "about:blank", "Unexpected response", "the last page has no next_sync_token")
        result.next_token = page.next_sync_token
        return result

    def batch_get_profiles(self, ids: Iterable[str]) -> BatchGetProfilesResponse:
        """The profiles of ``ids`` (duplicates once, in order) and the ids unknown, 500 per request."""
        unique = list(dict.fromkeys(ids))
        merged = BatchGetProfilesResponse(data=[], missing=[])
        for start in range(0, len(unique), BATCH_SIZE):
            body = BatchGetProfilesRequest(subscriber_ids=unique[start : start + BATCH_SIZE])
            answer = batch_get_subscriber_profiles.sync_detailed(client=self.client, body=body)
            page = _parsed(answer, BatchGetProfilesResponse)
            merged.data.extend(page.data)
            merged.missing.extend(page.missing)
        return merged

    def get_health_score(self, subscriber_id: str) -> HealthScore:
        """A subscriber's served score (``removed`` is true for one no longer served); NotFound if unknown."""
        return _parsed(get_health_score_op.sync_detailed(subscriber_id, client=self.client), HealthScore)
