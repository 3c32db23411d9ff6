"""Outcome monitoring, daily after scoring: realised performance of every score date whose 30-day window
has closed (FCT_MODEL_PERFORMANCE) and the alerts (MODEL_ALERTS), by the single-source procedure
SFE_MONITOR_MODEL; then, when ``C360_MODEL_RETRAIN_ON_ALERT`` is set and new alerts were raised, a
training run as of the same day (the deploy gate still decides whether its model replaces the current one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from c360.model.lifecycle import AlertRecord, list_alerts
from c360.settings import Settings
from c360.warehouse import Warehouse, call
from pipeline_sql import runtime

MONITOR_PROCEDURE = "SFE_ANALYTICS_MEDIA.SFE_MONITOR_MODEL"


@dataclass(frozen=True)
class MonitorOutcome:
    """What one monitoring run found and did."""

    as_of: date
    run_id: str
    result: str
    new_alerts: list[AlertRecord]
    retrained: str | None  # the training run's decision, when one ran

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "as_of": self.as_of.isoformat(),
            "run_id": self.run_id,
            "result": self.result,
            "new_alerts": [a.to_dict() for a in self.new_alerts],
            "retrained": self.retrained,
        }


Retrain = Callable[[Warehouse, date], str]  # train as of the day; the gate's decision as one line


def monitor_model(
    *, warehouse: Warehouse, settings: Settings, as_of: date, retrain: Retrain | None = None
) -> MonitorOutcome:
    """Backfill realised performance as of ``as_of``, raise alerts, and when new ones were raised and
    ``C360_MODEL_RETRAIN_ON_ALERT`` is set, ``retrain`` (``c360.pipeline.model_steps.retrain``)."""
    day = as_of
    run_id = runtime.new_run_id()
    with warehouse.connect() as conn:
        known = {row["alert_id"] for row in conn.query("SELECT alert_id FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS")}
        result = str(
            call(conn, MONITOR_PROCEDURE, [day, run_id, settings.model_psi_alert, settings.model_min_test_auc])
        )
    new = [a for a in list_alerts(warehouse=warehouse) if a.alert_id not in known]
    retrained = None
    if new and settings.model_retrain_on_alert and retrain is not None:
        retrained = retrain(warehouse, day)
    return MonitorOutcome(day, run_id, result, new, retrained)
