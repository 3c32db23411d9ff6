"""One delivery attempt over HTTP/1.1: POST the signed body, read at most 2 KB of the answer, time it.

The engine sends on asyncio connections of its own, with httptools (the parser uvicorn uses) reading the
answers, kept alive per origin: a webhook attempt is always the same small POST, and aiohttp's general
request path (a request and a response object, header multidicts, a payload writer, tracing) cost 75-85 µs
of CPU per POST against 11-12 µs for this, on the same receiver (docs/benchmarks.md, "Webhooks"). Redirects
are not followed (a 3xx is a failed attempt), no proxy is used, and unless C360_WEBHOOK_ALLOW_PRIVATE_URLS
is set every URL passes ``ssrf.literal_refusal`` and every address a host resolves to passes
``ssrf.refusal`` before anything connects: the connection goes to the checked address, so a second
resolution cannot swap it for another.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import time
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from typing import cast
from urllib.parse import urlsplit

import httptools

from c360.text import clean
from c360.webhooks import ssrf
from c360.webhooks.errors import InvalidEndpointUrl

MAX_RESPONSE = 2048
MAX_RESPONSE_HEAD = 65536  # bytes of status line and headers a receiver may send (uvicorn, h11 and nginx: 4-64 KiB)
USER_AGENT = "c360-webhooks/1.0"
KEEP_IDLE = 15.0  # seconds an idle connection is kept for the next attempt (aiohttp's default too)


@dataclass(frozen=True)
class Answer:
    """What came back: a status and the start of the body, or the error."""

    latency_ms: float
    status_code: int | None = None
    response: str | None = None
    error: str | None = None
    retry_after: str | None = None


@dataclass(frozen=True)
class _Origin:
    """Where a URL's requests go, and the start of each request to it (built once per URL)."""

    key: tuple[str, str, int]  # scheme, host, port: the connections it may reuse
    head: bytes  # request line and fixed headers


class _ConnectFailed(Exception):
    """Connecting failed (the message is the attempt's error)."""


class ResponseHeadTooLarge(Exception):
    """The receiver's status line and headers ran past MAX_RESPONSE_HEAD (the message is the attempt's error)."""


