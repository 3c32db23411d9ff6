"""Publish's warehouse reads give the same rows as their straightforward definitions.

The serving models (pipeline_sql/models/serving) are written for speed: readers counted with plain GROUP BYs
rather than COUNT(DISTINCT) over grouping sets, the bot test once per distinct user agent and before the
timestamp is parsed, the 30-day sums over their window only, the point-in-time profiles computed once per
publish into a session table (c360.serving.snapshot.point_in_time_profiles) instead of inside each query.
Each must return exactly what its first, plainer form returned (kept here as the reference) on a generated
warehouse, for its last day and for days before it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from c360.serving.snapshot import point_in_time_profiles
from c360.sources.ingest import ingest
from c360.warehouse import Warehouse
from pipeline_sql.scripts import _environment, render_model
from tests.conftest import AS_OF, Built

# the models as they were before they were made faster (2026-12-05), comments left out
REFERENCE = {
    "served_subscribers": """
WITH scores AS (
    SELECT subscriber_id, score_date, churn_risk_score, risk_tier, model_version, scored_at, drivers
    FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES
    WHERE run_id = :run_id
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY scored_at DESC) = 1
),

profiles AS (
{% include "models/marts/subscriber_profiles.sql" %}
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
        p.cancelled_at, p.as_of_date AS profile_as_of,
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
""",
    "analytics_engagement": """
WITH profiles AS (
{% include "models/marts/subscriber_profiles.sql" %}
),

reads AS (
    SELECT
        e.activity_date AS day,
        DATE_TRUNC('WEEK', e.activity_date)::DATE AS week,
        COALESCE(p.plan, 'unknown') AS plan,
        COALESCE(p.demographic_segment, 'Unknown') AS segment,
        e.subscriber_id,
        e.views,
        e.total_time_spent
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS e
    LEFT JOIN profiles AS p ON p.subscriber_id = e.subscriber_id
    WHERE e.activity_date <= :as_of::DATE
        AND e.activity_date > DATEADD(day, -7 * :weeks, :as_of::DATE)
),

final AS (
    SELECT
        IFF(GROUPING(day) = 0, 'day', 'week') AS grain,
        COALESCE(day, week) AS period,
        IFF(GROUPING(plan) = 0, 'plan', 'segment') AS dimension,
        COALESCE(plan, segment) AS grp,
        SUM(views) AS views,
        COUNT(DISTINCT subscriber_id) AS readers,
        SUM(total_time_spent) AS time_spent
    FROM reads
    GROUP BY GROUPING SETS ((day, plan), (day, segment), (week, plan), (week, segment))
)

SELECT * FROM final
""",
    "analytics_devices": """
WITH views AS (
    SELECT
        event_date AS day,
        DATE_TRUNC('WEEK', event_date)::DATE AS week,
        COALESCE(device_type, 'unknown') AS device,
        subscriber_id,
        time_spent_seconds
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
    WHERE event_date <= :as_of::DATE
        AND event_date > DATEADD(day, -7 * :weeks, :as_of::DATE)
),

final AS (
    SELECT
        IFF(GROUPING(day) = 0, 'day', 'week') AS grain,
        COALESCE(day, week) AS period,
        'device' AS dimension,
        device AS grp,
        COUNT(*) AS views,
        COUNT(DISTINCT subscriber_id) AS readers,
        SUM(time_spent_seconds) AS time_spent
    FROM views
    GROUP BY GROUPING SETS ((day, device), (week, device))
)

SELECT * FROM final
""",
    # since 2026-12-08 each view once (the row loaded last of its event_id), as staging counts human views
    "analytics_bots": """
WITH raw_views AS (
    SELECT
        ARG_MAX(
            CONVERT_TIMEZONE('UTC', TRY_CAST(event_timestamp AS TIMESTAMP_TZ))::TIMESTAMP_NTZ::DATE, load_seq
        ) AS day,
        ARG_MAX(LOWER(COALESCE(user_agent, '')), load_seq) AS user_agent
    FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT
    WHERE load_seq > 0 AND TRIM(event_id) <> ''
        AND LOWER(COALESCE(user_agent, '')) LIKE ANY (
            '%bot%', '%crawler%', '%spider%', '%slurp%', '%headless%', '%python-requests%', '%curl/%', '%wget/%'
        )
    GROUP BY TRIM(event_id)
),

final AS (
    SELECT day, COUNT(*) AS views
    FROM raw_views
    WHERE day <= :as_of::DATE
        AND day > DATEADD(day, -7 * :weeks, :as_of::DATE)
        AND user_agent LIKE ANY (
            '%bot%', '%crawler%', '%spider%', '%slurp%', '%headless%', '%python-requests%', '%curl/%', '%wget/%'
        )
    GROUP BY day
)

SELECT * FROM final
""",
}


def _rows(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Rows as sorted tuples, numbers compared by value (a sum may come back as another numeric type)."""

    def value(v: Any) -> Any:
        return float(v) if isinstance(v, Decimal | float) else v

    return sorted((tuple((k, value(v)) for k, v in sorted(r.items()) if k != "built_at") for r in rows), key=repr)


@pytest.mark.parametrize("model", sorted(REFERENCE))
@pytest.mark.parametrize("days_back", [0, 45])
def test_each_serving_model_returns_what_its_reference_returns(built: Built, model: str, days_back: int) -> None:
    as_of = AS_OF - timedelta(days=days_back)
    params = {"as_of": as_of, "weeks": 26, "run_id": "no-such-run"}
    with built.warehouse.connect() as conn:
        profiles = point_in_time_profiles(conn, as_of)
        served = conn.query(render_model(f"models/serving/{model}.sql", profiles=profiles), params)
        reference = conn.query(_environment().from_string(REFERENCE[model]).render(), params)
    assert served  # the generated warehouse has rows for every model on both days
    assert _rows(served) == _rows(reference)


def test_the_publish_profiles_are_the_profile_model_and_live_only_in_their_session(built: Built) -> None:
    with built.warehouse.connect() as conn:
        profiles = point_in_time_profiles(conn, AS_OF)
        kept = conn.query(f"SELECT * FROM {profiles}")
        computed = conn.query(render_model("models/marts/subscriber_profiles.sql"), {"as_of": AS_OF})
    assert kept
    assert _rows(kept) == _rows(computed)  # built_at (the clock) left out
    with built.warehouse.connect() as conn, pytest.raises(duckdb.CatalogException):
        conn.query(f"SELECT * FROM {profiles}")  # another session (the next publish) never reads a stale copy


def test_bot_views_loaded_twice_count_once(warehouse: Warehouse, tmp_path: Path) -> None:
    """A file loaded again (changed and landed again, or forced) adds no bot view staging would not add."""
    path = tmp_path / "views.csv"
    header = "event_id,subscriber_id,article_id,event_timestamp,time_spent_seconds,device_type,user_agent"
    rows = [
        "b1,s1,A1,2026-11-20T10:00:00Z,5,desktop,Googlebot/2.1",
        "b2,s1,A1,2026-11-20T11:00:00Z,5,desktop,curl/8.0",
        "h1,s1,A1,2026-11-20T12:00:00Z,60,mobile,Mozilla/5.0",
        "b2,s1,A1,2026-11-21T11:00:00Z,5,desktop,curl/8.0",  # b2 again, a day later: its last row counts
    ]
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    for force in (False, True):
        assert [r.status for r in ingest(warehouse, [path], force=force)] == ["loaded"]
    with warehouse.connect() as conn:
        assert conn.scalar("SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT") == 8
        bots = conn.query(render_model("models/serving/analytics_bots.sql"), {"as_of": date(2026, 11, 21), "weeks": 1})
    assert sorted((r["day"], r["views"]) for r in bots) == [(date(2026, 11, 20), 1), (date(2026, 11, 21), 1)]
