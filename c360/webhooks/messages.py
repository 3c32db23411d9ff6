"""Messages of an endpoint and their attempts: list, send a test event, resend one, recover failed ones."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from c360.serving.store import Store, utcnow
from c360.webhooks import events, outbox, wakeup
from c360.webhooks.errors import EndpointNotFound, MessageNotFound
from c360.webhooks.tables import webhook_attempts, webhook_endpoints, webhook_messages

m, a = webhook_messages.c, webhook_attempts.c
STATUSES = ("pending", "delivered", "failed")


@dataclass(frozen=True)
class Message:
    """A message to one endpoint and where its delivery stands."""

    id: str
    event_type: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    delivered_at: datetime | None
    created_at: datetime
    payload: dict[str, Any]


@dataclass(frozen=True)
class Attempt:
    """One delivery attempt."""

    id: str
    attempted_at: datetime
    status_code: int | None
    latency_ms: float
    response: str | None
    error: str | None


QUEUED_HINT = (
    "queued: a running `c360 worker` (its webhooks job) delivers it within a second; while none runs it stays "
    "pending. Follow it with GET /v1/webhook-endpoints/{endpoint_id}/messages/{msg_id}/attempts."
)


def send_test(store: Store, endpoint_id: str) -> Message:
    """Queue a ``webhook.test`` event for the endpoint (whatever its event types); the worker delivers it."""
    now = utcnow()
    body = events.payload(events.TEST, now, {"endpoint_id": endpoint_id, "message": "a test event from Customer 360"})
    with store.write() as conn:
        _endpoint(conn, endpoint_id)
        msg_id = outbox.enqueue(conn, endpoint_id=endpoint_id, event_type=events.TEST, body=body, now=now)
        return _get(conn, endpoint_id, msg_id)


def list_messages(
    store: Store, endpoint_id: str, *, status: str | None = None, limit: int = 50, cursor: str | None = None
) -> tuple[list[Message], str | None]:
    """The endpoint's messages, newest first, and the cursor of the next page (None: last page)."""
    query = sa.select(webhook_messages).where(m.endpoint_id == endpoint_id)
    if status is not None:
        query = query.where(m.status == status)
    if cursor is not None:
        query = query.where(m.seq < int(cursor))
    with store.read() as conn:
        _endpoint(conn, endpoint_id)
        rows = conn.execute(query.order_by(m.seq.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    return [_record(row) for row in rows[:limit]], str(rows[limit - 1].seq) if more else None


def get(store: Store, endpoint_id: str, msg_id: str) -> Message:
    """One message of the endpoint."""
    with store.read() as conn:
        return _get(conn, endpoint_id, msg_id)


def list_attempts(store: Store, endpoint_id: str, msg_id: str, *, limit: int = 100) -> list[Attempt]:
    """The message's attempts, newest first."""
    with store.read() as conn:
        _get(conn, endpoint_id, msg_id)
        rows = conn.execute(
            sa.select(webhook_attempts).where(a.message_id == msg_id).order_by(a.attempted_at.desc()).limit(limit)
        ).all()
    return [Attempt(r.id, r.attempted_at, r.status_code, r.latency_ms, r.response, r.error) for r in rows]


def resend(store: Store, endpoint_id: str, msg_id: str) -> Message:
    """Queue the message again now, with the same id and body and a fresh retry schedule.

    A message being delivered right now (claimed, its lease running) is left to that attempt.
    """
    now = utcnow()
    with store.write() as conn:
        message = _get(conn, endpoint_id, msg_id)
        leased = sa.and_(m.status == "pending", m.lease_id.is_not(None), m.next_attempt_at > now)
        conn.execute(
            webhook_messages.update()
            .where(m.id == msg_id, sa.not_(leased))
            .values(status="pending", step=0, next_attempt_at=now, lease_id=None)
        )
        wakeup.notify(conn)
        return _get(conn, endpoint_id, message.id)


def recover(store: Store, endpoint_id: str, *, since: datetime) -> int:
    """Queue again every failed message of the endpoint created at or after ``since``; returns how many."""
    with store.write() as conn:
        _endpoint(conn, endpoint_id)
        result = conn.execute(
            webhook_messages.update()
            .where(m.endpoint_id == endpoint_id, m.status == "failed", m.created_at >= since)
            .values(status="pending", step=0, next_attempt_at=utcnow(), lease_id=None)
        )
        if result.rowcount:
            wakeup.notify(conn)
        return int(result.rowcount)


def prune(store: Store, *, retention_days: int) -> int:
    """Delete delivered and failed messages (with their attempts) older than the retention; returns how many."""
    old = sa.select(m.id).where(m.created_at < utcnow() - timedelta(days=retention_days), m.status != "pending")
    with store.write() as conn:
        conn.execute(webhook_attempts.delete().where(a.message_id.in_(old)))
        return int(conn.execute(webhook_messages.delete().where(m.id.in_(old))).rowcount)


def _endpoint(conn: sa.Connection, endpoint_id: str) -> None:
    found = conn.execute(sa.select(webhook_endpoints.c.id).where(webhook_endpoints.c.id == endpoint_id)).first()
    if found is None:
        raise EndpointNotFound(f"no webhook endpoint with id {endpoint_id!r}")


def _get(conn: sa.Connection, endpoint_id: str, msg_id: str) -> Message:
    _endpoint(conn, endpoint_id)
    row = conn.execute(sa.select(webhook_messages).where(m.id == msg_id, m.endpoint_id == endpoint_id)).first()
    if row is None:
        raise MessageNotFound(f"endpoint {endpoint_id} has no message with id {msg_id!r}")
    return _record(row)


def _record(row: sa.Row[Any]) -> Message:
    return Message(
        row.id, row.event_type, row.status, row.attempts, row.next_attempt_at if row.status == "pending" else None,
        row.last_attempt_at, row.last_status_code, row.delivered_at, row.created_at, json.loads(row.payload),
    )  # fmt: skip
