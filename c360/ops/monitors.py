"""The monitors behind the alerts: the seed's SLAs and failure modes, each a query that says what fires.

A monitor returns the alerts firing now, each with a stable key (``kind:subject``); ``c360.ops.alerts``
raises the new ones and resolves the ones that stopped. Times are UTC; the warehouse's are naive UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from c360.serving.queries import current_run, day_end
from c360.serving.store import Store
from c360.settings import Settings
from c360.sources.inbox import event_inbox
from c360.warehouse import WarehouseConnection
from c360.webhooks.tables import webhook_endpoints
from pipeline_sql.emulation import META_SCHEMA


@dataclass(frozen=True)
class Firing:
    """An alert's condition, true now."""

    key: str
    kind: str
    summary: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    settings: Settings
    conn: WarehouseConnection
    store: Store
    now: datetime  # aware UTC
    previous: list[Firing]

    @property
    def naive(self) -> datetime:
        """Now as the warehouse stores it (TIMESTAMP_NTZ in UTC)."""
        return self.now.replace(tzinfo=None)

    @property
    def window_start(self) -> datetime:
        return self.naive - timedelta(hours=self.settings.alert_window_hours)


Monitor = Callable[[Context], list[Firing]]


def context(
    settings: Settings, conn: WarehouseConnection, store: Store, now: datetime, previous: list[Firing]
) -> Context:
    return Context(settings, conn, store, now, previous)


def _kinds(*kinds: str) -> Callable[[Monitor], Monitor]:
    """The alert kinds a monitor owns (kept open when the monitor itself fails)."""

    def mark(fn: Monitor) -> Monitor:
        fn.kinds = kinds  # type: ignore[attr-defined]
        return fn

    return mark


_STREAMS = (
    ("subscription_events", "SFE_RAW_MEDIA.sfe_subscriber_events_stream", "STG_UNIFIED_CUSTOMER"),
    ("content_engagement", "SFE_RAW_MEDIA.sfe_content_stream", "STG_CONTENT_ENGAGEMENT"),
)


@_kinds("sla.staging_lag")
def staging_lag(ctx: Context) -> list[Firing]:
    """Event to staging within C360_ALERT_EVENT_LAG_MINUTES (seed: 5 minutes): rows waiting in a stream, or
    API events waiting in the inbox, longer than that."""
    limit = timedelta(minutes=ctx.settings.alert_event_lag_minutes)
    oldest: dict[str, datetime] = {}
    for source, stream, _ in _STREAMS:
        if (first := ctx.conn.scalar(f"SELECT MIN(loaded_at) FROM {stream}")) is not None:
            oldest[source] = first
    with ctx.store.read() as conn:
        received = conn.execute(
            sa.select(sa.func.min(event_inbox.c.received_at)).where(event_inbox.c.moved_at.is_(None))
        )
        if (first_received := received.scalar()) is not None:
            first_received = first_received.replace(tzinfo=None)
            oldest["subscription_events"] = min(oldest.get("subscription_events", first_received), first_received)
    fired = []
    for source, _, target in _STREAMS:
        if source in oldest and ctx.naive - oldest[source] > limit:
            waited = (ctx.naive - oldest[source]).total_seconds()
            fired.append(
                Firing(
                    f"sla.staging_lag:{source}",
                    "sla.staging_lag",
                    f"{source} waiting {waited / 60:.1f} min for {target} (SLA {limit.total_seconds() / 60:g} min)",
                    {"source": source, "oldest_waiting_since": oldest[source].isoformat(), "seconds": waited},
                )
            )
    return fired


def _yesterday_by(ctx: Context, *, key: str, by: str, latest_sql: str, what: str) -> list[Firing]:
    """``key`` fires while ``latest_sql`` (a day) is behind the last day whose deadline has passed: yesterday
    from ``by`` (HH:MM UTC) on, the day before until then. (Checking nothing before ``by`` resolved a missed
    day at midnight, with the day still missing, and hid it until the next day's deadline.)"""
    hours, minutes = (int(p) for p in by.split(":"))
    latest = ctx.conn.scalar(latest_sql)
    expected = ctx.naive.date() - timedelta(days=1 if ctx.naive.time() >= time(hours, minutes) else 2)
    if latest is not None and latest >= expected:
        return []
    summary = f"{what} for {expected} not there by {by} UTC (latest: {latest or 'never'})"
    return [Firing(key, key, summary, {"expected": str(expected), "latest": str(latest)})]


