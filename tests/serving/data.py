"""Realistic served data without the real model: warehouse rows written with SQL, then published.

Subscriber ``sub-0000`` … ``sub-NNNN``: every tenth is cancelled and not scored (a profile without a
health score); scores spread over the three tiers; engagement, tickets and a model registry row.
Profiles come from staged subscription events (a signup, monthly payments, a cancel), as publish
computes them as of each run's day.
"""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from c360.settings import Settings
from c360.warehouse import Warehouse, WarehouseConnection
from pipeline_sql.migrate import migrate

SCORE_DATE = datetime.now(UTC).date() - timedelta(days=1)  # yesterday: the served run is fresh
MODEL_VERSION = "churn-2025.11.16"
PLANS = ("basic", "standard", "premium")
SEGMENTS = ("Students & Starters", "Young Professionals", "Established Families", "Peak Earners")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54")  # DEMOGRAPHIC_SEGMENT_MAP's bands of SEGMENTS
PRICE = 9.99


@dataclass(frozen=True)
class Expected:
    """What the fixture wrote, for assertions."""

    ids: list[str]  # every subscriber with a profile
    scored: dict[str, float]  # subscriber_id -> churn_risk_score of the latest run


def subscriber_id(i: int) -> str:
    return f"sub-{i:04d}"


def tier(score: float, high: float = 0.30, medium: float = 0.10) -> str:
    return "High" if score >= high else "Medium" if score >= medium else "Low"


def base_score(i: int) -> float:
    return round(((i * 37) % 100) / 100, 4)


@functools.cache
def seeded_warehouse() -> tuple[Path, Expected]:
    """A warehouse migrated and seeded (the defaults of ``seed_warehouse``) once per process: the tests that need
    the default data start from a copy of the file instead of seeding their own (a second or more each)."""
    home = Path(tempfile.mkdtemp(prefix="c360-seeded-"))
    atexit.register(shutil.rmtree, home, True)
    warehouse = Warehouse.from_settings(Settings(home=home, warehouse_lock_timeout=5))
    migrate(warehouse)
    return warehouse.duckdb_path, seed_warehouse(warehouse)


def seed_warehouse(wh: Warehouse, *, subscribers: int = 40, score_date: date = SCORE_DATE) -> Expected:
    """Profiles, engagement, tickets, the model registry and one scoring run (``run-1``)."""
    with wh.connect() as conn, conn.transaction():
        for i in range(subscribers):
            signup = score_date - timedelta(days=40 + 9 * i)
            for event in subscription_events(i, signup, score_date):
                add_subscription_event(conn, event)
            for day in range(i % 6):  # a few reading days, every third day back from score_date
                conn.execute(
                    "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY (subscriber_id, activity_date, "
                    "articles_viewed, views, total_time_spent, distinct_sections, avg_engagement_score, built_at) "
                    "VALUES (:id, :day, :articles, :articles, :seconds, :sections, 50, "
                    "CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
                    {
                        "id": subscriber_id(i),
                        "day": score_date - timedelta(days=1 + 3 * day + i % 3),
                        "articles": 2 + day,
                        "seconds": 120 * (2 + day),
                        "sections": 1 + day % 3,
                    },
                )
                for section in range(1 + day % 3):  # the views behind the day: one per section read
                    conn.execute(
                        "INSERT INTO SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT (event_id, subscriber_id, section, "
                        "event_timestamp, event_date, time_spent_seconds, engagement_score, source_load_seq, "
                        "staged_at) "
                        "VALUES (:event, :id, :section, :day::TIMESTAMP_NTZ, :day, 60, 50, 1, "
                        "CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
                        {
                            "event": f"v-{i}-{day}-{section}",
                            "id": subscriber_id(i),
                            "section": f"sec-{section}",
                            "day": score_date - timedelta(days=1 + 3 * day + i % 3),
                        },
                    )
            for ticket in range(i % 4):
                conn.execute(
                    "INSERT INTO SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS (load_seq, load_id, source_file, source_row, "
                    "loaded_at, ticket_id, subscriber_id, created_at, channel, category, priority, status) VALUES "
                    "(:seq, 'fixture', 'fixture.parquet', :seq, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, :ticket, :id, "
                    ":created, 'email', 'billing', 'low', 'closed')",
                    {
                        "seq": i * 10 + ticket,
                        "ticket": f"t-{i}-{ticket}",
                        "id": subscriber_id(i),
                        "created": datetime.combine(score_date, datetime.min.time()) - timedelta(days=20 * ticket),
                    },
                )
        conn.execute(
            "INSERT INTO SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY (model_version, trained_at, status, algorithm, "
            "as_of_date, data_window_start, data_window_end, test_window_start, features, metrics, train_rows, "
            "test_rows, artifact_uri, message, run_id) "
            "SELECT :version, '2025-11-16 01:00:00'::TIMESTAMP_NTZ, 'current', 'lightgbm+platt', '2025-11-15'::DATE, "
            "'2025-05-01'::DATE, '2025-10-15'::DATE, '2025-09-01'::DATE, PARSE_JSON(:features), "
            "PARSE_JSON(:metrics), 80000, 20000, 'models/m/model.json', 'deployed: better than current', 'train-1'",
            {
                "version": MODEL_VERSION,
                "features": json.dumps(
                    ["engagement_score", "support_tickets_count", "days_since_last_read", "subscription_tenure_days"]
                ),
                "metrics": json.dumps({"roc_auc": 0.81, "pr_auc": 0.42, "brier": 0.071}),
            },
        )
    scored = {subscriber_id(i): base_score(i) for i in range(subscribers) if i % 10 != 0}
    add_scoring_run(wh, "run-1", scored, score_date=score_date)
    return Expected([subscriber_id(i) for i in range(subscribers)], scored)


