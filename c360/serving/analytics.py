"""The dashboard's aggregates: read from the warehouse at each publish, written to the serving store with it.

Like the model lifecycle (``served_model_lifecycle``), these tables hold what the warehouse showed at
the last publish, so the API answers ``/v1/analytics/...`` from the store and never queries the warehouse
per request: tier counts and mean score per score date, engagement per day and week split by plan,
segment and device (and the bot views staging filtered out), signup-month cohorts, feature importance,
and drift (PSI per feature per scoring run, from FCT_SCORING_MONITOR). Each subscriber's own 90 days and
tickets are read with them and kept per served run (c360.serving.activity).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from c360.serving.activity import Activity, read_activity
from c360.serving.snapshot import ScoringRun, feature_labels
from c360.serving.store import UTCDateTime, metadata
from c360.text import fit_row
from c360.warehouse import WarehouseConnection
from pipeline_sql.scripts import render_model

WEEKS = 26  # the engagement trends cover the 26 weeks ending the run's score_date
MAX_COHORT_MONTHS = 24

# Tier counts and mean score of each score date: this run's day from its rows, earlier days from
# FCT_SCORING_MONITOR (so the history starts with the first run scored, not the first one published).
analytics_score_days = sa.Table(
    "analytics_score_days",
    metadata,
    sa.Column("score_date", sa.Date, primary_key=True),
    sa.Column("run_id", sa.String(64), nullable=False),
    sa.Column("model_version", sa.String(64), nullable=False),
    sa.Column("scored", sa.Integer, nullable=False),
    sa.Column("high_count", sa.Integer, nullable=False),
    sa.Column("medium_count", sa.Integer, nullable=False),
    sa.Column("low_count", sa.Integer, nullable=False),
    sa.Column("mean_score", sa.Float),
)

# Views, readers and seconds read per period (day or week) and group of a dimension (plan, segment,
# device; "bots": the bot views staging filtered out, group "all", no readers).
analytics_engagement = sa.Table(
    "analytics_engagement",
    metadata,
    sa.Column("grain", sa.String(8), primary_key=True),
    sa.Column("period", sa.Date, primary_key=True),
    sa.Column("dimension", sa.String(16), primary_key=True),
    sa.Column("grp", sa.String(64), primary_key=True),
    sa.Column("views", sa.Integer, nullable=False),
    sa.Column("readers", sa.Integer, nullable=False),
    sa.Column("time_spent", sa.BigInteger, nullable=False),
)

# Signup-month cohorts by plan and segment: size, how many were still subscribed `month` months after
# signing up (only months that have passed by the run's score_date), and how many are active now.
analytics_cohorts = sa.Table(
    "analytics_cohorts",
    metadata,
    sa.Column("cohort", sa.Date, primary_key=True),  # first day of the signup month
    sa.Column("plan", sa.String(64), primary_key=True),
    sa.Column("segment", sa.String(64), primary_key=True),
    sa.Column("month", sa.Integer, primary_key=True),
    sa.Column("subscribers", sa.Integer, nullable=False),
    sa.Column("retained", sa.Integer, nullable=False),
    sa.Column("active", sa.Integer, nullable=False),
)

# Global feature importance of each registered model (CHURN_FEATURE_IMPORTANCE), with readable labels.
analytics_feature_importance = sa.Table(
    "analytics_feature_importance",
    metadata,
    sa.Column("model_version", sa.String(64), primary_key=True),
    sa.Column("feature", sa.String(128), primary_key=True),
    sa.Column("label", sa.String(200), nullable=False),
    sa.Column("importance_rank", sa.Integer, nullable=False),
    sa.Column("importance", sa.Float, nullable=False),
)

# PSI of each feature in each day's scoring run against the training population (FCT_SCORING_MONITOR).
analytics_drift = sa.Table(
    "analytics_drift",
    metadata,
    sa.Column("score_date", sa.Date, primary_key=True),
    sa.Column("feature", sa.String(128), primary_key=True),
    sa.Column("model_version", sa.String(64), nullable=False),
    sa.Column("psi", sa.Float, nullable=False),
    sa.Column("published_at", UTCDateTime, nullable=False),
)

_MONITOR = """
WITH latest AS (
    SELECT run_id, score_date, model_version
    FROM SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR
    WHERE score_date <= :as_of::DATE
    GROUP BY run_id, score_date, model_version
    QUALIFY ROW_NUMBER() OVER (PARTITION BY score_date ORDER BY MAX(recorded_at) DESC, run_id DESC) = 1
)

