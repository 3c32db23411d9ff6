"""Per-key rate limits: a fixed-window counter, in process or shared through Redis.

Each key may make C360_API_RATE_LIMIT requests per window of C360_API_RATE_LIMIT_WINDOW seconds
(windows are aligned to the clock, so every replica agrees on them). With Redis the count is one
``INCR`` per request on a key that expires with its window; if Redis fails the process falls back
to its own count rather than refusing traffic. Fixed windows allow up to twice the limit across a
window boundary; that is the documented price of one round trip per request.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from redis.exceptions import RedisError

from api.cache import RedisLink

MAX_COUNTED = 100_000  # keys (or client addresses) counted per window in a process


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of counting one request."""

    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the window ends
    window: int

    def headers(self) -> dict[str, str]:
        """RateLimit header fields (draft-ietf-httpapi-ratelimit-headers)."""
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
            "RateLimit-Policy": f"{self.limit};w={self.window}",
        }


class RateLimiter:
    """Counts requests per key and window."""

    def __init__(self, *, limit: int, window: int, redis: RedisLink | None) -> None:
        self.limit, self.window, self.redis = limit, window, redis
        # the counts of the current window only (a count is worth nothing once its window is over), in a plain
        # dict, bounded: counting is on every request's path, and a TTL cache's bookkeeping cost more than it
        self._window_index, self._counts = -1, dict[str, int]()

    @property
    def enabled(self) -> bool:
        """False when C360_API_RATE_LIMIT is 0."""
        return self.limit > 0

    async def hit(self, key_id: str) -> Decision:
        """Count one request of ``key_id``."""
        now = time.time()
        window_index = int(now // self.window)
        count = await self._shared(key_id, window_index) if self.redis and self.redis.up else None
        if count is None:
            count = self._count_locally(key_id, window_index)
        reset = max(1, math.ceil((window_index + 1) * self.window - now))
        return Decision(count <= self.limit, self.limit, max(0, self.limit - count), reset, self.window)

    async def exhausted(self, key_id: str) -> bool:
        """Whether ``key_id`` has used up the current window, without counting a request."""
        window_index = int(time.time() // self.window)
        count = None
        if self.redis and self.redis.up:
            try:
                found = await self.redis.client().get(f"{self.redis.prefix}rl:{key_id}:{window_index}")
                count = int(found) if found is not None else 0
            except (RedisError, OSError, ValueError) as exc:
                self.redis.failed("rate limit", exc)
        if count is None:
            count = self._counts.get(key_id, 0) if window_index == self._window_index else 0
        return count >= self.limit

    def _count_locally(self, key_id: str, window_index: int) -> int:
        if window_index != self._window_index:
            self._window_index, self._counts = window_index, {}
        count = self._counts.get(key_id, 0) + 1
        if count == 1 and len(self._counts) >= MAX_COUNTED:
            del self._counts[next(iter(self._counts))]  # the key counted first in this window is forgotten
        self._counts[key_id] = count
        return count

    async def _shared(self, key_id: str, window_index: int) -> int | None:
        assert self.redis is not None
        name = f"{self.redis.prefix}rl:{key_id}:{window_index}"
        try:
            pipe = self.redis.client().pipeline(transaction=False)
            pipe.incr(name)
            pipe.expire(name, self.window + 1)
            count, _ = await pipe.execute()
        except (RedisError, OSError) as exc:
            self.redis.failed("rate limit", exc)
            return None
        return int(count)
