"""Recording attempts: every attempt logged, its message delivered, rescheduled or failed, and the
endpoint's failure clock kept (410 or failing for C360_WEBHOOK_DISABLE_AFTER disables it).

A message changes only while the lease that sent it is still its own: one claimed again meanwhile
(its lease ran out) belongs to the new claim, and only the attempt is logged.
"""

from __future__ import annotations

import json
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa

from c360.text import clean, clean_optional
from c360.webhooks import driver
from c360.webhooks.claims import Claimed, Policy
from c360.webhooks.tables import webhook_endpoints, webhook_messages

m, e = webhook_messages.c, webhook_endpoints.c


class Outcome(NamedTuple):
    """What one attempt came to (a named tuple: one per delivery, built faster than a dataclass)."""

    message: Claimed
    attempted_at: datetime
    latency_ms: float
    status_code: int | None = None
    response: str | None = None
    error: str | None = None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        """A 2xx answer."""
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class Recorded:
    """Counts of one round's recorded outcomes."""

    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    disabled: list[str] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)  # why attempts failed: "HTTP 503", "timed out ..."

    def add(self, other: Recorded) -> None:
        """Add another round's counts to these."""
        self.delivered += other.delivered
        self.retrying += other.retrying
        self.failed += other.failed
        self.disabled += other.disabled
        self.reasons.update(other.reasons)

    def why(self, most: int = 3) -> str:
        """The commonest reasons attempts failed, e.g. ``HTTP 503 ×2; connection failed: Connection refused``."""
        common = self.reasons.most_common(most)
        text = "; ".join(reason if n == 1 else f"{reason} ×{n}" for reason, n in common)
        return text + ("; ..." if len(self.reasons) > most else "")


def record(conn: sa.Connection, policy: Policy, outcomes: list[Outcome], now: datetime) -> Recorded:
    """Attempts logged; messages delivered, rescheduled or failed; endpoints' failure clocks kept."""
    recorded = Recorded()
    stamp = driver.stamper(conn.dialect)
    recorded_at = stamp(now)
    # attempt ids start with the time, as message ids do, so their index grows at one end; one random part
    # per round (and the attempt's place in it) keeps them unique across workers
    first_id, suffix = time.time_ns(), secrets.token_hex(4)
    attempts: list[tuple[Any, ...]] = []
    delivered: list[tuple[Any, ...]] = []
    changes: list[dict[str, Any]] = []
    gone: dict[str, Outcome] = {}
    for i, outcome in enumerate(outcomes):
        msg, attempted_at = outcome.message, stamp(outcome.attempted_at)
        attempts.append(
            (
                f"atmpt_{first_id + i:016x}{suffix}",
                attempted_at,
                outcome.status_code,
                round(outcome.latency_ms, 3),
                clean_optional(outcome.response),  # what a receiver sent is recorded, never trusted (c360.text)
                clean(outcome.error[:500]) if outcome.error else None,
                msg.id,
            )
        )
        if outcome.ok:
            delivered.append((attempted_at, outcome.status_code, recorded_at, msg.id, msg.lease_id))
            recorded.delivered += 1
            continue
        recorded.reasons[_reason(outcome)] += 1
        change: dict[str, Any] = {
            "b_id": msg.id, "b_lease": msg.lease_id, "b_last": outcome.attempted_at, "b_code": outcome.status_code,
            "b_status": "failed", "b_next": None,
        }  # fmt: skip
        if outcome.status_code == 410:
            gone[msg.endpoint.id] = outcome
            recorded.failed += 1
        else:
            delay = policy.schedule.next_delay(msg.step + 1, outcome.retry_after)
            if delay is None:
                recorded.failed += 1
            else:
                change.update(b_status="pending", b_next=now + timedelta(seconds=delay))
                recorded.retrying += 1
        changes.append(change)
    postgres = conn.dialect.name == "postgresql"
    if delivered:
        # the hottest write, one row per delivery. SQLite: one prepared statement the driver runs for every row
        # (SQLAlchemy's expanding IN list cost more than the update itself, docs/benchmarks.md). PostgreSQL: one
        # statement over the rows as one JSON parameter; a statement per row was a server round per delivery,
        # and arrays of a column each were dumped by the driver element by element (+22 % deliveries/s as JSON)
        if postgres:
            conn.exec_driver_sql(_DELIVERED_PG, (_json_rows(delivered),))
        else:
            conn.exec_driver_sql(driver.sql(conn, _DELIVERED), delivered)
    if changes:
        conn.execute(_FAILED, changes)
    if postgres:  # record() is called with at least one outcome: never an empty array
        conn.exec_driver_sql(_ATTEMPT_PG, (_json_rows(attempts),))
    else:
        conn.exec_driver_sql(driver.sql(conn, _ATTEMPT), attempts)
    recorded.disabled = _endpoint_health(conn, policy, outcomes, gone, now)
    return recorded


def _json_rows(rows: list[tuple[Any, ...]]) -> str:
    """Rows as one JSON array of arrays (timestamps in ISO 8601), the parameter of a PostgreSQL
    ``jsonb_array_elements``: one string the driver sends as it is, where arrays of a column each were
    dumped element by element in Python."""
    return json.dumps(rows, default=_iso, separators=(",", ":"))


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _reason(outcome: Outcome) -> str:
    """Why an attempt failed, in a few words: the receiver's status, or the error when it never answered."""
    if outcome.status_code is not None:
        return f"HTTP {outcome.status_code}"
    return clean((outcome.error or "no answer")[:80])


