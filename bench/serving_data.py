"""A synthetic serving store for the API benchmark: N subscribers of one published run, written directly.

Publishing N=1,000,000 through the warehouse would measure publish, not the API; the rows here have
the shape publish writes (ids ``sub-0000000`` …, the health score rendered as publish renders it), so the
API and the change feed read exactly what they would serve. The rows go in through the store's bulk writer
(c360.serving.bulk: COPY on PostgreSQL), generated as they are written.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from c360.serving import bulk, state
from c360.serving.drivers import readable_drivers
from c360.serving.rendered import health_json
from c360.serving.store import Store, served_runs, served_subscribers
from c360.settings import Settings

_RAW_DRIVERS = [  # five, as c360.model.score writes by default
    {"feature": "days_since_last_read", "value": 21, "contribution": 0.1834, "direction": "increases_risk"},
    {"feature": "support_tickets_30d", "value": 2, "contribution": 0.0712, "direction": "increases_risk"},
    {"feature": "engagement_score", "value": 38.2, "contribution": -0.0415, "direction": "decreases_risk"},
    {"feature": "subscription_tenure_days", "value": 412, "contribution": -0.0307, "direction": "decreases_risk"},
    {"feature": "plan", "value": "standard", "contribution": 0.0102, "direction": "increases_risk"},
]
DRIVERS = readable_drivers(_RAW_DRIVERS, {})  # as publish serves them (api.schemas.Driver): labelled, every key present


def subscriber_id(i: int) -> str:
    return f"sub-{i:07d}"


def score(i: int) -> float:
    """Subscriber ``i``'s score, by a fixed rule spread over [0, 1)."""
    return ((i * 7919) % 10_000) / 10_000


def tier(value: float) -> str:
    return "High" if value >= 0.3 else "Medium" if value >= 0.1 else "Low"


def fill(settings: Settings, subscribers: int) -> float:
    """Write one served run of ``subscribers`` rows; returns the seconds it took."""
    started = time.perf_counter()
    store = Store.from_settings(settings)
    now = datetime.now(UTC)
    score_date = now.date() - timedelta(days=1)
    counts = {t: 0 for t in ("High", "Medium", "Low")}
    for i in range(min(subscribers, 10_000)):  # the rule repeats every 10,000 ids
        counts[tier(score(i))] += subscribers // 10_000 + (1 if i < subscribers % 10_000 else 0)
    with store.write() as conn:
        key = conn.execute(
            served_runs.insert().values(
                run_id="bench-run", score_date=score_date, model_version="bench-model", scored_at=now,
                published_at=now, previous_seq=None, subscribers=subscribers, tier_high=0.3, tier_medium=0.1,
                high_count=counts["High"], medium_count=counts["Medium"], low_count=counts["Low"], pruned=False,
            )
        ).inserted_primary_key  # fmt: skip
        assert key is not None
        seq = int(key[0])
        bulk.insert_rows(conn, served_subscribers, (row(seq, i, score_date, now) for i in range(subscribers)))
        state.advance(conn, state.lock(conn, now), run_seq=seq, kind="publish", reason=None, now=now)  # serve it
        conn.execute(sa.text("ANALYZE") if store.dialect == "sqlite" else sa.text("ANALYZE served_subscribers"))
    return time.perf_counter() - started


def row(seq: int, i: int, score_date: date, now: datetime) -> dict[str, Any]:
    """Subscriber ``i``'s row of run ``seq``, every column publish writes, its health score rendered (with the
    drivers, which have no column of their own)."""
    values = _row(seq, i, score(i), tier(score(i)), score_date, now)
    values["health_json"] = health_json(values)
    del values["drivers"]
    return values


def _row(seq: int, i: int, score: float, tier: str, score_date: date, now: datetime) -> dict[str, Any]:
    return {
        "run_seq": seq, "subscriber_id": subscriber_id(i), "status": "active", "plan": "standard",
        "signup_date": score_date - timedelta(days=30 + i % 900), "tenure_days": 30 + i % 900,
        "lifetime_value": round(9.99 * (1 + i % 30), 2), "demographic_segment": "Young Professionals",
        "profile_as_of": score_date, "articles_viewed": i % 40, "total_time_spent": 60 * (i % 40),
        "distinct_sections": i % 6, "days_since_last_read": i % 20, "support_tickets_90d": i % 3,
        "churn_risk_score": score, "risk_tier": tier, "previous_risk_tier": tier, "score_date": score_date,
        "scored_at": now, "model_version": "bench-model", "drivers": DRIVERS, "updated_at": now, "cancelled_at": None,
    }  # fmt: skip