@_kinds("sla.facts_built")
def facts_late(ctx: Context) -> list[Firing]:
    """Yesterday's DIM/FCT tables built by C360_ALERT_FACTS_BY (seed: 04:00 UTC)."""
    return _yesterday_by(
        ctx,
        key="sla.facts_built",
        by=ctx.settings.alert_facts_by,
        what="the daily build",
        latest_sql="SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS",
    )


@_kinds("sla.predictions")
def predictions_late(ctx: Context) -> list[Firing]:
    """Yesterday's churn scores by C360_ALERT_PREDICTIONS_BY (seed: 05:00 UTC)."""
    return _yesterday_by(
        ctx,
        key="sla.predictions",
        by=ctx.settings.alert_predictions_by,
        what="churn scores",
        latest_sql="SELECT MAX(score_date) FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES",
    )


@_kinds("task.failed")
def task_failed(ctx: Context) -> list[Firing]:
    """A task whose last run failed (the embedded scheduler's history; Snowflake's TASK_HISTORY())."""
    if ctx.conn.target == "duckdb":
        sql = (
            f"SELECT task_name, error, started_at FROM {META_SCHEMA}.TASK_HISTORY WHERE state <> 'EXECUTING' "
            "QUALIFY ROW_NUMBER() OVER (PARTITION BY task_name ORDER BY started_at DESC) = 1"
        )
    else:
        sql = (
            "SELECT name AS task_name, error_message AS error, query_start_time AS started_at "
            "FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY()) WHERE state IN ('SUCCEEDED', 'FAILED') "
            "QUALIFY ROW_NUMBER() OVER (PARTITION BY name ORDER BY query_start_time DESC) = 1"
        )
    rows = ctx.conn.query(sql)
    return [
        Firing(
            f"task.failed:{r['task_name'].lower()}",
            "task.failed",
            f"task {r['task_name']} failed: {r['error']}",
            {"task": r["task_name"], "error": r["error"], "started_at": str(r["started_at"])},
        )
        for r in rows
        if r["error"]
    ]


@_kinds("quality.failed")
def quality_failed(ctx: Context) -> list[Firing]:
    """A data quality check whose latest result failed."""
    rows = ctx.conn.query(
        "SELECT check_name, model, failures, as_of_date FROM SFE_ANALYTICS_MEDIA.V_DATA_QUALITY WHERE NOT passed"
    )
    return [
        Firing(
            f"quality.failed:{r['check_name']}",
            "quality.failed",
            f"quality check {r['check_name']} on {r['model']} failed ({r['failures']} rows) as of {r['as_of_date']}",
            {"check": r["check_name"], "model": r["model"], "failures": int(r["failures"])},
        )
        for r in rows
    ]


@_kinds("load.malformed", "load.refused")
def malformed_loads(ctx: Context) -> list[Firing]:
    """Each source's latest recent load: refused whole, or with more than C360_ALERT_MALFORMED_RATE rejected."""
    rows = ctx.conn.query(
        "SELECT source, source_file, status, rows_read, rows_rejected, finished_at FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY "
        "WHERE finished_at >= :since QUALIFY ROW_NUMBER() OVER (PARTITION BY source ORDER BY finished_at DESC) = 1",
        {"since": ctx.window_start},
    )
    fired = []
    for r in rows:
        details = {
            "source": r["source"],
            "file": r["source_file"],
            "rows_read": int(r["rows_read"]),
            "rows_rejected": int(r["rows_rejected"]),
        }
        if r["status"] == "failed":
            fired.append(
                Firing(
                    f"load.refused:{r['source']}",
                    "load.refused",
                    f"{r['source']} file refused whole: {r['source_file']}",
                    details,
                )
            )
        elif r["rows_read"] and r["rows_rejected"] / r["rows_read"] > ctx.settings.alert_malformed_rate:
            rate = r["rows_rejected"] / r["rows_read"]
            fired.append(
                Firing(
                    f"load.malformed:{r['source']}",
                    "load.malformed",
                    f"{rate:.1%} of {r['source_file']} malformed (limit {ctx.settings.alert_malformed_rate:.1%})",
                    {**details, "rate": rate},
                )
            )
    return fired


