"""Alerts: what the monitors find firing, kept open in ``ops_alerts`` until it clears, each raise and
resolve a webhook event (``ops.alert.raised`` / ``ops.alert.resolved``) with the same ``alert_key``.

The alert rows and their messages are written in one transaction of the serving store, so a crash
never leaves an alert raised without its message or the other way round; the delivery engine of
``c360 worker`` sends them like every other message (signed, retried, replayable).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from c360.ops.metrics import WorkerMetrics
from c360.ops.monitors import Firing, Monitor, context, default_monitors
from c360.serving.store import Store, ops_alerts
from c360.settings import Settings
from c360.warehouse import Warehouse
from c360.webhooks import events, outbox
from c360.webhooks.tables import webhook_endpoints

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """An alert raised or resolved by one evaluation."""

    event_type: str  # ops.alert.raised | ops.alert.resolved
    alert_key: str
    summary: str


def open_alerts(store: Store) -> list[dict[str, Any]]:
    """The alerts firing now, oldest first."""
    with store.read() as conn:
        rows = conn.execute(
            sa.select(ops_alerts).where(ops_alerts.c.status == "open").order_by(ops_alerts.c.raised_at)
        ).mappings()
        return [dict(row) for row in rows]


def reconcile(store: Store, firing: Iterable[Firing], *, now: datetime) -> list[Change]:
    """Raise what fires and is not open, resolve what is open and no longer fires; returns the changes."""
    firing_by_key = {f.key: f for f in firing}
    changes: list[Change] = []
    with store.write() as conn:
        known = {row.alert_key: row for row in conn.execute(sa.select(ops_alerts))}
        is_open = {key for key, row in known.items() if row.status == "open"}
        for key in sorted(set(firing_by_key) - is_open):
            alert = firing_by_key[key]
            values = {"kind": alert.kind, "summary": alert.summary[:500], "details": json.dumps(alert.details,
                      default=str), "status": "open", "raised_at": now, "resolved_at": None}  # fmt: skip
            if key in known:
                conn.execute(
                    ops_alerts.update()
                    .where(ops_alerts.c.alert_key == key)
                    .values(**values, times_raised=known[key].times_raised + 1)
                )
            else:
                conn.execute(ops_alerts.insert().values(alert_key=key, times_raised=1, **values))
            data = {"alert_key": key, "kind": alert.kind, "summary": alert.summary, "details": alert.details,
                    "raised_at": now.isoformat()}  # fmt: skip
            _enqueue(conn, events.ALERT_RAISED, data, now)
            changes.append(Change(events.ALERT_RAISED, key, alert.summary))
        for key in sorted(is_open - set(firing_by_key)):
            row = known[key]
            conn.execute(
                ops_alerts.update().where(ops_alerts.c.alert_key == key).values(status="resolved", resolved_at=now)
            )
            data = {"alert_key": key, "kind": row.kind, "summary": row.summary, "details": json.loads(row.details),
                    "raised_at": row.raised_at.isoformat(), "resolved_at": now.isoformat()}  # fmt: skip
            _enqueue(conn, events.ALERT_RESOLVED, data, now)
            changes.append(Change(events.ALERT_RESOLVED, key, row.summary))
    return changes


def _enqueue(conn: sa.Connection, event_type: str, data: dict[str, Any], now: datetime) -> None:
    body = events.payload(event_type, now, data)
    for endpoint in conn.execute(
        sa.select(webhook_endpoints.c.id, webhook_endpoints.c.event_types).where(webhook_endpoints.c.enabled)
    ):
        if event_type in endpoint.event_types.split(","):
            outbox.enqueue(conn, endpoint_id=endpoint.id, event_type=event_type, body=body, now=now)


def evaluate(monitors: Iterable[Monitor], ctx: Any) -> list[Firing]:
    """Every monitor's findings; a monitor that fails is logged and skipped (its open alerts stay open)."""
    found: list[Firing] = []
    for monitor in monitors:
        try:
            found.extend(monitor(ctx))
        except Exception as exc:  # one broken check must not silence the others
            log.warning("alert monitor %s failed: %s", getattr(monitor, "__name__", monitor), exc)
            found.extend(f for f in ctx.previous if f.kind in getattr(monitor, "kinds", ()))
    return found


@dataclass
class AlertsJob:
    """Worker job: evaluate the monitors, raise and resolve alerts, refresh the worker's gauges."""

    settings: Settings
    warehouse: Warehouse
    report: Callable[[str], None] = log.info
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    monitors: list[Monitor] = field(default_factory=default_monitors)
    metrics: WorkerMetrics | None = None
    name: str = "alerts"
    interval: float = 30.0

    def __post_init__(self) -> None:
        self.interval = self.settings.alert_interval
        self._store = Store.from_settings(self.settings)

    def tick(self) -> None:
        """One evaluation."""
        now = self.clock()
        previous = [Firing(r["alert_key"], r["kind"], r["summary"], json.loads(r["details"]))
                    for r in open_alerts(self._store)]  # fmt: skip
        with self.warehouse.connect() as conn:
            ctx = context(self.settings, conn, self._store, now, previous)
            firing = evaluate(self.monitors, ctx)
            if self.metrics is not None:
                self.metrics.refresh(conn, self._store, now)
        for change in reconcile(self._store, firing, now=now):
            verb = "raised" if change.event_type == events.ALERT_RAISED else "resolved"
            self.report(f"alerts: {verb} {change.alert_key}: {change.summary}")
        if self.metrics is not None:
            self.metrics.alerts_open(open_alerts(self._store))
