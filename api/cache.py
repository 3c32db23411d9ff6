"""Rendered responses, cached per served run: in process (LRU), and shared through Redis when configured.

The cache key always contains the served run's seq, so publishing a run invalidates everything at
once with no message to anyone: each process notices the new run within C360_API_RUN_CHECK_INTERVAL
(one indexed query per interval, not per request) and starts using new keys. ETags are strong: a
hash of the exact bytes sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from redis import asyncio as aioredis
from redis.exceptions import RedisError

from api.reads import read
from c360.serving.queries import ServedRun, current_run
from c360.serving.store import Store

log = logging.getLogger(__name__)


def score_key(served: str, subscriber_id: str) -> str:
    """Cache key of a health score (GET /v1/subscribers/{id}/health-score), shared with api.fastpath."""
    return f"score:{served}:{subscriber_id}"


def profile_key(served: str, subscriber_id: str) -> str:
    """Cache key of a profile (GET /v1/subscribers/{id}), shared with api.fastpath."""
    return f"profile:{served}:{subscriber_id}"


@dataclass(frozen=True, slots=True)
class Rendered:
    """A response body and its strong ETag."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, body: bytes) -> Rendered:
        """``body`` with the ETag derived from its bytes: 128 bits of its SHA-256, which CPUs with SHA extensions (x86
        since Zen and Ice Lake, ARMv8) hash at twice BLAKE2b's speed: 0.28 against 0.56 ms for a feed page of 509 KB."""
        return cls(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


REDIS_BACKOFF = 5.0  # seconds Redis is left alone after a failure


class RedisLink:
    """One asyncio Redis client per event loop (test clients run each app on a loop of their own)."""

    def __init__(self, url: str, prefix: str) -> None:
        self.url, self.prefix = url, prefix
        self._client: aioredis.Redis | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._warned_at = 0.0
        self._skip_until = 0.0  # after a failure Redis is left alone until then (a circuit breaker)

    @property
    def up(self) -> bool:
        """False for REDIS_BACKOFF seconds after a failure: a Redis that drops packets cost every request its
        0.5 s timeouts (cache read, cache write, rate limit), twice; a refused connection costs nothing."""
        return time.monotonic() >= self._skip_until

    def client(self) -> aioredis.Redis:
        """The client for the running loop."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = aioredis.Redis.from_url(self.url, socket_timeout=0.5, socket_connect_timeout=0.5)
            self._loop = loop
        return self._client

    def failed(self, what: str, exc: Exception) -> None:
        """Log a Redis failure (at most once a minute): callers carry on without Redis, and leave it alone for
        REDIS_BACKOFF seconds (then one request tries it again)."""
        self._skip_until = time.monotonic() + REDIS_BACKOFF
        if time.monotonic() - self._warned_at > 60:
            self._warned_at = time.monotonic()
            log.warning("redis %s failed, continuing without it: %s", what, exc)


class ResponseCache:
    """LRU of rendered responses with a TTL, in front of an optional shared Redis cache."""

    def __init__(self, *, size: int, ttl: float, redis: RedisLink | None, count: Callable[[str], None]) -> None:
        self.size, self.ttl, self.redis, self._count = size, ttl, redis, count
        # (expiry, response) by key, least recently used first: an OrderedDict does the LRU in C, where a
        # TTL cache's bookkeeping in Python cost more than answering the hit
        self._entries: OrderedDict[str, tuple[float, Rendered]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        """False when C360_API_CACHE_SIZE is 0."""
        return self.size > 0

    async def get(self, key: str) -> Rendered | None:
        """The cached response for ``key``, from memory, else Redis."""
        if not self.enabled:
            return None
        found = self._entries.get(key)
        if found is not None:
            if found[0] > time.monotonic():
                self._entries.move_to_end(key)
                self._count("hit")
                return found[1]
            del self._entries[key]  # expired
        shared = await self._redis_get(key) if self.redis and self.redis.up else None
        if shared is not None:
            self._keep(key, shared)
        self._count("hit" if shared else "miss")
        return shared

    async def put(self, key: str, value: Rendered) -> None:
        """Cache ``value`` here and, when configured, in Redis."""
        if not self.enabled:
            return
        self._keep(key, value)
        if self.redis and self.redis.up:
            try:
                await self.redis.client().set(
                    self._redis_key(key), value.etag.encode() + b"\n" + value.body, ex=int(self.ttl)
                )
            except (RedisError, OSError) as exc:
                self.redis.failed("cache write", exc)

    def _keep(self, key: str, value: Rendered) -> None:
        self._entries[key] = (time.monotonic() + self.ttl, value)
        self._entries.move_to_end(key)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every in-process entry (a new run is served: they can never be hit again)."""
        self._entries.clear()

    async def _redis_get(self, key: str) -> Rendered | None:
        assert self.redis is not None
        try:
            raw = await self.redis.client().get(self._redis_key(key))
        except (RedisError, OSError) as exc:
            self.redis.failed("cache read", exc)
            return None
        if not isinstance(raw, bytes):  # None (a miss); the client returns bytes (no decode_responses)
            return None
        etag, _, body = raw.partition(b"\n")
        return Rendered(body, etag.decode())

    def _redis_key(self, key: str) -> str:
        assert self.redis is not None
        return f"{self.redis.prefix}resp:{hashlib.blake2b(key.encode(), digest_size=16).hexdigest()}"


class RunWatcher:
    """The served run, looked up at most once per ``interval`` seconds per process."""

    def __init__(self, store: Store, *, interval: float, on_change: Callable[[], Any]) -> None:
        self.store, self.interval, self.on_change = store, interval, on_change
        self._run: ServedRun | None = None
        self._checked_at = float("-inf")

    async def current(self) -> ServedRun | None:
        """The served run (None before the first publish)."""
        if time.monotonic() - self._checked_at < self.interval:
            return self._run
        run = await read(self.store, lambda: current_run(self.store))
        if (run.key if run else None) != (self._run.key if self._run else None):
            self.on_change()
        self._run, self._checked_at = run, time.monotonic()
        return run
