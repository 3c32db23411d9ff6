from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.risk_tier import RiskTier

T = TypeVar("T", bound="HealthScore")


@_attrs_define
class HealthScore:
    """A subscriber's churn risk as of the served scoring run.

    Attributes:
        subscriber_id (str):
        churn_risk_score (float): Probability of cancelling within 30 days.
        risk_tier (RiskTier): A churn risk tier: High, Medium or Low, by the thresholds of GET /v1/risk-tiers.
        previous_risk_tier (None | RiskTier): Tier in the previously served run; null if unscored.
        score_date (datetime.date): Day the score is as of.
        scored_at (datetime.datetime):
        model_version (str):
        drivers (Any): Top features behind this score, as the scoring run wrote them: a list of {feature, value,
            contribution (SHAP, on the log-odds scale), direction (increases_risk | decreases_risk)}; a Snowflake scoring
            run gives {feature, value, importance}.
        updated_at (datetime.datetime): When score, tier or model last changed: the incremental-sync clock.
    """

    subscriber_id: str
    churn_risk_score: float
    risk_tier: RiskTier
    previous_risk_tier: None | RiskTier
    score_date: datetime.date
    scored_at: datetime.datetime
    model_version: str
    drivers: Any
    updated_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        subscriber_id = self.subscriber_id

        churn_risk_score = self.churn_risk_score

        risk_tier = self.risk_tier.value

        previous_risk_tier: None | str
        if isinstance(self.previous_risk_tier, RiskTier):
            previous_risk_tier = self.previous_risk_tier.value
        else:
            previous_risk_tier = self.previous_risk_tier

        score_date = self.score_date.isoformat()

        scored_at = self.scored_at.isoformat()

        model_version = self.model_version

        drivers = self.drivers

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subscriber_id": subscriber_id,
                "churn_risk_score": churn_risk_score,
                "risk_tier": risk_tier,
                "previous_risk_tier": previous_risk_tier,
                "score_date": score_date,
                "scored_at": scored_at,
                "model_version": model_version,
                "drivers": drivers,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subscriber_id = d.pop("subscriber_id")

        churn_risk_score = d.pop("churn_risk_score")

        risk_tier = RiskTier(d.pop("risk_tier"))

        def _parse_previous_risk_tier(data: object) -> None | RiskTier:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_risk_tier_type_0 = RiskTier(data)

                return previous_risk_tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RiskTier, data)

        previous_risk_tier = _parse_previous_risk_tier(d.pop("previous_risk_tier"))

        score_date = datetime.date.fromisoformat(d.pop("score_date"))

        scored_at = datetime.datetime.fromisoformat(d.pop("scored_at"))

        model_version = d.pop("model_version")

        drivers = d.pop("drivers")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        health_score = cls(
            subscriber_id=subscriber_id,
            churn_risk_score=churn_risk_score,
            risk_tier=risk_tier,
            previous_risk_tier=previous_risk_tier,
            score_date=score_date,
            scored_at=scored_at,
            model_version=model_version,
            drivers=drivers,
            updated_at=updated_at,
        )

        return health_score
