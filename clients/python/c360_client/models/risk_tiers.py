from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.risk_tier_band import RiskTierBand


T = TypeVar("T", bound="RiskTiers")


@_attrs_define
class RiskTiers:
    """Tier thresholds and counts of the served run.

    Attributes:
        score_date (datetime.date):
        run_id (str):
        model_version (str):
        scored (int): Subscribers scored in the run.
        tiers (list[RiskTierBand]):
    """

    score_date: datetime.date
    run_id: str
    model_version: str
    scored: int
    tiers: list[RiskTierBand]

    def to_dict(self) -> dict[str, Any]:
        score_date = self.score_date.isoformat()

        run_id = self.run_id

        model_version = self.model_version

        scored = self.scored

        tiers = []
        for tiers_item_data in self.tiers:
            tiers_item = tiers_item_data.to_dict()
            tiers.append(tiers_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "score_date": score_date,
                "run_id": run_id,
                "model_version": model_version,
                "scored": scored,
                "tiers": tiers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.risk_tier_band import RiskTierBand  # noqa: PLC0415

        d = dict(src_dict)
        score_date = datetime.date.fromisoformat(d.pop("score_date"))

        run_id = d.pop("run_id")

        model_version = d.pop("model_version")

        scored = d.pop("scored")

        tiers = []
        _tiers = d.pop("tiers")
        for tiers_item_data in _tiers:
            tiers_item = RiskTierBand.from_dict(tiers_item_data)

            tiers.append(tiers_item)

        risk_tiers = cls(
            score_date=score_date,
            run_id=run_id,
            model_version=model_version,
            scored=scored,
            tiers=tiers,
        )

        return risk_tiers
