"""The per-process maps on every request's path stay bounded and honour their expiry."""

from __future__ import annotations

import asyncio
import time

import pytest

from api import ratelimit
from api.cache import Rendered, ResponseCache
from api.ratelimit import RateLimiter


def test_the_response_cache_keeps_the_most_recently_used_and_expires_entries() -> None:
    counted: list[str] = []
    cache = ResponseCache(size=2, ttl=0.2, redis=None, count=counted.append)

    async def scenario() -> None:
        a, b, c = (Rendered.of(body) for body in (b"a", b"b", b"c"))
        await cache.put("a", a)
        await cache.put("b", b)
        assert await cache.get("a") == a  # a is now the most recently used: b goes first
        await cache.put("c", c)
        assert [await cache.get(key) for key in ("a", "b", "c")] == [a, None, c]
        await asyncio.sleep(0.3)
        assert await cache.get("a") is None and await cache.get("c") is None

    asyncio.run(scenario())
    assert counted == ["hit", "hit", "miss", "hit", "miss", "miss"]


def test_the_local_rate_limit_counts_per_window_and_forgets_the_oldest_key_when_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ratelimit, "MAX_COUNTED", 3)
    limiter = RateLimiter(limit=2, window=3600, redis=None)

    async def scenario() -> None:
        assert [(await limiter.hit("k1")).allowed for _ in range(3)] == [True, True, False]
        assert await limiter.exhausted("k1") and not await limiter.exhausted("k2")
        for key in ("k2", "k3", "k4"):  # a fourth key: k1, counted first, is forgotten
            await limiter.hit(key)
        assert not await limiter.exhausted("k1")
        assert (await limiter.hit("k4")).remaining == 0

    asyncio.run(scenario())


def test_a_new_window_starts_every_count_again() -> None:
    limiter = RateLimiter(limit=1, window=1, redis=None)

    async def scenario() -> None:
        while time.time() % 1 > 0.5:  # start early in a window, so both hits land in it
            await asyncio.sleep(0.05)
        assert [(await limiter.hit("k")).allowed for _ in range(2)] == [True, False]
        await asyncio.sleep(1.0)
        assert (await limiter.hit("k")).allowed

    asyncio.run(scenario())
