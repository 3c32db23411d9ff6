"""Prometheus metrics of ``c360 worker`` (``--metrics-port``): job ticks and durations, task runs, lag
to staging, rows loaded and rejected, alerts firing, webhook delivery outcomes.

Counters and histograms are observed as the jobs run; the gauges that describe the warehouse and the
store are refreshed by the alerts job, which reads both anyway (the embedded warehouse is opened by
one job at a time, never from the HTTP thread that serves the scrape).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from c360.errors import ConfigError
from c360.serving.store import Store
from c360.sources.formats import Source
from c360.sources.ingest import LoadResult
from c360.warehouse import WarehouseConnection
from c360.webhooks.tables import webhook_messages
from pipeline_sql.emulation import META_SCHEMA

_LAG_BUCKETS = (1, 2, 5, 10, 20, 30, 45, 60, 90, 120, 300, 600)
_STREAMS = {
    "subscription_events": "SFE_RAW_MEDIA.sfe_subscriber_events_stream",
    "content_engagement": "SFE_RAW_MEDIA.sfe_content_stream",
}


class WorkerMetrics:
    """The worker's registry and its metrics."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        self.ticks = Counter(
            "c360_worker_job_ticks", "Job ticks by outcome (ok | error).", ["job", "outcome"], registry=r
        )
        self.tick_seconds = Histogram("c360_worker_job_seconds", "Duration of a job's tick.", ["job"], registry=r)
        self.task_runs = Gauge("c360_task_runs", "Task runs recorded, by final state.", ["task", "state"], registry=r)
        self.task_seconds = Gauge(
            "c360_task_last_run_seconds", "Duration of each task's last run.", ["task"], registry=r
        )
        self.staging_lag = Gauge(
            "c360_staging_lag_seconds", "Age of the oldest row waiting in a stream (0: none).", ["source"], registry=r
        )
        self.rows_loaded = Gauge("c360_rows_loaded", "Rows loaded into the raw tables.", ["source"], registry=r)
        self.rows_rejected = Gauge(
            "c360_rows_rejected", "Records rejected into RAW_LOAD_ERRORS.", ["source"], registry=r
        )
        self.landing_lag = Histogram(
            "c360_landing_to_staged_seconds",
            "From a landed file's last write to its rows staged.",
            ["source"],
            buckets=_LAG_BUCKETS,
            registry=r,
        )
        self.alerts = Gauge("c360_alerts_firing", "Open alerts.", registry=r)
        self.alert = Gauge("c360_alert_firing", "1 per open alert.", ["alert_key", "kind"], registry=r)
        self.messages = Gauge("c360_webhook_messages", "Webhook messages by status.", ["status"], registry=r)

    def serve(self, port: int, host: str = "127.0.0.1") -> None:
        """Expose /metrics on ``port`` (a daemon thread)."""
        try:
            start_http_server(port, addr=host, registry=self.registry)
        except OSError as exc:  # a port in use, or one this user may not bind
            raise ConfigError(f"--metrics-port {port}: cannot listen on {host}:{port}: {exc.strerror}") from None

    def observe_tick(self, job: str, seconds: float, ok: bool) -> None:
        self.ticks.labels(job, "ok" if ok else "error").inc()
        self.tick_seconds.labels(job).observe(seconds)

    def observe_landing(self, source: Source, results: list[LoadResult], mtimes: dict[str, float]) -> None:
        now = time.time()
        for result in results:
            if result.status == "loaded" and (written := mtimes.get(str(result.file))) is not None:
                self.landing_lag.labels(source.name).observe(max(0.0, now - written))

    def refresh(self, conn: WarehouseConnection, store: Store, now: datetime) -> None:
        """The gauges read from the warehouse and the store."""
        naive = now.replace(tzinfo=None)
        for source, stream in _STREAMS.items():
            oldest = conn.scalar(f"SELECT MIN(loaded_at) FROM {stream}")
            self.staging_lag.labels(source).set((naive - oldest).total_seconds() if oldest else 0.0)
        for row in conn.query(
            "SELECT source, SUM(rows_loaded) AS loaded, SUM(rows_rejected) AS rejected "
            "FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY GROUP BY source"
        ):
            self.rows_loaded.labels(row["source"]).set(float(row["loaded"] or 0))
            self.rows_rejected.labels(row["source"]).set(float(row["rejected"] or 0))
        if conn.target == "duckdb":
            for row in conn.query(
                f"SELECT task_name, state, COUNT(*) AS runs FROM {META_SCHEMA}.TASK_HISTORY GROUP BY task_name, state"
            ):
                self.task_runs.labels(row["task_name"], row["state"]).set(float(row["runs"]))
            for row in conn.query(
                "SELECT task_name, EXTRACT(EPOCH FROM finished_at - started_at) AS seconds "
                f"FROM {META_SCHEMA}.TASK_HISTORY WHERE finished_at IS NOT NULL "
                "QUALIFY ROW_NUMBER() OVER (PARTITION BY task_name ORDER BY started_at DESC) = 1"
            ):
                self.task_seconds.labels(row["task_name"]).set(float(row["seconds"] or 0))
        with store.read() as sconn:
            counts = sconn.execute(
                sa.select(webhook_messages.c.status, sa.func.count()).group_by(webhook_messages.c.status)
            )
            by_status = dict.fromkeys(("pending", "delivered", "failed"), 0.0)  # a status with none left reads 0
            by_status.update((str(status), float(n)) for status, n in counts)
        for status, n in by_status.items():
            self.messages.labels(status).set(n)

    def alerts_open(self, rows: Iterable[dict[str, Any]]) -> None:
        rows = list(rows)
        self.alerts.set(len(rows))
        self.alert.clear()
        for row in rows:
            self.alert.labels(row["alert_key"], row["kind"]).set(1)


@dataclass
class Timed:
    """A job whose ticks are counted and timed."""

    job: Any
    metrics: WorkerMetrics
    name: str = ""
    interval: float = 1.0

    def __post_init__(self) -> None:
        self.name, self.interval = str(self.job.name), float(self.job.interval)

    def tick(self) -> None:
        started, ok = time.perf_counter(), False
        try:
            self.job.tick()
            ok = True
        finally:
            self.metrics.observe_tick(self.name, time.perf_counter() - started, ok)

    def close(self) -> None:
        if close := getattr(self.job, "close", None):
            close()
