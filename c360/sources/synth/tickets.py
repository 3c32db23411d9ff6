"""support_tickets.parquet: tickets are drawn per day by the simulation and written once at the end."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from numpy.typing import NDArray

from c360.sources.synth import params as P
from c360.sources.synth.encode import (
    SECONDS_PER_DAY,
    ascii_to_arrow,
    in_year_2099,
    pick,
    uuid4_ascii,
    weighted_codes,
)
from c360.sources.synth.population import Population

SCHEMA: Final = pa.schema(
    [
        ("ticket_id", pa.string()),
        ("subscriber_id", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),
        ("resolved_at", pa.timestamp("us", tz="UTC")),
        ("channel", pa.string()),
        ("category", pa.string()),
        ("priority", pa.string()),
        ("satisfaction_score", pa.int8()),
        ("status", pa.string()),
        ("agent_team", pa.string()),
    ]
)
STATUSES: Final = ("open", "resolved", "closed")
NEVER_RESOLVED: Final = 0.04  # tickets left open for good
AUTO_CLOSE_SECONDS: Final = 3 * SECONDS_PER_DAY  # a resolved ticket is closed 3 days later
_CANCEL: Final = P.CATEGORIES.index("cancellation")
_BILLING: Final = P.CATEGORIES.index("billing")
_TEAM_BY_CATEGORY: Final = (2, 3, 0, 1, 0, 4)  # billing->tier2-billing, technical->tier2-tech, ...

I64 = NDArray[np.int64]


class TicketLog:
    """Column chunks of (subscriber, created second, category) for tickets created inside the window."""

    def __init__(self) -> None:
        """Start empty."""
        self._chunks: list[tuple[I64, I64, I64]] = []

    def add(self, sub: NDArray[np.intp], secs: I64, category: NDArray[np.integer]) -> None:
        """Record one day's tickets."""
        self._chunks.append((sub.astype(np.int64), secs.astype(np.int64), category.astype(np.int64)))

    def columns(self) -> tuple[I64, I64, I64]:
        """All recorded tickets, in recording order."""
        if not self._chunks:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty
        sub, secs, cat = (np.concatenate(c) for c in zip(*self._chunks, strict=True))
        return sub, secs, cat


def _satisfaction(rng: np.random.Generator, category: I64, priority: NDArray[np.int8]) -> I64:
    """1-5 score: cancellation and billing tickets and high priority ones are rated lower."""
    mean = 3.9 - 0.9 * (category == _CANCEL) - 0.4 * (category == _BILLING) - 0.3 * (priority == 2)
    score: I64 = np.clip(np.rint(rng.normal(mean, 1.0)), 1, 5).astype(np.int64)
    return score


def write_tickets(
    path: Path, log: TicketLog, pop: Population, as_of_end: int, rng: np.random.Generator
) -> Counter[str]:
    """Draw the per-ticket attributes, add dirt, sort by created_at and write the Parquet file."""
    sub, created, category = log.columns()
    order = np.argsort(created, kind="stable")
    sub, created, category = sub[order], created[order], category[order]
    n = len(sub)
    priority = weighted_codes(rng, P.PRIORITY_WEIGHTS, n)
    # median ~20 h to resolution, heavy right tail; unresolved if that lies after the end of as_of
    resolved = created + np.rint(rng.lognormal(np.log(20 * 3600), 1.0, n)).astype(np.int64)
    never = rng.random(n) < NEVER_RESOLVED
    is_open = never | (resolved > as_of_end)
    status = np.where(is_open, 0, np.where(resolved + AUTO_CLOSE_SECONDS <= as_of_end, 2, 1))
    score = _satisfaction(rng, category, priority)
    # open tickets have no score yet; enough closed ones lack one for ~40 % nulls overall
    open_share = float(is_open.mean()) if n else 0.0
    extra_null = max(0.0, (P.SATISFACTION_NULL_RATE - open_share) / max(1 - open_share, 1e-9))
    score_null = is_open | (rng.random(n) < extra_null)
    team = np.where(rng.random(n) < 0.7, np.asarray(_TEAM_BY_CATEGORY)[category], rng.integers(0, 5, n))
    # dirt: a few tickets without subscriber, some created in 2099, some rows repeated
    null_sub = rng.random(n) < P.TICKET_NULL_SUB_RATE
    future = rng.random(n) < P.TICKET_FUTURE_RATE
    created = np.where(future, in_year_2099(created), created)
    table = pa.table(
        {
            "ticket_id": ascii_to_arrow(uuid4_ascii(rng, n)),
            "subscriber_id": pc.if_else(pa.array(null_sub), pa.scalar(None, pa.string()), ascii_to_arrow(pop.sid[sub])),
            "created_at": pa.array(created * 1_000_000, pa.timestamp("us", tz="UTC")),
            "resolved_at": pa.array(resolved * 1_000_000, pa.timestamp("us", tz="UTC"), mask=is_open),
            "channel": pick(P.CHANNELS_TICKET, weighted_codes(rng, P.CHANNEL_TICKET_WEIGHTS, n)),
            "category": pick(P.CATEGORIES, category),
            "priority": pick(P.PRIORITIES, priority),
            "satisfaction_score": pa.array(score, pa.int8(), mask=score_null),
            "status": pick(STATUSES, status),
            "agent_team": pick(P.AGENT_TEAMS, team),
        },
        schema=SCHEMA,
    )
    dup = np.flatnonzero(rng.random(n) < P.TICKET_DUP_RATE)
    rows = np.concatenate([np.arange(n), dup])
    key = np.concatenate([np.arange(n), dup + 0.5])
    table = table.take(pa.array(rows[np.argsort(key, kind="stable")]))
    pq.write_table(table, path, compression="zstd")
    return Counter(
        support_tickets=table.num_rows,
        ticket_null_subscriber=int(null_sub.sum()),
        ticket_duplicates=len(dup),
        ticket_future_created=int(future.sum()),
        ticket_open=int(is_open.sum()),
    )
