"""The outbox: the events of a publish, written as messages inside the publish's own transaction.

``record_events`` is called by ``c360.serving.publish.write_run`` before it commits, so the served
run and its messages become visible together: a crash before the commit loses neither (both are
rolled back, and the publish is repeated), and a crash after it loses nothing (the messages wait in
the store for ``c360 worker``). A run is published once (served_runs.run_id is unique), and the
messages are unique per (run, subscriber, endpoint, event type), so nothing is ever written twice.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from c360.serving.changes import Removal
from c360.serving.rendered import health_of
from c360.serving.store import served_subscribers
from c360.webhooks import events, wakeup
from c360.webhooks.tables import webhook_endpoints, webhook_messages

_CHUNK = 5_000


def new_message_id() -> str:
    """A message id: the ``webhook-id`` header, the same on every attempt.

    Time first (nanoseconds, 16 hex digits), then 8 random bytes: unique all the same, and the ids of a
    publish sort in the order they were written, so the unique index on them, and the attempts' index
    by message, grow at one end instead of touching a random page per message (random ids made each
    delivery write about five pages to SQLite's WAL: docs/benchmarks.md).
    """
    return f"msg_{time.time_ns():016x}{secrets.token_hex(8)}"


def record_events(
    conn: sa.Connection,
    *,
    run_seq: int,
    previous_seq: int | None,
    now: datetime,
    removals: Sequence[Removal] = (),
) -> int:
    """Messages for each subscriber whose tier differs from the previous run's, and for each served
    subscriber who cancelled; returns how many.

    The first publish into an empty store (``previous_seq`` None) is the baseline: it emits nothing.
    A subscriber scored now but not in the previous run has ``previous_risk_tier`` null (and enters
    High if it is High). A subscriber no longer scored emits ``subscriber.cancelled`` when the new run's
    profile says they cancelled (``removals``, see c360.serving.changes), and nothing otherwise.
    """
    if previous_seq is None:
        return 0
    subscribed: dict[str, list[str]] = {kind: [] for kind in events.SUBSCRIBABLE}
    for endpoint in conn.execute(
        sa.select(webhook_endpoints.c.id, webhook_endpoints.c.event_types).where(webhook_endpoints.c.enabled)
    ):
        for kind in endpoint.event_types.split(","):
            subscribed.setdefault(kind, []).append(endpoint.id)
    if not any(subscribed.values()):
        return 0
    written = 0
    batch: list[dict[str, Any]] = []
    for subscriber_id, kind, data in _events(conn, run_seq, previous_seq, removals, subscribed):
        body = events.payload(kind, now, data)
        batch.extend(_message(endpoint_id, kind, run_seq, subscriber_id, body, now) for endpoint_id in subscribed[kind])
        if len(batch) >= _CHUNK:
            written += _insert(conn, batch)
            batch = []
    written += _insert(conn, batch)
    if written:
        wakeup.notify(conn)  # the workers start delivering when the publish commits
    return written


def _events(
    conn: sa.Connection,
    run_seq: int,
    previous_seq: int,
    removals: Sequence[Removal],
    subscribed: dict[str, list[str]],
) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """(subscriber_id, event type, data) of every event of this publish that some endpoint receives."""
    if subscribed[events.HIGH_RISK] or subscribed[events.TIER_CHANGED]:
        for row in _changes(conn, run_seq, previous_seq):
            data = {
                "subscriber_id": row.subscriber_id,
                "previous_risk_tier": row.previous_risk_tier,
                "risk_tier": row.risk_tier,
                "churn_risk_score": row.churn_risk_score,
                "previous_churn_risk_score": row.previous_churn_risk_score,
                "score_date": row.score_date.isoformat(),
                "model_version": row.model_version,
                "drivers": health_of(row.health_json)["drivers"],
            }
            if row.risk_tier == "High" and subscribed[events.HIGH_RISK]:  # the retention campaign's trigger
                yield row.subscriber_id, events.HIGH_RISK, data
            if subscribed[events.TIER_CHANGED]:
                yield row.subscriber_id, events.TIER_CHANGED, data
    if subscribed[events.CANCELLED]:
        for removal in removals:
            if removal.reason == "cancelled":  # win-back campaigns, and the hit rate of High
                last = removal.detail["last"]
                yield (
                    removal.subscriber_id,
                    events.CANCELLED,
                    {
                        "subscriber_id": removal.subscriber_id,
                        "cancelled_at": removal.detail["cancelled_at"],
                        "was_high": removal.detail["was_high"],
                        "churn_risk_score": last["churn_risk_score"],
                        "risk_tier": last["risk_tier"],
                        "score_date": last["score_date"],
                        "model_version": last["model_version"],
                        "drivers": last["drivers"],
                    },
                )


def _changes(conn: sa.Connection, run_seq: int, previous_seq: int) -> Iterable[sa.Row[Any]]:
    cur, prev = served_subscribers.alias("cur"), served_subscribers.alias("prev")
    joined = cur.outerjoin(prev, sa.and_(prev.c.run_seq == previous_seq, prev.c.subscriber_id == cur.c.subscriber_id))
    query = (
        sa.select(
            cur.c.subscriber_id,
            cur.c.risk_tier,
            cur.c.churn_risk_score,
            cur.c.score_date,
            cur.c.model_version,
            cur.c.health_json,
            prev.c.risk_tier.label("previous_risk_tier"),
            prev.c.churn_risk_score.label("previous_churn_risk_score"),
        )
        .select_from(joined)
        .where(
            cur.c.run_seq == run_seq,
            cur.c.risk_tier.is_not(None),
            sa.or_(prev.c.risk_tier.is_(None), prev.c.risk_tier != cur.c.risk_tier),
        )
        .order_by(cur.c.subscriber_id)
    )
    return conn.execute(query)


def enqueue(conn: sa.Connection, *, endpoint_id: str, event_type: str, body: str, now: datetime) -> str:
    """One message outside a publish (webhook.test); returns its id."""
    row = _message(endpoint_id, event_type, None, None, body, now)
    conn.execute(webhook_messages.insert().values(**row))
    wakeup.notify(conn)
    return str(row["id"])


def _message(
    endpoint_id: str, event_type: str, run_seq: int | None, subscriber_id: str | None, body: str, now: datetime
) -> dict[str, Any]:
    return {
        "id": new_message_id(), "endpoint_id": endpoint_id, "event_type": event_type, "run_seq": run_seq,
        "subscriber_id": subscriber_id, "payload": body, "status": "pending", "attempts": 0, "step": 0,
        "next_attempt_at": now, "created_at": now,
    }  # fmt: skip


def _insert(conn: sa.Connection, rows: list[dict[str, Any]]) -> int:
    if rows:
        conn.execute(webhook_messages.insert(), rows)
    return len(rows)
