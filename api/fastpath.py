"""The fast paths: the hot lookups, change-feed pages and batch-gets answered in front of the whole application.

Resolving a route and its dependencies, and even passing a request through FastAPI's own middleware
(error handling, telemetry) and ours, costs more per request than sending a cached body, and about as
much as reading and rendering a lookup, so the hot lookups (hits and misses) are answered here,
outermost (``api.app.App`` puts this layer in front of its middleware stack), with exactly what the
route would send: the same ``authorize`` (key, rate limit, scope) and its problems, the same cache key,
body, ETag, 304 and headers, and the same request metrics. Anything else (a query string, another
path, a value or body the route would refuse) goes on to the application unchanged, which answers it.
A request is authorized once, by whichever path answers it.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl

from pydantic import ValidationError
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.cache import profile_key, score_key
from api.deps import Services, authorize
from api.problems import answer_error, from_error, internal_error
from api.responses import cache_control, conditional, fill, not_modified
from api.routers.health_scores import FEED_PAGE, MAX_TOKEN, SCORES_READ, batch_scores, changes_page, score_body
from api.routers.params import MAX_IF_NONE_MATCH
from api.routers.subscribers import profile_body
from api.schemas import MAX_PAGE, BatchGetHealthScoresRequest
from c360.errors import C360Error
from c360.serving import queries
from c360.serving.cursor import CURSOR_PATTERN
from c360.serving.events import SUBSCRIBER_ID_PATTERN

_ID = SUBSCRIBER_ID_PATTERN.removeprefix("^").removesuffix("$")


@dataclass(frozen=True)
class FastRoute:
    """A cacheable GET without query parameters: its path, template, scope, cache key and body."""

    path: re.Pattern[str]
    template: str
    scope: str
    key: Callable[[str, str], str]
    body: Callable[[Services, queries.ServedRun, str], bytes]


ROUTES = (
    FastRoute(
        re.compile(rf"^/v1/subscribers/(?P<id>{_ID})/health-score$"),
        "/v1/subscribers/{subscriber_id}/health-score",
        SCORES_READ,
        score_key,
        score_body,
    ),
    FastRoute(
        re.compile(rf"^/v1/subscribers/(?P<id>{_ID})$"),
        "/v1/subscribers/{subscriber_id}",
        "profiles:read",
        profile_key,
        profile_body,
    ),
)


FEED_PATH = "/v1/health-scores/changes"
_FEED_PARAMS = frozenset({"sync_token", "cursor", "limit"})
_TOKEN = re.compile(CURSOR_PATTERN)
_LIMIT = re.compile(r"[1-9][0-9]{0,3}")
BATCH_PATH = "/v1/health-scores/batch-get"


class CacheFront:
    """Answers the lookups of ``ROUTES``, pages of the change feed and batch-gets of health scores itself; passes
    every other request to the app."""

    def __init__(self, app: ASGIApp, *, services: Services) -> None:
        self.app, self.services = app, services
        self._control = (b"cache-control", cache_control(services.settings).encode())  # settings are fixed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == BATCH_PATH:
            await self._batch_get(scope, receive, send)
            return
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if scope["path"] == FEED_PATH:
            await self._observed(FEED_PATH, self._changes(scope, receive, send), scope, receive, send)
            return
        if scope["query_string"]:
            await self.app(scope, receive, send)
            return
        for route in ROUTES:
            match = route.path.fullmatch(scope["path"])  # "$" alone would also match before a final "\n"
            if match:
                answer = self._answer(route, match.group("id"), scope, receive, send)
                await self._observed(route.template, answer, scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _observed(
        self, template: str, answer: Coroutine[Any, Any, int | None], scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Await ``answer``, timed and counted as the app's metrics middleware counts a route (this layer is in
        front of it); or, when it leaves the request to the app (None), the app's answer."""
        started = time.perf_counter()
        try:
            status = await answer
        except Exception as exc:  # what the app's error handling answers when a route fails
            status = 500
            await internal_error(scope["method"], scope["path"], exc)(scope, receive, send)
        if status is None:
            await self.app(scope, receive, send)
        else:
            self.services.metrics.observe(scope["method"], template, status, time.perf_counter() - started)

    async def _answer(
        self, route: FastRoute, subscriber_id: str, scope: Scope, receive: Receive, send: Send
    ) -> int | None:
        """Send the cached response (on a miss, the one read and rendered as the route does) or the problem the route
        would answer, and say its status; or leave the request to the app (None)."""
        services = self.services
        inm = _if_none_match(scope)
        if inm is False:
            return None  # the app answers 422, as the contract's maxLength says
        try:
            run = await services.runs.current()
        except C360Error as exc:  # the store is down: the caller's key first, as every route checks it first
            return await self._authorized(route.scope, functools.partial(_raise, exc), scope, receive, send)
        entry = await services.cache.get(route.key(run.key, subscriber_id)) if run else None
        if entry is None:  # a miss, or the cache is off: read and render it as the route does, then cache it
            miss = functools.partial(self._miss, route, run, subscriber_id, inm)
            return await self._authorized(route.scope, miss, scope, receive, send)
        try:
            authorized = await authorize(services, scope, route.scope)  # the routes' own check
        except C360Error as exc:
            problem = from_error(exc)  # the problem the route would answer
            await problem(scope, receive, send)
            return problem.status_code
        # the headers in the route's order (api.responses.conditional, then the rate-limit headers)
        headers = [(b"etag", entry.etag.encode()), self._control, (b"vary", b"Authorization")]
        if inm is not None and not_modified(inm, entry.etag):
            headers += authorized.raw_headers
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return 304
        headers += [(b"content-length", str(len(entry.body)).encode()), (b"content-type", b"application/json")]
        headers += authorized.raw_headers
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": entry.body})
        return 200

    async def _changes(self, scope: Scope, receive: Receive, send: Send) -> int | None:
        """Answer a page of the change feed (and say its status) when its parameters are the usual ones, all
        valid; anything else (include=profile, a value the contract refuses, a repeated parameter) is the
        route's (None).

        The feed is the sync loop of every CRM: FastAPI's parameter validation and dependency resolution cost
        a page more than the page's own read, and this path does neither, answering exactly what the route does.
        """
        inm = _if_none_match(scope)
        params = _feed_params(scope["query_string"])
        if inm is False or params is None:
            return None
        page = functools.partial(
            changes_page,
            self.services,
            sync_token=params.get("sync_token"),
            cursor=params.get("cursor"),
            limit=int(params.get("limit", FEED_PAGE)),
            include_profile=False,
            if_none_match=inm,
        )
        return await self._authorized(SCORES_READ, page, scope, receive, send)

    async def _batch_get(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a batch-get of health scores whose body the route would accept; any other (no Content-Length,
        too large, not JSON, not the contract's) goes to the app with its body, and the route answers it.

        At 100 ids the route's body parsing, routing and dependency resolution cost about as much as the 100
        reads: the body here is parsed and validated by the request model in one call of pydantic-core.
        """
        length = _json_body_length(scope["headers"])
        if length is None or length > self.services.settings.api_max_body_bytes:
            await self.app(scope, receive, send)  # the body limit, or the route, answers it
            return
        messages = [await receive()]
        while messages[-1]["type"] == "http.request" and messages[-1].get("more_body", False):
            messages.append(await receive())
        replay = _replaying(messages, receive)
        ids: list[str] | None = None
        if messages[-1]["type"] == "http.request":  # else the client left: the app sees it as it would have
            try:
                body = b"".join(message.get("body", b"") for message in messages)
                ids = BatchGetHealthScoresRequest.model_validate_json(body).subscriber_ids
            except ValidationError:
                pass  # the route answers 422 (or 401 first, as FastAPI orders its checks)
        if ids is None:
            await self.app(scope, replay, send)
            return
        answer = self._authorized(SCORES_READ, functools.partial(batch_scores, self.services, ids), scope, replay, send)
        await self._observed(BATCH_PATH, answer, scope, replay, send)

    async def _miss(
        self, route: FastRoute, run: queries.ServedRun | None, subscriber_id: str, if_none_match: str | None
    ) -> Response:
        """The route's answer to a lookup the cache does not hold."""
        served = queries.require_run(run)
        produce = functools.partial(route.body, self.services, served, subscriber_id)
        entry = await fill(self.services, route.key(served.key, subscriber_id), produce)
        return conditional(entry, if_none_match, cache_control(self.services.settings))

    async def _authorized(
        self, needed: str, respond: Callable[[], Awaitable[Response]], scope: Scope, receive: Receive, send: Send
    ) -> int:
        """Send ``respond()``'s response to a request holding scope ``needed``, or the problem the route would answer
        (an authorization's, or a later one with the rate-limit headers); say its status."""
        extra: list[tuple[bytes, bytes]] = []
        try:
            authorized = await authorize(self.services, scope, needed)
            extra = authorized.raw_headers
            response = await respond()
        except C360Error as exc:
            response = answer_error(exc)
        response.raw_headers.extend(extra)
        await response(scope, receive, send)
        return response.status_code


async def _raise(exc: C360Error) -> Response:
    """A response that is ``exc``'s problem (``_authorized`` answers it once the key has been checked)."""
    raise exc


def _if_none_match(scope: Scope) -> str | Literal[False] | None:
    """The first If-None-Match, as FastAPI's Header parameter reads it; False when the contract refuses it."""
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            return False if len(value) > MAX_IF_NONE_MATCH else value.decode("latin-1")
    return None


def _json_body_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    """The Content-Length of a request whose first Content-Type is JSON (as FastAPI reads it); else None."""
    length: int | None = None
    json_type: bool | None = None
    for name, value in headers:
        if name == b"content-length" and length is None:
            length = int(value) if value.isdigit() else -1
        elif name == b"content-type" and json_type is None:
            json_type = value.partition(b";")[0].strip().lower() == b"application/json"
    return length if json_type and length is not None and length >= 0 else None


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    """``receive`` that gives back the messages already read first."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


def _feed_params(query: bytes) -> dict[str, str] | None:
    """The change feed's parameters when each is known, given once and valid; else None."""
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    params = dict(pairs)
    if len(params) != len(pairs) or not params.keys() <= _FEED_PARAMS:
        return None
    if "limit" in params and not (_LIMIT.fullmatch(params["limit"]) and int(params["limit"]) <= MAX_PAGE):
        return None
    tokens = (params[name] for name in ("sync_token", "cursor") if name in params)
    if not all(len(token) <= MAX_TOKEN and _TOKEN.fullmatch(token) for token in tokens):
        return None
    return params
