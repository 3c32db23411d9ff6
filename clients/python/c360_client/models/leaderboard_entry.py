from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="LeaderboardEntry")


@_attrs_define
class LeaderboardEntry:
    """A scored subscriber of the served run, with what a retention campaign filters on.

    Attributes:
        subscriber_id (str):
        churn_risk_score (float):
        risk_tier (str):
        previous_risk_tier (None | str):
        plan (None | str):
        segment (None | str): Demographic segment.
        status (None | str):
        tenure_days (int | None):
        lifetime_value (float | None):
        days_since_last_read (int | None):
        support_tickets_90d (int | None):
        top_driver (None | str): The strongest reason behind the score, in words.
    """

    subscriber_id: str
    churn_risk_score: float
    risk_tier: str
    previous_risk_tier: None | str
    plan: None | str
    segment: None | str
    status: None | str
    tenure_days: int | None
    lifetime_value: float | None
    days_since_last_read: int | None
    support_tickets_90d: int | None
    top_driver: None | str

    def to_dict(self) -> dict[str, Any]:
        subscriber_id = self.subscriber_id

        churn_risk_score = self.churn_risk_score

        risk_tier = self.risk_tier

        previous_risk_tier: None | str
        previous_risk_tier = self.previous_risk_tier

        plan: None | str
        plan = self.plan

        segment: None | str
        segment = self.segment

        status: None | str
        status = self.status

        tenure_days: int | None
        tenure_days = self.tenure_days

        lifetime_value: float | None
        lifetime_value = self.lifetime_value

        days_since_last_read: int | None
        days_since_last_read = self.days_since_last_read

        support_tickets_90d: int | None
        support_tickets_90d = self.support_tickets_90d

        top_driver: None | str
        top_driver = self.top_driver

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subscriber_id": subscriber_id,
                "churn_risk_score": churn_risk_score,
                "risk_tier": risk_tier,
                "previous_risk_tier": previous_risk_tier,
                "plan": plan,
                "segment": segment,
                "status": status,
                "tenure_days": tenure_days,
                "lifetime_value": lifetime_value,
                "days_since_last_read": days_since_last_read,
                "support_tickets_90d": support_tickets_90d,
                "top_driver": top_driver,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subscriber_id = d.pop("subscriber_id")

        churn_risk_score = d.pop("churn_risk_score")

        risk_tier = d.pop("risk_tier")

        def _parse_previous_risk_tier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_risk_tier = _parse_previous_risk_tier(d.pop("previous_risk_tier"))

        def _parse_plan(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        plan = _parse_plan(d.pop("plan"))

        def _parse_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment = _parse_segment(d.pop("segment"))

        def _parse_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status = _parse_status(d.pop("status"))

        def _parse_tenure_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        tenure_days = _parse_tenure_days(d.pop("tenure_days"))

        def _parse_lifetime_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        lifetime_value = _parse_lifetime_value(d.pop("lifetime_value"))

        def _parse_days_since_last_read(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        days_since_last_read = _parse_days_since_last_read(d.pop("days_since_last_read"))

        def _parse_support_tickets_90d(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        support_tickets_90d = _parse_support_tickets_90d(d.pop("support_tickets_90d"))

        def _parse_top_driver(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        top_driver = _parse_top_driver(d.pop("top_driver"))

        leaderboard_entry = cls(
            subscriber_id=subscriber_id,
            churn_risk_score=churn_risk_score,
            risk_tier=risk_tier,
            previous_risk_tier=previous_risk_tier,
            plan=plan,
            segment=segment,
            status=status,
            tenure_days=tenure_days,
            lifetime_value=lifetime_value,
            days_since_last_read=days_since_last_read,
            support_tickets_90d=support_tickets_90d,
            top_driver=top_driver,
        )

        return leaderboard_entry
