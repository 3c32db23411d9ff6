"""The retry schedule: configuration data (C360_WEBHOOK_RETRY_SCHEDULE), with jitter and Retry-After."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

JITTER = 0.2  # each delay is drawn from ±20 % around the schedule's, so retries of one outage spread out
MAX_RETRY_AFTER = 86_400.0  # a Retry-After further out than a day is taken as a day
_SECONDS = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class Schedule:
    """Seconds to wait after failed attempt n (n = 1, 2, …): ``delays[n - 1]``; none left means give up."""

    delays: tuple[float, ...]

    @property
    def attempts(self) -> int:
        """Most attempts a message gets (the first, then one per delay)."""
        return 1 + len(self.delays)

    def next_delay(self, failed_attempts: int, retry_after: float | None = None) -> float | None:
        """Seconds until the next attempt after ``failed_attempts`` failures, or None: retries exhausted.

        A Retry-After (429, 503) is a floor: the next attempt is never earlier than the receiver asked.
        """
        if failed_attempts > len(self.delays):
            return None
        base = self.delays[failed_attempts - 1]
        delay = base * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 - jitter, not security
        if retry_after is not None:
            delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
        return delay


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as seconds from now; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    # ASCII digits only: str.isdigit() is also true of "²" and "١٢", which float() refuses
    if _SECONDS.fullmatch(value):
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, min((when - (now or datetime.now(UTC))).total_seconds(), MAX_RETRY_AFTER))
    except (TypeError, ValueError, IndexError, OverflowError):  # whatever a receiver sends: unreadable is None
        return None
