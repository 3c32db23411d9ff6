from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.risk_tier import RiskTier

T = TypeVar("T", bound="RiskTierBand")


@_attrs_define
class RiskTierBand:
    """One tier: its score range [min_score, max_score) and how many subscribers are in it.

    Attributes:
        tier (RiskTier): A churn risk tier: High, Medium or Low, by the thresholds of GET /v1/risk-tiers.
        min_score (float):
        max_score (float | None): Exclusive upper bound; null for High (up to 1).
        count (int):
    """

    tier: RiskTier
    min_score: float
    max_score: float | None
    count: int

    def to_dict(self) -> dict[str, Any]:
        tier = self.tier.value

        min_score = self.min_score

        max_score: float | None
        max_score = self.max_score

        count = self.count

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "tier": tier,
                "min_score": min_score,
                "max_score": max_score,
                "count": count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tier = RiskTier(d.pop("tier"))

        min_score = d.pop("min_score")

        def _parse_max_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        max_score = _parse_max_score(d.pop("max_score"))

        count = d.pop("count")

        risk_tier_band = cls(
            tier=tier,
            min_score=min_score,
            max_score=max_score,
            count=count,
        )

        return risk_tier_band
