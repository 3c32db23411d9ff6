"""The deploy gate's recorded checks (CHURN_MODEL_GATE), apart from the gate itself: reading them (the model
lifecycle that publish and the API show) needs none of the training stack the gate's decision imports."""

from __future__ import annotations

from dataclasses import dataclass

from c360.warehouse import WarehouseConnection

GATE_TABLE = "SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE"


@dataclass(frozen=True)
class Check:
    """One check of the gate, with the numbers it compared."""

    name: str
    passed: bool
    value: float | None
    threshold: float | None
    detail: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "check": self.name,
            "passed": self.passed,
            "value": self.value,
            "threshold": self.threshold,
            "detail": self.detail,
        }


def checks_of(conn: WarehouseConnection, model_version: str) -> list[Check]:
    """The recorded checks of a model (none for one trained before the gate kept them)."""
    rows = conn.query(
        f"SELECT check_name, passed, value, threshold, detail FROM {GATE_TABLE} WHERE model_version = :v "
        "ORDER BY CASE check_name WHEN 'min_test_auc' THEN 1 WHEN 'not_worse_than_current' THEN 2 "
        "WHEN 'beats_baseline' THEN 3 ELSE 4 END",
        {"v": model_version},
    )
    return [Check(r["check_name"], bool(r["passed"]), r["value"], r["threshold"], str(r["detail"])) for r in rows]
