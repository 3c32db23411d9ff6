"""One delivery attempt over HTTP: POST the signed body, read at most 2 KB of the answer, time it.

The engine sends with aiohttp rather than httpx: 32 concurrent signed POSTs to a local receiver ran
at about 3,500/s with aiohttp against 300/s with httpx's AsyncClient on the same 2-core machine
(bench/webhooks.py measures both). Redirects are not followed (a 3xx is a failed attempt), proxies
from the environment are ignored, and unless C360_WEBHOOK_ALLOW_PRIVATE_URLS is set every address
the client would connect to passes ``ssrf.refusal`` first: IP literals here, names in the resolver.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from functools import lru_cache

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from c360.text import clean
from c360.webhooks import ssrf
from c360.webhooks.errors import InvalidEndpointUrl

MAX_RESPONSE = 2048
USER_AGENT = "c360-webhooks/1.0"


@dataclass(frozen=True)
class Answer:
    """What came back: a status and the start of the body, or the error."""

    latency_ms: float
    status_code: int | None = None
    response: str | None = None
    error: str | None = None
    retry_after: str | None = None


class RefusedAddress(OSError):
    """The host resolved to an address we do not call."""


class GuardedResolver(AbstractResolver):
    """The default resolver, refusing any host with an address ``ssrf.refusal`` refuses."""

    def __init__(self) -> None:
        self._inner = ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            reason = ssrf.refusal(result["host"])
            if reason:
                raise RefusedAddress(f"refused: {host} resolves to {result['host']}, {reason}")
        return results

    async def close(self) -> None:
        await self._inner.close()


class Sender:
    """An HTTP client session for the engine's deliveries (open it inside the engine's event loop)."""

    def __init__(self, *, timeout: float, concurrency: int, allow_private: bool) -> None:
        self.timeout, self.concurrency, self.allow_private = timeout, concurrency, allow_private
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Sender:
        connector = aiohttp.TCPConnector(
            limit=self.concurrency,
            limit_per_host=0,  # the engine bounds each endpoint itself
            resolver=None if self.allow_private else GuardedResolver(),
            ttl_dns_cache=10,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=self.timeout),
            headers={"User-Agent": USER_AGENT, "Content-Type": "application/json"},
            trust_env=False,
            auto_decompress=False,
        )
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def send(self, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        """POST ``body``; never raises for the receiver's or the network's failures."""
        assert self._session is not None, "use Sender as an async context manager"
        started = time.perf_counter()
        refused = None if self.allow_private else _refused(url)
        if refused:
            return Answer(0.0, error=refused)
        try:
            async with self._session.post(url, data=body, headers=headers, allow_redirects=False) as response:
                text, complete = await _start_of(response)
                if not complete:
                    response.close()  # do not read (or keep the connection for) the rest
                return Answer(_ms(started), response.status, text, retry_after=response.headers.get("Retry-After"))
        except TimeoutError:
            return Answer(_ms(started), error=f"timed out after {self.timeout:g} s")
        except aiohttp.ClientConnectorError as exc:
            if isinstance(exc.os_error, RefusedAddress):
                return Answer(_ms(started), error=str(exc.os_error))
            return Answer(_ms(started), error=f"connection failed: {exc.os_error.strerror or exc.os_error}")
        except (aiohttp.ClientError, OSError) as exc:
            return Answer(_ms(started), error=f"{type(exc).__name__}: {exc}".strip().rstrip(":"))


async def _start_of(response: aiohttp.ClientResponse) -> tuple[str, bool]:
    """Up to MAX_RESPONSE bytes of the body as text, and whether that was all of it."""
    chunks = bytearray()
    while len(chunks) < MAX_RESPONSE:
        part = await response.content.read(MAX_RESPONSE - len(chunks))
        if not part:
            return _text(chunks), True
        chunks += part
    complete = response.content.at_eof()
    return _text(chunks), complete


def _text(body: bytes | bytearray) -> str:
    # the receiver's bytes, as text any store and log line can hold (c360.text): no NUL, no lone surrogate
    return clean(body.decode("utf-8", errors="replace"))


@lru_cache(maxsize=1024)
def _refused(url: str) -> str | None:
    """Why ``url`` is not called (checked again at every delivery: the rules may have tightened)."""
    try:
        target = ssrf.parse(url)
    except InvalidEndpointUrl as exc:
        return f"refused: {exc.message}"
    if target.scheme != "https":
        return "refused: the URL is not https (only C360_WEBHOOK_ALLOW_PRIVATE_URLS allows http)"
    reason = ssrf.literal_refusal(target.host)
    return f"refused: {target.host} is {reason}" if reason else None


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
