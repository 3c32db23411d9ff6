from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.tier_counts import TierCounts


T = TypeVar("T", bound="RiskTierDay")


@_attrs_define
class RiskTierDay:
    """Tier counts and mean churn risk score of one score date's run.

    Attributes:
        score_date (datetime.date):
        run_id (str):
        model_version (str):
        scored (int): Subscribers scored that day.
        tiers (TierCounts): Subscribers per risk tier.
        mean_score (float | None): Mean churn risk score (null: not recorded).
    """

    score_date: datetime.date
    run_id: str
    model_version: str
    scored: int
    tiers: TierCounts
    mean_score: float | None

    def to_dict(self) -> dict[str, Any]:
        score_date = self.score_date.isoformat()

        run_id = self.run_id

        model_version = self.model_version

        scored = self.scored

        tiers = self.tiers.to_dict()

        mean_score: float | None
        mean_score = self.mean_score

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "score_date": score_date,
                "run_id": run_id,
                "model_version": model_version,
                "scored": scored,
                "tiers": tiers,
                "mean_score": mean_score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tier_counts import TierCounts  # noqa: PLC0415

        d = dict(src_dict)
        score_date = datetime.date.fromisoformat(d.pop("score_date"))

        run_id = d.pop("run_id")

        model_version = d.pop("model_version")

        scored = d.pop("scored")

        tiers = TierCounts.from_dict(d.pop("tiers"))

        def _parse_mean_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean_score = _parse_mean_score(d.pop("mean_score"))

        risk_tier_day = cls(
            score_date=score_date,
            run_id=run_id,
            model_version=model_version,
            scored=scored,
            tiers=tiers,
            mean_score=mean_score,
        )

        return risk_tier_day
