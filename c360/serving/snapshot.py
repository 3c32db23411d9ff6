"""What publish reads from the warehouse: the scoring run, its scores with the profile snapshot, its model.

Snowflake-dialect SQL, run through ``WarehouseConnection`` on either target. The profile is computed
as of the run's score_date: engagement over the 30 days ending that day, tickets over 90 days.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from c360.warehouse import WarehouseConnection

SCORES = "SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES"

_RUNS = f"""
SELECT run_id, MAX(score_date) AS score_date, MAX(model_version) AS model_version, MAX(scored_at) AS scored_at
FROM {SCORES}
{{where}}
GROUP BY run_id
ORDER BY scored_at DESC, run_id DESC
LIMIT 1
"""

_SNAPSHOT = f"""
WITH scores AS (
    SELECT subscriber_id, score_date, churn_risk_score, risk_tier, model_version, scored_at, drivers
    FROM {SCORES}
    WHERE run_id = :run_id
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY scored_at DESC) = 1
),

profiles AS (
    SELECT subscriber_id, status, plan, signup_date, tenure_days, lifetime_value, demographic_segment, as_of_date
    FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY as_of_date DESC) = 1
),

engagement AS (
    SELECT
        subscriber_id,
        SUM(IFF(activity_date >= DATEADD(day, -29, :as_of::DATE), articles_viewed, 0)) AS articles_viewed,
        SUM(IFF(activity_date >= DATEADD(day, -29, :as_of::DATE), total_time_spent, 0)) AS total_time_spent,
        DATEDIFF(day, MAX(activity_date), :as_of::DATE) AS days_since_last_read
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
    WHERE activity_date <= :as_of::DATE
    GROUP BY subscriber_id
),

sections AS (
    -- distinct over the whole 30 days, so from the views themselves (the daily fact counts per day)
    SELECT subscriber_id, COUNT(DISTINCT section) AS distinct_sections
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
    WHERE event_date >= DATEADD(day, -29, :as_of::DATE) AND event_date <= :as_of::DATE
    GROUP BY subscriber_id
),

tickets AS (
    SELECT subscriber_id, COUNT(DISTINCT ticket_id) AS support_tickets_90d
    FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS
    WHERE created_at >= DATEADD(day, -89, :as_of::DATE) AND created_at < DATEADD(day, 1, :as_of::DATE)
    GROUP BY subscriber_id
),

subscribers AS (
    SELECT
        COALESCE(p.subscriber_id, s.subscriber_id) AS subscriber_id,
        p.status, p.plan, p.signup_date, p.tenure_days, p.lifetime_value, p.demographic_segment,
        p.as_of_date AS profile_as_of,
        s.churn_risk_score, s.risk_tier, s.score_date, s.scored_at, s.model_version, s.drivers
    FROM profiles AS p
    FULL OUTER JOIN scores AS s ON s.subscriber_id = p.subscriber_id
),

final AS (
    SELECT
        x.*,
        COALESCE(e.articles_viewed, 0) AS articles_viewed,
        COALESCE(e.total_time_spent, 0) AS total_time_spent,
        COALESCE(sec.distinct_sections, 0) AS distinct_sections,
        e.days_since_last_read,
        COALESCE(t.support_tickets_90d, 0) AS support_tickets_90d
    FROM subscribers AS x
    LEFT JOIN engagement AS e ON e.subscriber_id = x.subscriber_id
    LEFT JOIN sections AS sec ON sec.subscriber_id = x.subscriber_id
    LEFT JOIN tickets AS t ON t.subscriber_id = x.subscriber_id
)

SELECT * FROM final ORDER BY subscriber_id
"""

_MODEL = """
SELECT model_version, trained_at, status, data_window_start, data_window_end, features, metrics, train_rows, test_rows
FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY
WHERE model_version = :model_version
ORDER BY trained_at DESC
LIMIT 1
"""


@dataclass(frozen=True)
class ScoringRun:
    """One run of the scoring task, as FCT_CUSTOMER_HEALTH_SCORES records it."""

    run_id: str
    score_date: date
    model_version: str
    scored_at: datetime


def latest_run(conn: WarehouseConnection, score_date: date | None = None) -> ScoringRun | None:
    """The most recently scored run (of ``score_date``, when given)."""
    if score_date is None:
        rows = conn.query(_RUNS.format(where=""))
    else:
        rows = conn.query(_RUNS.format(where="WHERE score_date = :score_date"), {"score_date": score_date})
    if not rows:
        return None
    row = rows[0]
    return ScoringRun(str(row["run_id"]), row["score_date"], str(row["model_version"]), _utc(row["scored_at"]))


def scores_marker(conn: WarehouseConnection) -> object:
    """Something that changes when the scores table does, read without waking a Snowflake warehouse.

    ``SHOW TABLES`` is answered by Snowflake's cloud services (no warehouse resumes, nothing billed
    per poll); on DuckDB there is nothing to save, so the marker is None and callers always look.
    """
    if conn.target != "snowflake":
        return None
    rows = conn.query("SHOW TABLES LIKE 'FCT_CUSTOMER_HEALTH_SCORES' IN SCHEMA SFE_ANALYTICS_MEDIA")
    return tuple((row.get("rows"), row.get("bytes")) for row in rows)


def read_subscribers(conn: WarehouseConnection, run: ScoringRun) -> list[dict[str, Any]]:
    """Every subscriber of the profile snapshot or the run, with profile and score (None where absent)."""
    rows = conn.query(_SNAPSHOT, {"run_id": run.run_id, "as_of": run.score_date})
    for row in rows:
        row["drivers"] = _json(row["drivers"])
        row["scored_at"] = _utc(row["scored_at"]) if row["scored_at"] is not None else None
        if row["lifetime_value"] is not None:
            row["lifetime_value"] = float(row["lifetime_value"])
    return rows


def read_model(conn: WarehouseConnection, model_version: str) -> dict[str, Any] | None:
    """The registry's row for ``model_version`` (None: not registered)."""
    rows = conn.query(_MODEL, {"model_version": model_version})
    if not rows:
        return None
    model = rows[0]
    model["trained_at"] = _utc(model["trained_at"])
    model["features"] = _json(model["features"]) or []
    model["metrics"] = _json(model["metrics"]) or {}
    return model


def _json(value: Any) -> Any:
    # VARIANT comes back as JSON text from both DuckDB and the Snowflake connector
    return json.loads(value) if isinstance(value, str) else value


def _utc(value: datetime) -> datetime:
    # TIMESTAMP_NTZ values in the warehouse are UTC (the session time zone is pinned to UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