# Only while the lease that sent it is still the message's: a message re-claimed meanwhile is the new claim's.
_DELIVERED = """
UPDATE webhook_messages
SET status = 'delivered', attempts = attempts + 1, step = step + 1, next_attempt_at = NULL, lease_id = NULL,
    last_attempt_at = ?, last_status_code = ?, delivered_at = ?
WHERE id = ? AND lease_id = ?
"""
_FAILED = (
    webhook_messages.update()
    .where(m.id == sa.bindparam("b_id"), m.lease_id == sa.bindparam("b_lease"))
    .values(
        status=sa.bindparam("b_status"),
        attempts=m.attempts + 1,
        step=m.step + 1,
        next_attempt_at=sa.bindparam("b_next"),
        lease_id=None,
        last_attempt_at=sa.bindparam("b_last"),
        last_status_code=sa.bindparam("b_code"),
    )
)


# An attempt row only for a message that still exists (its endpoint may have been deleted meanwhile, with
# its messages); on PostgreSQL the message is locked against that delete until the round commits.
_ATTEMPT = """
INSERT INTO webhook_attempts (id, message_id, endpoint_id, attempted_at, status_code, latency_ms, response, error)
SELECT ?, id, endpoint_id, ?, ?, ?, ?, ?
FROM webhook_messages
WHERE id = ?
"""
# The same two writes on PostgreSQL, each row's values passed as one array per column (``_columns``).
_DELIVERED_PG = """
UPDATE webhook_messages AS m
SET status = 'delivered', attempts = m.attempts + 1, step = m.step + 1, next_attempt_at = NULL, lease_id = NULL,
    last_attempt_at = d.attempted_at, last_status_code = d.status_code, delivered_at = d.recorded_at
FROM (
    SELECT (e->>0)::timestamp AS attempted_at, (e->>1)::int AS status_code, (e->>2)::timestamp AS recorded_at,
        e->>3 AS id, e->>4 AS lease_id
    FROM jsonb_array_elements(%s::jsonb) AS e
) AS d
WHERE m.id = d.id AND m.lease_id = d.lease_id
"""
_ATTEMPT_PG = """
INSERT INTO webhook_attempts (id, message_id, endpoint_id, attempted_at, status_code, latency_ms, response, error)
SELECT a.id, m.id, m.endpoint_id, a.attempted_at, a.status_code, a.latency_ms, a.response, a.error
FROM (
    SELECT e->>0 AS id, (e->>1)::timestamp AS attempted_at, (e->>2)::int AS status_code,
        (e->>3)::float8 AS latency_ms, e->>4 AS response, e->>5 AS error, e->>6 AS message_id
    FROM jsonb_array_elements(%s::jsonb) AS e
) AS a
JOIN webhook_messages AS m ON m.id = a.message_id
FOR KEY SHARE OF m
"""
_RECOVERED = (
    webhook_endpoints.update()
    .where(e.id == sa.bindparam("b_endpoint"), e.failing_since.is_not(None))
    .values(failing_since=None)
)


def _endpoint_health(
    conn: sa.Connection, policy: Policy, outcomes: list[Outcome], gone: dict[str, Outcome], now: datetime
) -> list[str]:
    """Keep each endpoint's failure clock; disable those gone (410) or failing for C360_WEBHOOK_DISABLE_AFTER."""
    if all(outcome.ok for outcome in outcomes):  # the usual round: every endpoint's clock stops, nothing to sort
        for endpoint_id in {outcome.message.endpoint.id for outcome in outcomes}:
            conn.execute(_RECOVERED, {"b_endpoint": endpoint_id})
        return []
    last: dict[str, Outcome] = {}
    first_failure: dict[str, datetime] = {}  # since the last success in this round
    succeeded: set[str] = set()
    for outcome in sorted(outcomes, key=lambda o: o.attempted_at):
        endpoint_id = outcome.message.endpoint.id
        last[endpoint_id] = outcome
        if outcome.ok:
            first_failure.pop(endpoint_id, None)
            succeeded.add(endpoint_id)
        else:
            first_failure.setdefault(endpoint_id, outcome.attempted_at)
    disabled: list[str] = []
    for endpoint_id, outcome in last.items():
        if outcome.ok:
            conn.execute(_RECOVERED, {"b_endpoint": endpoint_id})
            continue
        # the clock starts at the first failure after the last success (kept if it was already running)
        clock = webhook_endpoints.update().where(e.id == endpoint_id)
        if endpoint_id not in succeeded:
            clock = clock.where(e.failing_since.is_(None))
        conn.execute(clock.values(failing_since=first_failure[endpoint_id]))
        row = conn.execute(sa.select(e.enabled, e.failing_since).where(e.id == endpoint_id)).first()
        if row is None or not row.enabled:
            continue
        if endpoint_id in gone:
            reason = f"the endpoint answered 410 Gone at {_stamp(gone[endpoint_id].attempted_at)}"
        elif row.failing_since <= now - policy.disable_after:
            reason = f"every attempt has failed since {_stamp(row.failing_since)} (C360_WEBHOOK_DISABLE_AFTER)"
        else:
            continue
        conn.execute(
            webhook_endpoints.update()
            .where(e.id == endpoint_id)
            .values(enabled=False, disabled_reason=reason, updated_at=now)
        )
        disabled.append(f"{endpoint_id}: {reason}")
    return disabled


def _stamp(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"
