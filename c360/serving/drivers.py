"""The reasons behind a score in one readable shape, whichever target scored it.

The embedded model writes exact per-subscriber SHAP values ``{feature, value, contribution, direction}``;
Snowflake ML gives no per-subscriber attribution, so a Snowflake scoring run writes the model's most
important features with the subscriber's values ``{feature, value, importance}``. Publishing turns both
into ``{feature, label, value, contribution, direction, importance}`` (absent parts null), with the label
from FEATURE_LABELS, so the API, the webhooks and the SDK see one typed schema.
"""

from __future__ import annotations

import math
from typing import Any

DIRECTIONS = ("increases_risk", "decreases_risk")


def readable_drivers(raw: Any, labels: dict[str, str]) -> list[dict[str, Any]] | None:
    """``raw`` (as the scoring run wrote it) as readable drivers; None stays None."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise ValueError(f"drivers must be a list, not {type(raw).__name__}")
    return [_driver(item, labels) for item in raw if isinstance(item, dict)]


def label_of(feature: str, labels: dict[str, str]) -> str:
    """The feature's label; a feature without one reads as its name in words."""
    return labels.get(feature) or feature.replace("_", " ").capitalize()


def _driver(item: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    feature = str(item.get("feature", "")).lower()
    contribution = _number(item.get("contribution"))
    direction = item.get("direction")
    if direction not in DIRECTIONS:
        direction = None if not contribution else DIRECTIONS[0] if contribution > 0 else DIRECTIONS[1]
    return {
        "feature": feature,
        "label": label_of(feature, labels),
        "value": _value(item.get("value")),
        "contribution": contribution,
        "direction": direction,
        "importance": _number(item.get("importance")),
    }


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _value(value: Any) -> float | str | None:
    if isinstance(value, str):
        return value
    return _number(value)
