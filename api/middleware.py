"""Pure ASGI middleware (no per-request task, no body copy): body size limit, metrics, response headers.

The size limit is ours rather than Starlette's RequestBodyLimitMiddleware because that one answers
413 in text/plain, around the problem+json mapping.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import Metrics
from api.problems import from_error
from c360.serving.errors import PayloadTooLarge


class BodyLimit:
    """Refuse bodies over ``max_bytes``: at once by Content-Length, else while a chunked body is read."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = PayloadTooLarge(f"the request body is larger than {self.max_bytes:,} bytes")
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > self.max_bytes):
                await from_error(too_large)(scope, receive, send)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                # raised inside the route's body read, which lets HTTPException through to api.problems
                raise HTTPException(413, too_large.message)
            return message

        await self.app(scope, counted, send)


class Observe:
    """Count and time every request by route template and status; add the headers a route left in state."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, templates: dict[int, str]) -> None:
        self.app, self.metrics, self.templates = app, metrics, templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                extra: dict[str, str] | None = scope.get("state", {}).get("response_headers")
                if extra:
                    message["headers"] = [*message.get("headers", ()), *_encoded(extra)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            route: Any = scope.get("route")
            # an included router's route knows only its own part of the path; the app knows the prefix
            template = (  # (api.fastpath counts what it answers itself, in front of this middleware)
                self.templates.get(id(route)) or getattr(route, "path", None) or "unmatched"
            )
            self.metrics.observe(scope["method"], template, status, time.perf_counter() - started)


def _encoded(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