SELECT m.run_id, m.score_date, m.model_version, m.metric, m.name, m.value
FROM SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR AS m
JOIN latest AS l ON l.run_id = m.run_id AND l.score_date = m.score_date
WHERE m.metric IN ('psi', 'score_mean', 'tier_count')
"""
_IMPORTANCE = """
SELECT model_version, feature, importance_rank, importance
FROM SFE_ANALYTICS_MEDIA.CHURN_FEATURE_IMPORTANCE
"""


@dataclass(frozen=True)
class Analytics:
    """The aggregates of one publish, ready to write."""

    score_days: list[dict[str, Any]] = field(default_factory=list)
    engagement: list[dict[str, Any]] = field(default_factory=list)
    cohorts: list[dict[str, Any]] = field(default_factory=list)
    importance: list[dict[str, Any]] = field(default_factory=list)
    drift: list[dict[str, Any]] = field(default_factory=list)
    activity: Activity = field(default_factory=Activity)  # per subscriber, written only when the run is served


def read_analytics(
    conn: WarehouseConnection, run: ScoringRun, rows: Sequence[dict[str, Any]], profiles: str
) -> Analytics:
    """The aggregates as of ``run``: its ``rows`` (the publish snapshot) give its day's tiers and the cohorts;
    ``profiles`` is the relation c360.serving.snapshot.point_in_time_profiles gave for its score_date."""
    params = {"as_of": run.score_date, "weeks": WEEKS}
    engagement = [
        *conn.query(render_model("models/serving/analytics_engagement.sql", profiles=profiles), params),
        *conn.query(render_model("models/serving/analytics_devices.sql"), params),
        *_bots(conn.query(render_model("models/serving/analytics_bots.sql"), params)),
    ]
    monitor = conn.query(_MONITOR, {"as_of": run.score_date})
    labels = feature_labels(conn)
    importance = [
        {**row, "feature": str(row["feature"]), "label": labels.get(str(row["feature"]), str(row["feature"]))}
        for row in conn.query(_IMPORTANCE)
    ]
    return Analytics(
        score_days=_score_days(monitor, run, rows),
        engagement=[_engagement_row(row) for row in engagement],
        cohorts=cohorts(rows, run.score_date),
        importance=importance,
        drift=[
            {"score_date": m["score_date"], "feature": str(m["name"]), "model_version": str(m["model_version"])}
            | {"psi": float(m["value"])}
            for m in monitor
            if m["metric"] == "psi"
        ],
        activity=read_activity(conn, run.score_date, (str(r["subscriber_id"]) for r in rows)),
    )


def record(conn: sa.Connection, analytics: Analytics, now: datetime) -> None:
    """Replace the store's aggregates with ``analytics`` (in the publish transaction); score days only add up."""
    days = [d["score_date"] for d in analytics.score_days]
    if days:
        conn.execute(analytics_score_days.delete().where(analytics_score_days.c.score_date.in_(days)))
        conn.execute(analytics_score_days.insert(), _fit(analytics_score_days, analytics.score_days))
    for table, values in (
        (analytics_engagement, analytics.engagement),
        (analytics_cohorts, analytics.cohorts),
        (analytics_feature_importance, analytics.importance),
        (analytics_drift, [d | {"published_at": now} for d in analytics.drift]),
    ):
        conn.execute(table.delete())
        if values:
            conn.execute(table.insert(), _fit(table, values))


