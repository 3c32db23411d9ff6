"""A real HTTP receiver on loopback (aiohttp, in a thread of its own), scriptable per test.

It records every request (the Standard Webhooks headers, the body, when it came and when the answer
went) and answers what ``answer`` says, which sees the request and how many times its webhook-id has
been seen. ``stop()`` closes the port (connection refused), ``start()`` opens the same port again.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web
from standardwebhooks import Webhook

from tests.conftest import free_port


@dataclass(frozen=True)
class Delivery:
    """One request the receiver got."""

    id: str
    timestamp: str
    signature: str
    body: bytes
    headers: dict[str, str]
    seen: int  # how many times this webhook-id had come, this one included
    received_at: float  # time.time()
    answered_at: float = 0.0


Answer = Callable[[Delivery], Awaitable[web.StreamResponse] | web.StreamResponse]


def ok(_: Delivery) -> web.StreamResponse:
    return web.Response(status=204)


@dataclass
class Receiver:
    """An HTTP server on 127.0.0.1 recording what it receives."""

    answer: Answer = ok
    path: str = "/hook"
    deliveries: list[Delivery] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    _seen: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def start(self) -> Receiver:
        """Listen (again, on the same port)."""
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def stop(self) -> None:
        """Close the port: connections are refused until ``start``."""
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._runner = None

    def close(self) -> None:
        self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def ids(self) -> list[str]:
        with self._lock:
            return [d.id for d in self.deliveries]

    def verify(self, secret: str) -> list[dict[str, object]]:
        """Every delivery verified with ``standardwebhooks`` against ``secret``; their parsed bodies."""
        with self._lock:
            deliveries = list(self.deliveries)
        return [Webhook(secret).verify(d.body, d.headers) for d in deliveries]

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Delivery]:
        """At least ``count`` deliveries (AssertionError after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.deliveries) >= count:
                    return list(self.deliveries)
            time.sleep(0.02)
        raise AssertionError(f"the receiver got {len(self.deliveries)} of {count} deliveries in {timeout} s")

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_post(self.path, self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True).start()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        headers = {k.lower(): v for k, v in request.headers.items()}
        msg_id = headers.get("webhook-id", "")
        with self._lock:
            self._seen[msg_id] += 1
            delivery = Delivery(
                msg_id, headers.get("webhook-timestamp", ""), headers.get("webhook-signature", ""), body, headers,
                self._seen[msg_id], time.time(),
            )  # fmt: skip
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            answer = self.answer(delivery)
            response = await answer if inspect.isawaitable(answer) else answer
        finally:
            with self._lock:
                self.in_flight -= 1
                self.deliveries.append(delivery)
        assert isinstance(response, web.StreamResponse)
        return response