class Sender:
    """Keep-alive HTTP/1.1 connections for the engine's deliveries (open it inside the engine's event loop)."""

    def __init__(self, *, timeout: float, allow_private: bool) -> None:
        self.timeout, self.allow_private = timeout, allow_private
        self._idle: dict[tuple[str, str, int], deque[tuple[float, _Connection]]] = {}
        self._tls: ssl.SSLContext | None = None
        self._open = False

    async def __aenter__(self) -> Sender:
        self._open = True
        return self

    async def __aexit__(self, *_: object) -> None:
        self._open = False
        for idle in self._idle.values():
            for _since, conn in idle:
                conn.close()
        self._idle.clear()

    async def send(self, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        """POST ``body``; never raises for the receiver's or the network's failures."""
        assert self._open, "use Sender as an async context manager"
        started = time.perf_counter()
        refused = None if self.allow_private else _refused(url)
        if refused:
            return Answer(0.0, error=refused)
        origin = _origin(url)
        if isinstance(origin, str):
            return Answer(0.0, error=origin)
        request = b"%s%sContent-Length: %d\r\n\r\n" % (
            origin.head,
            b"".join(b"%s: %s\r\n" % (name.encode(), value.encode()) for name, value in headers.items()),
            len(body),
        )
        conn: _Connection | None = None
        try:
            async with asyncio.timeout(self.timeout):
                conn = self._reuse(origin.key) or await self._connect(origin.key)
                status, text, retry_after = await conn.exchange(request, body)
        except TimeoutError:
            return Answer(_ms(started), error=f"timed out after {self.timeout:g} s")
        except _ConnectFailed as exc:
            return Answer(_ms(started), error=str(exc))
        except ResponseHeadTooLarge as exc:
            return Answer(_ms(started), error=str(exc))
        except (OSError, httptools.HttpParserError) as exc:
            return Answer(_ms(started), error=f"{type(exc).__name__}: {exc}".strip().rstrip(":"))
        finally:
            if conn is not None and not conn.reusable:
                conn.close()  # failed, closing, or an answer not read to its end
        assert conn is not None
        if conn.reusable:
            self._idle.setdefault(origin.key, deque()).append((time.monotonic(), conn))
        return Answer(_ms(started), status, text, retry_after=retry_after)

    def _reuse(self, key: tuple[str, str, int]) -> _Connection | None:
        """The most recently used idle connection to ``key`` still open; those idle for KEEP_IDLE are closed."""
        idle = self._idle.get(key)
        if not idle:
            return None
        now = time.monotonic()
        while idle and now - idle[0][0] >= KEEP_IDLE:  # the least recently used first
            idle.popleft()[1].close()
        while idle:
            _since, conn = idle.pop()
            if not conn.closed:  # closed: the server hung up while it was idle
                return conn
        return None

    async def _connect(self, key: tuple[str, str, int]) -> _Connection:
        scheme, host, port = key
        loop = asyncio.get_running_loop()
        tls = None
        if scheme == "https":
            self._tls = self._tls or ssl.create_default_context()
            tls = self._tls
        addresses = [host] if self.allow_private else await self._checked_addresses(host, port)
        failure: OSError | None = None
        for address in addresses:  # the checked addresses in the resolver's order, until one connects
            try:
                _, conn = await loop.create_connection(
                    _Connection, address, port, ssl=tls, server_hostname=host if tls else None
                )
                return conn
            except OSError as exc:
                failure = exc
        assert failure is not None
        raise _ConnectFailed(f"connection failed: {failure.strerror or failure}")

    async def _checked_addresses(self, host: str, port: int) -> list[str]:
        """The addresses ``host`` resolves to, refused whole when any one is not public (ssrf.refusal)."""
        if _is_ip(host):  # a literal, checked with the URL (_refused)
            return [host]
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise _ConnectFailed(f"connection failed: cannot resolve {host}: {exc}") from None
        for info in infos:
            reason = ssrf.refusal(str(info[4][0]))
            if reason:
                raise _ConnectFailed(f"refused: {host} resolves to {info[4][0]}, {reason}")
        return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _Connection(asyncio.Protocol):
    """One connection: a request written, its answer parsed as it comes, one exchange at a time."""

    def __init__(self) -> None:
        self._parser = httptools.HttpResponseParser(self)
        self._transport: asyncio.Transport | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._body = bytearray()
        self._head_bytes = 0
        self._status: int | None = None
        self._retry_after: str | None = None
        self._complete = False
        self._keep_alive = False
        self.closed = False
        self.reusable = False

    async def exchange(self, request: bytes, body: bytes) -> tuple[int, str, str | None]:
        """Write the request, wait for the status and up to MAX_RESPONSE bytes of the body: (status, text,
        Retry-After)."""
        assert self._transport is not None and self._waiter is None
        self.reusable = False
        self._body.clear()
        self._head_bytes = 0
        self._status, self._retry_after, self._complete, self._keep_alive = None, None, False, False
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            self._transport.writelines((request, body))
            await self._waiter
        finally:
            self._waiter = None
        assert self._status is not None
        # kept for the next attempt only when this answer was read to its end and the server keeps it open
        self.reusable = self._complete and self._keep_alive and not self.closed
        return self._status, _text(self._body), self._retry_after

    def close(self) -> None:
        self.closed = True
        if self._transport is not None:
            self._transport.close()

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's transports do not subclass asyncio's

    def data_received(self, data: bytes) -> None:
        if self._waiter is None:  # nothing was asked: a server that talks out of turn is not reused
            self.close()
            return
        if self._status is None:  # still in the status line and headers
            self._head_bytes += len(data)
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._finish(exc)
            return
        if self._status is None and self._head_bytes > MAX_RESPONSE_HEAD:
            # a receiver streaming one endless header would otherwise hold the attempt to its timeout, while the
            # parser joins the header's pieces (quadratic: gigabytes and the event loop every endpoint shares)
            self._finish(
                ResponseHeadTooLarge(f"the response's status line and headers ran past {MAX_RESPONSE_HEAD} bytes")
            )
            self.close()

    def eof_received(self) -> bool | None:
        return None  # close the transport: connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._status is not None and not self._complete:
            self._complete = True  # a body that runs until the connection closes (no length, not chunked)
            self._finish(None)
        else:
            self._finish(exc or ConnectionResetError("the server closed the connection before answering"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"retry-after":
            self._retry_after = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        self._status = self._parser.get_status_code()
        self._keep_alive = self._parser.should_keep_alive()  # read here: the parser forgets it once the body ends

    def on_body(self, chunk: bytes) -> None:
        room = MAX_RESPONSE - len(self._body)
        self._body += chunk[:room]
        if len(chunk) > room:  # more than we keep: answered, and this connection is not read any further
            self._finish(None)

    def on_message_complete(self) -> None:
        self._complete = True
        self._finish(None)

    def _finish(self, exc: BaseException | None) -> None:
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        if exc is None:
            waiter.set_result(None)
        else:
            waiter.set_exception(exc)


@lru_cache(maxsize=1024)
def _origin(url: str) -> _Origin | str:
    """The request head for ``url``, or why it cannot be called (a URL the API would not have accepted)."""
    target = _parsed(url)
    if isinstance(target, str):
        return target
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default_port = 443 if target.scheme == "https" else 80
    host = target.host if target.port == default_port else f"{target.host}:{target.port}"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {USER_AGENT}\r\n"
        "Content-Type: application/json\r\nAccept: */*\r\n"
    )
    return _Origin((target.scheme, target.host, target.port), head.encode("ascii"))


def _parsed(url: str) -> ssrf.Target | str:
    """``url``'s parts, or why it is refused."""
    try:
        return ssrf.parse(url)
    except InvalidEndpointUrl as exc:
        return f"refused: {exc.message}"


def _text(body: bytes | bytearray) -> str:
    # the receiver's bytes, as text any store and log line can hold (c360.text): no NUL, no lone surrogate
    return clean(body.decode("utf-8", errors="replace"))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1024)
def _refused(url: str) -> str | None:
    """Why ``url`` is not called (checked again at every delivery: the rules may have tightened)."""
    target = _parsed(url)
    if isinstance(target, str):
        return target
    if target.scheme != "https":
        return "refused: the URL is not https (only C360_WEBHOOK_ALLOW_PRIVATE_URLS allows http)"
    reason = ssrf.literal_refusal(target.host)
    return f"refused: {target.host} is {reason}" if reason else None


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