def add_scoring_run(
    wh: Warehouse,
    run_id: str,
    scores: dict[str, float],
    *,
    score_date: date,
    scored_at: datetime | None = None,
    model_version: str = MODEL_VERSION,
) -> None:
    """One scoring run's rows in FCT_CUSTOMER_HEALTH_SCORES."""
    scored_at = scored_at or datetime.now(UTC)  # later runs are scored later
    with wh.connect() as conn, conn.transaction():
        for sid, score in scores.items():
            drivers = [  # the shape c360.model.score writes
                {"feature": "days_since_last_read", "value": 12, "contribution": round(score / 2, 4),
                 "direction": "increases_risk"},
                {"feature": "engagement_score", "value": 41.5, "contribution": -0.05, "direction": "decreases_risk"},
            ]  # fmt: skip
            conn.execute(
                "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES (subscriber_id, score_date, "
                "churn_risk_score, risk_tier, model_version, scored_at, drivers, run_id) "
                "SELECT :id, :score_date, :score, :tier, :model, :scored_at, PARSE_JSON(:drivers), :run_id",
                {
                    "id": sid,
                    "score_date": score_date,
                    "score": score,
                    "tier": tier(score),
                    "model": model_version,
                    "scored_at": scored_at.replace(tzinfo=None),
                    "drivers": json.dumps(drivers),
                    "run_id": run_id,
                },
            )


def subscription_events(i: int, signup: date, score_date: date) -> list[dict[str, object]]:
    """Subscriber i's events: signup, a payment per 30 days since (lifetime value), a cancel if i % 10 == 0
    (the day before score_date)."""
    at = datetime.combine(signup, datetime.min.time()) + timedelta(hours=9)
    sid = subscriber_id(i)
    events: list[dict[str, object]] = [
        {
            "id": f"e-{i}-signup",
            "subscriber_id": sid,
            "type": "signup",
            "at": at,
            "plan": PLANS[i % 3],
            "age_band": AGE_BANDS[i % 4],
        },
    ]
    for n in range((score_date - signup).days // 30 + 1):
        events.append({"id": f"e-{i}-pay-{n}", "subscriber_id": sid, "type": "payment", "plan": PLANS[i % 3],
                       "at": at + timedelta(days=30 * n, minutes=1), "amount": PRICE})  # fmt: skip
    if i % 10 == 0:
        events.append({"id": f"e-{i}-cancel", "subscriber_id": sid, "type": "cancel", "plan": PLANS[i % 3],
                       "at": datetime.combine(score_date, datetime.min.time()) - timedelta(hours=6)})  # fmt: skip
    return events


def add_subscription_event(conn: WarehouseConnection, event: dict[str, object]) -> None:
    """One valid staged subscription event."""
    conn.execute(
        "INSERT INTO SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS (event_id, subscriber_id, event_type, event_timestamp, "
        "plan, payment_amount, payment_status, currency, country, age_band, acquisition_channel, is_valid, "
        "invalid_reason, source_load_seq, loaded_at, staged_at) VALUES (:id, :subscriber_id, :type, "
        ":at::TIMESTAMP_NTZ, :plan, :amount, :status, 'USD', 'US', :age_band, 'search', TRUE, NULL, 1, "
        "CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
        {
            "id": event["id"],
            "subscriber_id": event["subscriber_id"],
            "type": event["type"],
            "at": event["at"],
            "plan": event.get("plan"),
            "amount": event.get("amount"),
            "status": "succeeded" if event["type"] == "payment" else None,
            "age_band": event.get("age_band"),
        },
    )
