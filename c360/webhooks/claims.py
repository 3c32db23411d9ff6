"""Claiming due messages: each claim takes a lease on them, so nobody else sends them meanwhile.

Claiming sets a message's ``lease_id`` and moves its ``next_attempt_at`` to the end of the lease, so
it is not due for anyone else until then; a worker killed mid-delivery thus has its messages claimed
again once their leases run out. On PostgreSQL the claim's SELECT is ``FOR UPDATE SKIP LOCKED``, so
workers claiming at the same moment take disjoint messages.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa

from c360.webhooks import driver, signing
from c360.webhooks.cipher import SecretCipher
from c360.webhooks.schedule import Schedule
from c360.webhooks.tables import webhook_endpoints, webhook_messages

m, e = webhook_messages.c, webhook_endpoints.c


@dataclass(frozen=True)
class Target:
    """An endpoint as the sender needs it: where, and the keys to sign with (current first)."""

    id: str
    url: str
    keys: list[bytes]


class Claimed(NamedTuple):
    """A message claimed for one attempt (a named tuple: one per delivery, built faster than a dataclass)."""

    id: str
    endpoint: Target
    body: bytes
    step: int  # attempts since it was last queued
    lease_id: str


@dataclass(frozen=True)
class Policy:
    """What recording and claiming follow (from the settings)."""

    schedule: Schedule
    lease: timedelta
    disable_after: timedelta


@dataclass(frozen=True)
class Room:
    """How many more messages a worker takes now: overall, and per endpoint (``default`` for the others)."""

    total: int
    endpoints: Mapping[str, int]
    default: int

    def of(self, endpoint_id: str) -> int:
        return self.endpoints.get(endpoint_id, self.default)


def claim(conn: sa.Connection, cipher: SecretCipher, policy: Policy, now: datetime, room: Room) -> list[Claimed]:
    """Due messages of enabled endpoints, as many as there is room for, under a new lease."""
    endpoints = list(conn.execute(_DUE_ENDPOINTS, {"b_now": now}))
    random.shuffle(endpoints)  # no endpoint starves the others of the overall limit
    locked = " FOR UPDATE SKIP LOCKED" if conn.dialect.name == "postgresql" else ""
    take_oldest = driver.sql(conn, _CLAIM.format(locked=locked))
    now_at, until = driver.stamper(conn.dialect)(now), driver.stamper(conn.dialect)(now + policy.lease)
    claimed: list[Claimed] = []
    for endpoint in endpoints:
        take = min(room.total - len(claimed), room.of(endpoint.id))
        if take <= 0:
            continue
        target = Target(endpoint.id, endpoint.url, _keys(cipher, endpoint, now))
        lease_id = secrets.token_hex(8)
        rows = conn.exec_driver_sql(take_oldest, (lease_id, until, endpoint.id, now_at, take)).all()
        claimed.extend(Claimed(msg_id, target, payload.encode(), step, lease_id) for msg_id, payload, step in rows)
        if len(claimed) >= room.total:
            break
    return claimed


# Built once: building a round's statements each round cost as much as running them.
_DUE_ENDPOINTS = sa.select(webhook_endpoints).where(
    e.enabled,
    sa.select(m.seq)
    .where(m.endpoint_id == e.id, m.status == "pending", m.next_attempt_at <= sa.bindparam("b_now"))
    .exists(),
)


# The oldest due messages of one endpoint, under a new lease (driver SQL: c360.webhooks.driver). On
# PostgreSQL {locked} is FOR UPDATE SKIP LOCKED: workers claiming at the same moment take disjoint messages.
_CLAIM = """
UPDATE webhook_messages
SET lease_id = ?, next_attempt_at = ?
WHERE seq IN (
    SELECT seq
    FROM webhook_messages
    WHERE endpoint_id = ? AND status = 'pending' AND next_attempt_at <= ?
    ORDER BY next_attempt_at
    LIMIT ?{locked}
)
RETURNING id, payload, step
"""


def stale_endpoints(conn: sa.Connection, queued: set[tuple[str, str]]) -> set[str]:
    """Of the endpoints of claims still queued, (id, URL they were claimed with), those deleted, disabled or given
    another URL since: their queued claims go back unsent (sent from the queue, a deleted endpoint's URL kept
    receiving scores for up to a lease, and a disabled one's too)."""
    ids = sorted({endpoint_id for endpoint_id, _ in queued})
    now = {row.id: row.url for row in conn.execute(_ENABLED.where(e.id.in_(ids)))}
    return {endpoint_id for endpoint_id, url in queued if now.get(endpoint_id) != url}


_ENABLED = sa.select(e.id, e.url).where(e.enabled)


def release(conn: sa.Connection, claims: Sequence[Claimed], now: datetime) -> None:
    """Give claims back unsent: due again at once (while the lease is still theirs)."""
    conn.execute(_RELEASE, [{"b_id": c.id, "b_lease": c.lease_id, "b_now": now} for c in claims])


_RELEASE = (
    webhook_messages.update()
    .where(m.id == sa.bindparam("b_id"), m.lease_id == sa.bindparam("b_lease"))
    .values(lease_id=None, next_attempt_at=sa.bindparam("b_now"))
)


def _keys(cipher: SecretCipher, endpoint: sa.Row[Any], now: datetime) -> list[bytes]:
    keys = [signing.secret_key(cipher.open(endpoint.secret))]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret is not None and expires is not None and expires > now:
        keys.append(signing.secret_key(cipher.open(endpoint.previous_secret)))
    return keys
