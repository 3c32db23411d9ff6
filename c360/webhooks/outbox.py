"""The outbox: the events of a publish, written as messages inside the publish's own transaction.

``record_events`` is called by ``c360.serving.publish.write_run`` before it commits, so the served
run and its messages become visible together: a crash before the commit loses neither (both are
rolled back, and the publish is repeated), and a crash after it loses nothing (the messages wait in
the store for ``c360 worker``). A run is published once (served_runs.run_id is unique), and the
messages are unique per (run, subscriber, endpoint, event type), so nothing is ever written twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from c360.serving.store import served_subscribers, webhook_endpoints, webhook_messages
from c360.webhooks import events

_CHUNK = 5_000


def new_message_id() -> str:
    """A message id: the ``webhook-id`` header, the same on every attempt."""
    return "msg_" + secrets.token_hex(16)


def record_events(conn: sa.Connection, *, run_seq: int, previous_seq: int | None, now: datetime) -> int:
    """Messages for each subscriber whose tier differs from the previous run's; returns how many.

    The first publish into an empty store (``previous_seq`` None) is the baseline: it emits nothing.
    A subscriber scored now but not in the previous run has ``previous_risk_tier`` null (and enters
    High if it is High). A subscriber no longer scored emits nothing.
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
    for row in _changes(conn, run_seq, previous_seq):
        data = {
            "subscriber_id": row.subscriber_id,
            "previous_risk_tier": row.previous_risk_tier,
            "risk_tier": row.risk_tier,
            "churn_risk_score": row.churn_risk_score,
            "previous_churn_risk_score": row.previous_churn_risk_score,
            "score_date": row.score_date.isoformat(),
            "model_version": row.model_version,
            "drivers": row.drivers,
        }
        kinds = [events.TIER_CHANGED]
        if row.risk_tier == "High":  # a change into High: the retention campaign's trigger
            kinds.insert(0, events.HIGH_RISK)
        for kind in kinds:
            if subscribed[kind]:
                body = events.payload(kind, now, data)
                batch.extend(
                    _message(endpoint_id, kind, run_seq, row.subscriber_id, body, now)
                    for endpoint_id in subscribed[kind]
                )
        if len(batch) >= _CHUNK:
            written += _insert(conn, batch)
            batch = []
    return written + _insert(conn, batch)


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
            cur.c.drivers,
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
