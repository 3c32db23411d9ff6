from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.engagement import Engagement
    from ..models.health_score import HealthScore


T = TypeVar("T", bound="SubscriberProfile")


@_attrs_define
class SubscriberProfile:
    """The 360 profile: who the subscriber is, how they read, and their current health.

    Attributes:
        subscriber_id (str):
        status (None | str): active or cancelled; null when the subscriber is scored only.
        plan (None | str):
        signup_date (datetime.date | None):
        tenure_days (int | None):
        lifetime_value (float | None): Sum of successful payments.
        demographic_segment (None | str):
        as_of_date (datetime.date | None): Day the profile is as of: the served run's score_date.
        cancelled_at (datetime.datetime | None): When they cancelled; null while active.
        engagement_30d (Engagement): Reading over the 30 days ending on the profile's score_date (from
            FCT_ENGAGEMENT_DAILY).
        support_tickets_90d (int): Support tickets opened in the 90 days ending on score_date.
        health (HealthScore | None): The served health score; their last one (removed true) when the served run no
            longer scores them; null when never scored.
    """

    subscriber_id: str
    status: None | str
    plan: None | str
    signup_date: datetime.date | None
    tenure_days: int | None
    lifetime_value: float | None
    demographic_segment: None | str
    as_of_date: datetime.date | None
    cancelled_at: datetime.datetime | None
    engagement_30d: Engagement
    support_tickets_90d: int
    health: HealthScore | None

    def to_dict(self) -> dict[str, Any]:
        from ..models.health_score import HealthScore  # noqa: PLC0415

        subscriber_id = self.subscriber_id

        status: None | str
        status = self.status

        plan: None | str
        plan = self.plan

        signup_date: None | str
        if isinstance(self.signup_date, datetime.date):
            signup_date = self.signup_date.isoformat()
        else:
            signup_date = self.signup_date

        tenure_days: int | None
        tenure_days = self.tenure_days

        lifetime_value: float | None
        lifetime_value = self.lifetime_value

        demographic_segment: None | str
        demographic_segment = self.demographic_segment

        as_of_date: None | str
        if isinstance(self.as_of_date, datetime.date):
            as_of_date = self.as_of_date.isoformat()
        else:
            as_of_date = self.as_of_date

        cancelled_at: None | str
        if isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        engagement_30d = self.engagement_30d.to_dict()

        support_tickets_90d = self.support_tickets_90d

        health: dict[str, Any] | None
        if isinstance(self.health, HealthScore):
            health = self.health.to_dict()
        else:
            health = self.health

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subscriber_id": subscriber_id,
                "status": status,
                "plan": plan,
                "signup_date": signup_date,
                "tenure_days": tenure_days,
                "lifetime_value": lifetime_value,
                "demographic_segment": demographic_segment,
                "as_of_date": as_of_date,
                "cancelled_at": cancelled_at,
                "engagement_30d": engagement_30d,
                "support_tickets_90d": support_tickets_90d,
                "health": health,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.engagement import Engagement  # noqa: PLC0415
        from ..models.health_score import HealthScore  # noqa: PLC0415

        d = dict(src_dict)
        subscriber_id = d.pop("subscriber_id")

        def _parse_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status = _parse_status(d.pop("status"))

        def _parse_plan(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        plan = _parse_plan(d.pop("plan"))

        def _parse_signup_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signup_date_type_0 = datetime.date.fromisoformat(data)

                return signup_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        signup_date = _parse_signup_date(d.pop("signup_date"))

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

        def _parse_demographic_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        demographic_segment = _parse_demographic_segment(d.pop("demographic_segment"))

        def _parse_as_of_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                as_of_date_type_0 = datetime.date.fromisoformat(data)

                return as_of_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        as_of_date = _parse_as_of_date(d.pop("as_of_date"))

        def _parse_cancelled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)

                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelled_at"))

        engagement_30d = Engagement.from_dict(d.pop("engagement_30d"))

        support_tickets_90d = d.pop("support_tickets_90d")

        def _parse_health(data: object) -> HealthScore | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                health_type_0 = HealthScore.from_dict(data)

                return health_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HealthScore | None, data)

        health = _parse_health(d.pop("health"))

        subscriber_profile = cls(
            subscriber_id=subscriber_id,
            status=status,
            plan=plan,
            signup_date=signup_date,
            tenure_days=tenure_days,
            lifetime_value=lifetime_value,
            demographic_segment=demographic_segment,
            as_of_date=as_of_date,
            cancelled_at=cancelled_at,
            engagement_30d=engagement_30d,
            support_tickets_90d=support_tickets_90d,
            health=health,
        )

        return subscriber_profile
