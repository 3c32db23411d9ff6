"""Event types and the payload every delivery carries: ``{"type", "timestamp", "data"}``."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

HIGH_RISK = "subscriber.churn_risk.high"
TIER_CHANGED = "subscriber.risk_tier.changed"
CANCELLED = "subscriber.cancelled"
ALERT_RAISED = "ops.alert.raised"  # c360.ops.alerts: an SLA missed or a failure seen
ALERT_RESOLVED = "ops.alert.resolved"  # the same alert_key, once its condition has cleared
TEST = "webhook.test"
SUBSCRIBABLE = (
    HIGH_RISK,
    TIER_CHANGED,
    CANCELLED,
    ALERT_RAISED,
    ALERT_RESOLVED,
)  # webhook.test goes to one endpoint, on request


def payload(event_type: str, timestamp: datetime, data: dict[str, Any]) -> str:
    """The body of a message: compact JSON, fixed once written (the signature covers these exact bytes)."""
    stamp = timestamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return json.dumps({"type": event_type, "timestamp": stamp, "data": data}, separators=(",", ":"), default=str)