@_kinds("model.gate_refused")
def model_refused(ctx: Context) -> list[Firing]:
    """The latest trained model, recent and refused by the deploy gate."""
    rows = ctx.conn.query(
        "SELECT model_version, status, message, trained_at FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY "
        "ORDER BY trained_at DESC LIMIT 1"
    )
    if not rows or rows[0]["status"] != "rejected" or rows[0]["trained_at"] < ctx.window_start:
        return []
    r = rows[0]
    return [
        Firing(
            "model.gate_refused",
            "model.gate_refused",
            f"deploy gate refused {r['model_version']}: {r['message']}",
            {"model_version": r["model_version"], "message": r["message"]},
        )
    ]


@_kinds("model.alert")
def model_alerts(ctx: Context) -> list[Firing]:
    """Outcome monitoring's recent MODEL_ALERTS: drift above C360_MODEL_PSI_ALERT, realised AUC below the gate."""
    rows = ctx.conn.query(
        "SELECT kind, subject, MAX(value) AS value, MAX(threshold) AS threshold, MAX(score_date) AS score_date "
        "FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS WHERE recorded_at >= :since "
        "GROUP BY kind, subject ORDER BY kind, subject",
        {"since": ctx.window_start},
    )
    return [
        Firing(
            f"model.alert:{r['kind']}:{r['subject']}",
            "model.alert",
            f"{r['kind']} on {r['subject']}: {r['value']:.3f} (threshold {r['threshold']:.3f}) on {r['score_date']}",
            {"kind": r["kind"], "subject": r["subject"], "value": r["value"], "threshold": r["threshold"]},
        )
        for r in rows
    ]


@_kinds("webhook.endpoint_disabled")
def endpoints_disabled(ctx: Context) -> list[Firing]:
    """A webhook endpoint disabled (410 Gone, or failing longer than C360_WEBHOOK_DISABLE_AFTER)."""
    with ctx.store.read() as conn:
        rows = conn.execute(
            sa.select(webhook_endpoints.c.id, webhook_endpoints.c.url, webhook_endpoints.c.disabled_reason).where(
                sa.not_(webhook_endpoints.c.enabled)
            )
        ).all()
    return [
        Firing(
            f"webhook.endpoint_disabled:{r.id}",
            "webhook.endpoint_disabled",
            f"webhook endpoint {r.id} disabled: {r.disabled_reason}",
            {"endpoint_id": r.id, "url": r.url},
        )
        for r in rows
    ]


@_kinds("serving.stale")
def served_stale(ctx: Context) -> list[Firing]:
    """The served run older than C360_SERVED_RUN_MAX_AGE_HOURS (what /readyz calls stale)."""
    run = current_run(ctx.store)
    limit = ctx.settings.served_run_max_age_hours
    age = (ctx.now - day_end(run.score_date)).total_seconds() / 3600 if run else None
    if age is not None and age <= limit:
        return []
    summary = "no run is served" if run is None else f"the served run ({run.score_date}) is {age:.1f} h old"
    return [
        Firing(
            "serving.stale",
            "serving.stale",
            f"{summary} (limit {limit:g} h)",
            {"run_id": run.run_id if run else None, "age_hours": age, "max_age_hours": limit},
        )
    ]


def default_monitors() -> list[Monitor]:
    """Every monitor, in the order the seed lists them."""
    return [
        staging_lag,
        facts_late,
        predictions_late,
        task_failed,
        quality_failed,
        malformed_loads,
        model_refused,
        model_alerts,
        endpoints_disabled,
        served_stale,
    ]
