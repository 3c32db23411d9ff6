"""Webhook delivery statistics per endpoint (``GET /v1/analytics/webhooks``): read live from the webhook tables,
since they change with every delivery, unlike the publish-time aggregates."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from c360.serving.store import Store
from c360.webhooks.tables import webhook_attempts, webhook_endpoints, webhook_messages

RECENT_FAILURES = 20


def webhook_statistics(store: Store, *, now: datetime, days: int, responses: bool) -> list[dict[str, Any]]:
    """Per webhook endpoint: messages by status, delivery success and latency of the last ``days`` days, daily
    attempts, and the most recent failed attempts, with their responses when ``responses`` (a receiver may
    echo the payload it was sent: scores and tiers, which the webhook routes show only to scores:read)."""
    a, m, w = webhook_attempts.c, webhook_messages.c, webhook_endpoints.c
    since = now - timedelta(days=days)
    succeeded = sa.and_(a.status_code >= 200, a.status_code < 300)
    with store.read() as conn:
        endpoints = conn.execute(sa.select(w.id, w.url, w.enabled, w.disabled_reason).order_by(w.created_at)).all()
        messages = conn.execute(sa.select(m.endpoint_id, m.status, sa.func.count()).group_by(m.endpoint_id, m.status))
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        for endpoint_id, status, n in messages:
            counts[endpoint_id][status] = int(n)
        attempts = conn.execute(
            sa.select(a.endpoint_id, a.attempted_at, a.latency_ms, succeeded.label("ok")).where(a.attempted_at >= since)
        ).all()
        failures = conn.execute(
            sa.select(a.endpoint_id, a.attempted_at, a.message_id, m.event_type, a.status_code, a.error, a.response)
            .join(webhook_messages, webhook_messages.c.id == a.message_id)
            .where(sa.not_(sa.func.coalesce(succeeded, False)))
            .order_by(a.attempted_at.desc())
            .limit(RECENT_FAILURES * max(len(endpoints), 1))
        ).all()
    per_endpoint: dict[str, list[Any]] = defaultdict(list)
    for row in attempts:
        per_endpoint[row.endpoint_id].append(row)
    return [
        _endpoint_statistics(
            e,
            counts.get(e.id, {}),
            per_endpoint.get(e.id, []),
            [f for f in failures if f.endpoint_id == e.id],
            responses=responses,
        )
        for e in endpoints
    ]


def _endpoint_statistics(
    endpoint: Any, counts: dict[str, int], attempts: list[Any], failures: list[Any], *, responses: bool
) -> dict[str, Any]:
    latencies = sorted(float(r.latency_ms) for r in attempts)
    daily: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    for r in attempts:
        day = daily[r.attempted_at.date()]
        day[0] += 1
        day[1] += bool(r.ok)
    ok = sum(bool(r.ok) for r in attempts)
    url = urlsplit(endpoint.url)
    return {
        "endpoint_id": endpoint.id,
        # no credentials or query string
        "url": f"{url.scheme}://{url.hostname}{f':{url.port}' if url.port else ''}{url.path}",
        "enabled": endpoint.enabled,
        "disabled_reason": endpoint.disabled_reason,
        "messages": {k: counts.get(k, 0) for k in ("pending", "delivered", "failed")},
        "attempts": len(attempts),
        "success_rate": ok / len(attempts) if attempts else None,
        "latency_ms_mean": sum(latencies) / len(latencies) if latencies else None,
        "latency_ms_p95": latencies[min(int(0.95 * len(latencies)), len(latencies) - 1)] if latencies else None,
        "daily": [{"day": day, "attempts": n, "succeeded": good} for day, (n, good) in sorted(daily.items())],
        "recent_failures": [
            {
                "attempted_at": f.attempted_at,
                "message_id": f.message_id,
                "event_type": f.event_type,
                "status_code": f.status_code,
                "error": f.error,
                "response": ((f.response or "")[:500] or None) if responses else None,
            }
            for f in failures[:RECENT_FAILURES]
        ],
    }