def _fit(table: sa.Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows any store can hold: warehouse text (a plan, a segment, a device) may carry a NUL that PostgreSQL
    refuses, or be longer than its column; the text policy cleans and clips it, as for served subscribers."""
    lengths = {c.name: c.type.length for c in table.columns if isinstance(c.type, sa.String) and c.type.length}
    return [fit_row(row, lengths) for row in rows]


def _score_days(monitor: list[dict[str, Any]], run: ScoringRun, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    days: dict[date, dict[str, Any]] = {}
    for m in monitor:
        day = days.setdefault(
            m["score_date"],
            {"score_date": m["score_date"], "run_id": str(m["run_id"]), "model_version": str(m["model_version"])}
            | {"high_count": 0, "medium_count": 0, "low_count": 0, "mean_score": None},
        )
        if m["metric"] == "tier_count" and str(m["name"]) in ("High", "Medium", "Low"):
            day[f"{str(m['name']).lower()}_count"] = int(m["value"])
        elif m["metric"] == "score_mean":
            day["mean_score"] = float(m["value"])
    scores = [float(r["churn_risk_score"]) for r in rows if r["churn_risk_score"] is not None]
    tiers = Counter(str(r["risk_tier"]) for r in rows if r["risk_tier"] is not None)
    days[run.score_date] = {
        "score_date": run.score_date,
        "run_id": run.run_id,
        "model_version": run.model_version,
        "high_count": tiers.get("High", 0),
        "medium_count": tiers.get("Medium", 0),
        "low_count": tiers.get("Low", 0),
        "mean_score": sum(scores) / len(scores) if scores else None,
    }
    return [d | {"scored": d["high_count"] + d["medium_count"] + d["low_count"]} for d in days.values()]


def _bots(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Bot views per day, and per week (views add up; there are no readers to count)."""
    weeks: Counter[date] = Counter()
    for row in rows:
        weeks[row["day"] - timedelta(days=row["day"].weekday())] += int(row["views"])
    out = [{"grain": "day", "period": r["day"], "views": r["views"]} for r in rows]
    out += [{"grain": "week", "period": week, "views": views} for week, views in weeks.items()]
    return [r | {"dimension": "bots", "grp": "all", "readers": 0, "time_spent": 0} for r in out]


def _engagement_row(row: dict[str, Any]) -> dict[str, Any]:
    period = row["period"]
    return {
        "grain": str(row["grain"]),
        "period": period.date() if isinstance(period, datetime) else period,
        "dimension": str(row["dimension"]),
        "grp": str(row["grp"])[:64],
        "views": int(row["views"] or 0),
        "readers": int(row["readers"] or 0),
        "time_spent": int(row["time_spent"] or 0),
    }


def cohorts(rows: Sequence[dict[str, Any]], as_of: date) -> list[dict[str, Any]]:
    """Retention of signup-month cohorts by plan and segment, from the run's profile snapshot."""
    cells: dict[tuple[date, str, str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        signup = r.get("signup_date")
        if signup is None:
            continue
        cohort = signup.replace(day=1)
        cancelled = r["cancelled_at"].date() if r.get("cancelled_at") is not None else None
        key = (cohort, str(r.get("plan") or "unknown")[:64], str(r.get("demographic_segment") or "Unknown")[:64])
        for month in range(min(_months_between(signup, as_of), MAX_COHORT_MONTHS) + 1):
            cell = cells[(*key, month)]
            cell[0] += 1
            cell[1] += cancelled is None or cancelled >= _add_months(signup, month)
            cell[2] += cancelled is None
    return [
        {"cohort": c, "plan": p, "segment": s, "month": m, "subscribers": n, "retained": kept, "active": active}
        for (c, p, s, m), (n, kept, active) in cells.items()
    ]


def _months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 when end is in the first month after start)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(months - (end.day < start.day), 0)


def _add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
