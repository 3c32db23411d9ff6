"""Alerts: each monitor made to fire, then to clear; both arrive at a real receiver on loopback as
verified Standard Webhooks (``ops.alert.raised`` then ``ops.alert.resolved`` with the same alert key)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from c360.ops import monitors
from c360.ops.alerts import AlertsJob, open_alerts
from c360.ops.metrics import WorkerMetrics
from c360.settings import Settings
from c360.sources.inbox import accept, claim, event_inbox, mark_moved, unmoved_claims
from c360.sources.ingest import ingest
from c360.warehouse import Warehouse
from c360.webhooks import endpoints
from tests.conftest import free_port
from tests.webhooks.conftest import Hooks, give_warehouse
from tests.webhooks.receiver import Receiver

OPS = ["ops.alert.raised", "ops.alert.resolved"]
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@dataclass
class Ops:
    hooks: Hooks
    warehouse: Warehouse
    receiver: Receiver
    secret: str
    now: datetime = NOON
    other: str | None = None  # a second endpoint, to disable

    def job(self, monitor: monitors.Monitor, metrics: WorkerMetrics | None = None) -> AlertsJob:
        return AlertsJob(
            self.hooks.settings, self.warehouse, clock=lambda: self.now, monitors=[monitor], metrics=metrics
        )

    def sql(self, statement: str, params: dict[str, Any] | None = None) -> None:
        with self.warehouse.connect() as conn:
            conn.execute(statement, params or {})


@pytest.fixture
def ops(hooks: Hooks, receiver: Receiver) -> Iterator[Ops]:
    give_warehouse(hooks.home)
    _, secret = hooks.endpoint(receiver.url, OPS)
    yield Ops(hooks, Warehouse.from_settings(hooks.settings), receiver, secret)


def naive(ops: Ops, **delta: float) -> datetime:
    return (ops.now + timedelta(**delta)).replace(tzinfo=None)


def stale_inbox_event(ops: Ops) -> None:
    accept(ops.hooks.store, payloads=['{"event_id": "e1"}'], key_id="k1")
    with ops.hooks.store.write() as conn:
        conn.execute(event_inbox.update().values(received_at=ops.now - timedelta(minutes=9)))


def inbox_moved(ops: Ops) -> None:
    claim(ops.hooks.store, limit=10)
    mark_moved(ops.hooks.store, unmoved_claims(ops.hooks.store))


def task_run(state: str, error: str | None, minutes: int) -> Callable[[Ops], None]:
    def run(ops: Ops) -> None:
        ops.sql(
            "INSERT INTO C360_META.TASK_HISTORY (run_id, task_name, scheduled_at, started_at, finished_at, state, "
            "error) VALUES (:id, 'SFE_ANALYTICS_MEDIA.SFE_DAILY_BUILD_TASK', :at, :at, :at, :state, :error)",
            {"id": f"r{minutes}", "at": naive(ops, minutes=minutes), "state": state, "error": error},
        )

    return run


def check_result(passed: bool, minutes: int) -> Callable[[Ops], None]:
    def record(ops: Ops) -> None:
        ops.sql(
            "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, "
            "passed, checked_at) VALUES ('r', '2026-12-01', 'dim_subscribers_unique', 'dim_subscribers', :f, :p, :at)",
            {"f": 0 if passed else 3, "p": passed, "at": naive(ops, minutes=minutes)},
        )

    return record


def content_file(bad: int, name: str) -> Callable[[Ops], None]:
    def load(ops: Ops) -> None:
        good = [f"c{name}{i},s1,ART-1,2026-10-01T10:00:00Z,60" for i in range(10 - bad)]
        path = Path(ops.hooks.home) / f"{name}.csv"
        lines = ["event_id,subscriber_id,article_id,event_timestamp,time_spent_seconds", *good, *(["x,y"] * bad)]
        path.write_text("\n".join(lines) + "\n")
        ingest(ops.warehouse, [path])
        ops.sql("UPDATE SFE_RAW_MEDIA.RAW_LOAD_HISTORY SET finished_at = :at WHERE source_file = :f",
                {"at": naive(ops), "f": str(path)})  # fmt: skip
        ops.now += timedelta(minutes=1)

    return load


def model(status: str, minutes: int) -> Callable[[Ops], None]:
    def train(ops: Ops) -> None:
        ops.sql(
            "INSERT INTO SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY (model_version, trained_at, status, algorithm, "
            "as_of_date, data_window_start, data_window_end, test_window_start, features, train_rows, test_rows, "
            "metrics, message, run_id) SELECT :v, :at, :s, 'lightgbm+platt', '2026-12-01', '2026-06-01', "
            "'2026-11-01', '2026-10-01', PARSE_JSON('[]'), 1, 1, PARSE_JSON('{}'), :m, 'r'",
            {"v": f"churn-{minutes}", "at": naive(ops, minutes=minutes), "s": status,
             "m": "test AUC 0.71 not above 0.80" if status == "rejected" else "deployed"},
        )  # fmt: skip

    return train


def drift(ops: Ops) -> None:
    ops.sql(
        "INSERT INTO SFE_ANALYTICS_MEDIA.MODEL_ALERTS (alert_id, kind, model_version, score_date, subject, value, "
        "threshold, run_id, recorded_at) VALUES ('a1', 'feature_drift', 'churn-1', '2026-12-01', "
        "'days_since_last_read', 0.41, 0.25, 'r', :at)",
        {"at": naive(ops)},
    )


def later(hours: float) -> Callable[[Ops], None]:
    def advance(ops: Ops) -> None:
        ops.now += timedelta(hours=hours)

    return advance


def at(hour: int, minute: int) -> Callable[[Ops], None]:
    def set_clock(ops: Ops) -> None:
        ops.now = ops.now.replace(hour=hour, minute=minute)

    return set_clock


def built_yesterday(table: str) -> Callable[[Ops], None]:
    """The daily build (DIM_SUBSCRIBERS) or scoring (FCT_CUSTOMER_HEALTH_SCORES) of the day before ``ops.now``."""

    def build(ops: Ops) -> None:
        day = ops.now.date() - timedelta(days=1)
        if table == "DIM_SUBSCRIBERS":
            ops.sql(
                "INSERT INTO SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS (subscriber_id, as_of_date, status, plan, "
                "signup_date, tenure_days, lifetime_value, payments_count, failed_payments_count, "
                "demographic_segment, last_event_at, built_at) "
                "VALUES ('s1', :day, 'active', 'basic', :day, 0, 0, 0, 0, 'Unknown', :day, CURRENT_TIMESTAMP)",
                {"day": day},
            )
        else:
            ops.sql("INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES (subscriber_id, score_date, "
                    "churn_risk_score, risk_tier, model_version, run_id, scored_at) VALUES "
                    "('s1', :day, 0.5, 'High', 'm', 'r', CURRENT_TIMESTAMP)", {"day": day})  # fmt: skip

    return build


def test_a_missed_daily_build_stays_alerted_across_midnight(ops: Ops) -> None:
    # before its deadline the alert checked nothing: at midnight it resolved the missed day, still missing, and
    # the miss was hidden until 04:00, when it was raised again for the next day
    job = ops.job(monitors.facts_late)
    ops.now = ops.now.replace(hour=4, minute=30)
    job.tick()
    [raised] = open_alerts(ops.hooks.store)
    ops.now = (ops.now + timedelta(days=1)).replace(hour=0, minute=5)  # the next day, before its deadline
    job.tick()
    assert [a["alert_key"] for a in open_alerts(ops.hooks.store)] == [raised["alert_key"]]
    built_yesterday("DIM_SUBSCRIBERS")(ops)  # built late: for the day the deadline was missed, now the day before
    ops.now -= timedelta(days=1)
    built_yesterday("DIM_SUBSCRIBERS")(ops)
    ops.now += timedelta(days=1)
    job.tick()
    assert open_alerts(ops.hooks.store) == []  # and nothing is due for today until 04:00


def disabled_endpoint(enabled: bool) -> Callable[[Ops], None]:
    def toggle(ops: Ops) -> None:
        if ops.other is None:
            created, _ = endpoints.create(ops.hooks.store, ops.hooks.settings, url=ops.receiver.url + "/x",
                                          event_types=["subscriber.cancelled"])  # fmt: skip
            ops.other = created.id
        endpoints.update(ops.hooks.store, ops.hooks.settings, ops.other, enabled=enabled)

    return toggle


def fresh_run(ops: Ops) -> None:
    ops.hooks.publish({"s1": 0.5})
    with ops.hooks.store.read() as conn:
        day = conn.execute(sa.text("SELECT MAX(score_date) FROM served_runs")).scalar()
    assert day is not None
    score_date = day if isinstance(day, date) else date.fromisoformat(str(day))
    ops.now = datetime.combine(score_date + timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(hours=3)


CASES: dict[str, tuple[monitors.Monitor, str, Callable[[Ops], None], Callable[[Ops], None]]] = {
    "event_to_staging": (monitors.staging_lag, "sla.staging_lag:subscription_events", stale_inbox_event, inbox_moved),
    "facts_by_04": (monitors.facts_late, "sla.facts_built", at(4, 30), built_yesterday("DIM_SUBSCRIBERS")),
    "predictions_by_05": (monitors.predictions_late, "sla.predictions", at(5, 1),
                          built_yesterday("FCT_CUSTOMER_HEALTH_SCORES")),
    "task_failing": (monitors.task_failed, "task.failed:sfe_analytics_media.sfe_daily_build_task",
                     task_run("FAILED", "division by zero", -5), task_run("SUCCEEDED", None, -1)),
    "quality_check_failing": (monitors.quality_failed, "quality.failed:dim_subscribers_unique",
                              check_result(False, -5), check_result(True, -1)),
    "malformed_rate": (monitors.malformed_loads, "load.malformed:content_engagement",
                       content_file(4, "bad"), content_file(0, "good")),
    "model_gate_refusing": (monitors.model_refused, "model.gate_refused", model("rejected", -5), model("current", -1)),
    "drift": (monitors.model_alerts, "model.alert:feature_drift:days_since_last_read", drift, later(25)),
    "endpoint_disabled": (monitors.endpoints_disabled, "webhook.endpoint_disabled:", disabled_endpoint(False),
                          disabled_endpoint(True)),
    "served_run_stale": (monitors.served_stale, "serving.stale", lambda ops: None, fresh_run),
}  # fmt: skip


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("case", list(CASES))
def test_each_alert_fires_and_resolves_as_verified_webhooks(ops: Ops, case: str) -> None:
    monitor, key, make_it_fire, make_it_clear = CASES[case]
    job = ops.job(monitor)
    make_it_fire(ops)
    job.tick()
    job.tick()  # still firing: raised once
    [raised] = open_alerts(ops.hooks.store)
    assert raised["alert_key"].startswith(key), raised
    make_it_clear(ops)
    job.tick()
    assert open_alerts(ops.hooks.store) == []
    with ops.hooks.engine():
        ops.receiver.wait_for(2)
    # Deliveries run concurrently and the engine promises no order between messages: pair them by type.
    bodies = sorted(ops.receiver.verify(ops.secret), key=lambda b: OPS.index(str(b["type"])))
    assert [b["type"] for b in bodies] == OPS
    assert bodies[0]["data"]["alert_key"] == bodies[1]["data"]["alert_key"] == raised["alert_key"]  # type: ignore[index]
    assert bodies[1]["data"]["resolved_at"]  # type: ignore[index]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_worker_metrics_show_alerts_rows_and_ticks(ops: Ops) -> None:
    metrics = WorkerMetrics()
    port = free_port()
    metrics.serve(port)
    job = ops.job(monitors.served_stale, metrics)
    content_file(4, "bad")(ops)
    from c360.ops.metrics import Timed

    Timed(job, metrics).tick()
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    assert "c360_alerts_firing 1.0" in text
    assert 'c360_alert_firing{alert_key="serving.stale",kind="serving.stale"} 1.0' in text
    assert 'c360_rows_loaded{source="content_engagement"} 6.0' in text
    assert 'c360_rows_rejected{source="content_engagement"} 4.0' in text
    assert 'c360_worker_job_ticks_total{job="alerts",outcome="ok"} 1.0' in text
    assert 'c360_staging_lag_seconds{source="content_engagement"}' in text
    with ops.hooks.store.write() as conn:  # the raised alert's message, delivered: none pending any more
        pending = conn.execute(sa.text("UPDATE webhook_messages SET status = 'delivered' WHERE status = 'pending'"))
    assert pending.rowcount >= 1
    Timed(job, metrics).tick()
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    assert 'c360_webhook_messages{status="pending"} 0.0' in text  # not the count of the last tick that had some
    assert f'c360_webhook_messages{{status="delivered"}} {float(pending.rowcount)}' in text


def test_alert_payloads_are_json_with_the_key(settings: Settings) -> None:
    from c360.webhooks import events

    body = json.loads(events.payload(events.ALERT_RAISED, NOON, {"alert_key": "serving.stale"}))
    assert body == {"type": "ops.alert.raised", "timestamp": "2026-12-02T12:00:00.000Z",
                    "data": {"alert_key": "serving.stale"}}  # fmt: skip
