from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.risk_tier import RiskTier

if TYPE_CHECKING:
    from ..models.driver import Driver
    from ..models.removal import Removal


T = TypeVar("T", bound="HealthScore")


@_attrs_define
class HealthScore:
    """A subscriber's churn risk as of the served scoring run (or their last one, when ``removed``).

    Attributes:
        subscriber_id (str):
        churn_risk_score (float): Probability of cancelling within 30 days.
        risk_tier (RiskTier): A churn risk tier: High, Medium or Low, by the thresholds of GET /v1/risk-tiers.
        previous_risk_tier (None | RiskTier): Tier in the previously served run; null if unscored.
        score_date (datetime.date): Day the score is as of.
        scored_at (datetime.datetime):
        model_version (str):
        drivers (list[Driver] | None): Top features behind this score, strongest first.
        updated_at (datetime.datetime): When score, tier or model last changed. A convenience filter for updated_since;
            sync with GET /v1/health-scores/changes, whose tokens do not depend on clocks.
        removed (bool): True: the served run no longer has this subscriber; this is their last score, and removal says
            why. Only GET /v1/subscribers/{id}/health-score and profiles answer for removed subscribers.
        removal (None | Removal): Why and since when, when removed; else null.
    """

    subscriber_id: str
    churn_risk_score: float
    risk_tier: RiskTier
    previous_risk_tier: None | RiskTier
    score_date: datetime.date
    scored_at: datetime.datetime
    model_version: str
    drivers: list[Driver] | None
    updated_at: datetime.datetime
    removed: bool
    removal: None | Removal

    def to_dict(self) -> dict[str, Any]:
        from ..models.removal import Removal  # noqa: PLC0415

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

        drivers: list[dict[str, Any]] | None
        if isinstance(self.drivers, list):
            drivers = []
            for drivers_type_0_item_data in self.drivers:
                drivers_type_0_item = drivers_type_0_item_data.to_dict()
                drivers.append(drivers_type_0_item)

        else:
            drivers = self.drivers

        updated_at = self.updated_at.isoformat()

        removed = self.removed

        removal: dict[str, Any] | None
        if isinstance(self.removal, Removal):
            removal = self.removal.to_dict()
        else:
            removal = self.removal

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
                "removed": removed,
                "removal": removal,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.driver import Driver  # noqa: PLC0415
        from ..models.removal import Removal  # noqa: PLC0415

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

        def _parse_drivers(data: object) -> list[Driver] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                drivers_type_0 = []
                _drivers_type_0 = data
                for drivers_type_0_item_data in _drivers_type_0:
                    drivers_type_0_item = Driver.from_dict(drivers_type_0_item_data)

                    drivers_type_0.append(drivers_type_0_item)

                return drivers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Driver] | None, data)

        drivers = _parse_drivers(d.pop("drivers"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        removed = d.pop("removed")

        def _parse_removal(data: object) -> None | Removal:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                removal_type_0 = Removal.from_dict(data)

                return removal_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Removal, data)

        removal = _parse_removal(d.pop("removal"))

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
            removed=removed,
            removal=removal,
        )

        return health_score
