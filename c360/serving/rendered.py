"""Health scores rendered once, at publish, exactly as the API's ``HealthScore`` schema renders them.

The change feed answers pages of hundreds of scores; validating and serializing each through pydantic
models on every request costs more than reading them. A publish therefore stores each scored row's JSON
(``served_subscribers.health_json``) and the feed joins the stored texts. The keys, their order and
their formats are those of ``api.schemas.HealthScore`` (a test renders the same rows both ways and
compares, and the API's contract tests validate every feed page against the schema).
"""

from __future__ import annotations

from typing import Any

import pydantic_core

HEALTH_FIELDS = (
    "subscriber_id", "churn_risk_score", "risk_tier", "previous_risk_tier", "score_date", "scored_at",
    "model_version", "drivers", "updated_at",
)  # fmt: skip


def health_json(row: dict[str, Any]) -> str:
    """A scored row (publish's values, after the carry-over) as the API's health score, not removed."""
    return pydantic_core.to_json(
        {**{name: row[name] for name in HEALTH_FIELDS}, "removed": False, "removal": None}
    ).decode()


def to_json(value: Any) -> bytes:
    """Anything JSON-ready (dates and datetimes as the API writes them)."""
    return pydantic_core.to_json(value)
