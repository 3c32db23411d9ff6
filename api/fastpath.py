"""The warm-cache fast path: cached GETs answered before FastAPI routing and dependency resolution.

Resolving a route and its dependencies costs FastAPI more per request than sending a cached body, so
cache hits of the hot lookups are answered here, in front of the app, with exactly what the route
would send: the same key and scope checks (``KeyVerifier``, ``ApiKey.allows``), the same rate-limit
count, the same cache key, ETag, 304 and headers. Anything else — a miss, a bad or missing key, a
query string, another path — goes on to FastAPI unchanged, which answers it (and fills the cache).
The request is counted against the rate limit once, by whichever path answers it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from api.cache import profile_key, score_key
from api.deps import Services, identify
from api.problems import from_error
from api.responses import cache_control, not_modified
from api.routers.params import MAX_IF_NONE_MATCH
from c360.errors import C360Error
from c360.serving.errors import RateLimited
from c360.serving.events import SUBSCRIBER_ID_PATTERN

_ID = SUBSCRIBER_ID_PATTERN.removeprefix("^").removesuffix("$")


@dataclass(frozen=True)
class FastRoute:
    """A cacheable GET without query parameters: its path, template, scope and cache key."""

    path: re.Pattern[str]
    template: str
    scope: str
    key: Callable[[str, str], str]


ROUTES = (
    FastRoute(
        re.compile(rf"^/v1/subscribers/(?P<id>{_ID})/health-score$"),
        "/v1/subscribers/{subscriber_id}/health-score",
        "scores:read",
        score_key,
    ),
    FastRoute(
        re.compile(rf"^/v1/subscribers/(?P<id>{_ID})$"), "/v1/subscribers/{subscriber_id}", "profiles:read", profile_key
    ),
)


class CacheFront:
    """Answers cache hits of ``ROUTES`` itself; passes every other request to the app."""

    def __init__(self, app: ASGIApp, *, services: Services) -> None:
        self.app, self.services = app, services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["query_string"]
            or not self.services.cache.enabled
        ):
            await self.app(scope, receive, send)
            return
        for route in ROUTES:
            match = route.path.fullmatch(scope["path"])  # "$" alone would also match before a final "\n"
            if match and await self._answer(route, match.group("id"), scope, receive, send):
                return
            if match:
                break
        await self.app(scope, receive, send)

    async def _answer(self, route: FastRoute, subscriber_id: str, scope: Scope, receive: Receive, send: Send) -> bool:
        """Send the cached response (True), or leave the request to the app (False)."""
        app = self.services
        headers = dict(scope["headers"])
        inm = headers.get(b"if-none-match")
        if inm is not None and len(inm) > MAX_IF_NONE_MATCH:
            return False  # the app answers 422, as the contract's maxLength says
        try:
            key = await identify(app, scope)  # the routes' own reading and verification of the key
        except C360Error:
            return False  # the app answers with the precise problem
        if not key.allows(route.scope):
            return False
        run = await app.runs.current()
        entry = await app.cache.get(route.key(run.key, subscriber_id)) if run else None
        if entry is None:
            return False
        scope["c360.route"] = route.template  # for the request metrics
        extra: dict[str, str] = {}
        if app.limiter.enabled:
            decision = await app.limiter.hit(key.key_id)
            extra = decision.headers()
            if not decision.allowed:
                limited = RateLimited(
                    f"this key may make {decision.limit} requests per {decision.window} s; retry in {decision.reset} s",
                    {**extra, "Retry-After": str(decision.reset)},
                )
                await from_error(limited)(scope, receive, send)
                return True
        response = [
            (b"etag", entry.etag.encode()),
            (b"cache-control", cache_control(app.settings).encode()),
            (b"vary", b"Authorization"),
            *((name.lower().encode(), value.encode()) for name, value in extra.items()),
        ]
        if inm is not None and not_modified(inm.decode("latin-1"), entry.etag):
            await send({"type": "http.response.start", "status": 304, "headers": response})
            await send({"type": "http.response.body", "body": b""})
            return True
        response += [(b"content-type", b"application/json"), (b"content-length", str(len(entry.body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": response})
        await send({"type": "http.response.body", "body": entry.body})
        return True
