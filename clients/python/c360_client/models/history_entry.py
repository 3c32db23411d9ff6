from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.risk_tier import RiskTier

T = TypeVar("T", bound="HistoryEntry")


@_attrs_define
class HistoryEntry:
    """One earlier score.

    Attributes:
        score_date (datetime.date):
        churn_risk_score (float):
        risk_tier (RiskTier): A churn risk tier: High, Medium or Low, by the thresholds of GET /v1/risk-tiers.
        model_version (str):
        scored_at (datetime.datetime):
        run_id (str):
    """

    score_date: datetime.date
    churn_risk_score: float
    risk_tier: RiskTier
    model_version: str
    scored_at: datetime.datetime
    run_id: str

    def to_dict(self) -> dict[str, Any]:
        score_date = self.score_date.isoformat()

        churn_risk_score = self.churn_risk_score

        risk_tier = self.risk_tier.value

        model_version = self.model_version

        scored_at = self.scored_at.isoformat()

        run_id = self.run_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "score_date": score_date,
                "churn_risk_score": churn_risk_score,
                "risk_tier": risk_tier,
                "model_version": model_version,
                "scored_at": scored_at,
                "run_id": run_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        score_date = datetime.date.fromisoformat(d.pop("score_date"))

        churn_risk_score = d.pop("churn_risk_score")

        risk_tier = RiskTier(d.pop("risk_tier"))

        model_version = d.pop("model_version")

        scored_at = datetime.datetime.fromisoformat(d.pop("scored_at"))

        run_id = d.pop("run_id")

        history_entry = cls(
            score_date=score_date,
            churn_risk_score=churn_risk_score,
            risk_tier=risk_tier,
            model_version=model_version,
            scored_at=scored_at,
            run_id=run_id,
        )

        return history_entry
