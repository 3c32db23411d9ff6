from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CohortChurn")


@_attrs_define
class CohortChurn:
    """Churn of one cohort, plan and segment: cancelled by the served run's score date.

    Attributes:
        cohort (datetime.date):
        plan (str):
        segment (str):
        subscribers (int):
        cancelled (int):
        churn_rate (float):
    """

    cohort: datetime.date
    plan: str
    segment: str
    subscribers: int
    cancelled: int
    churn_rate: float

    def to_dict(self) -> dict[str, Any]:
        cohort = self.cohort.isoformat()

        plan = self.plan

        segment = self.segment

        subscribers = self.subscribers

        cancelled = self.cancelled

        churn_rate = self.churn_rate

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cohort": cohort,
                "plan": plan,
                "segment": segment,
                "subscribers": subscribers,
                "cancelled": cancelled,
                "churn_rate": churn_rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cohort = datetime.date.fromisoformat(d.pop("cohort"))

        plan = d.pop("plan")

        segment = d.pop("segment")

        subscribers = d.pop("subscribers")

        cancelled = d.pop("cancelled")

        churn_rate = d.pop("churn_rate")

        cohort_churn = cls(
            cohort=cohort,
            plan=plan,
            segment=segment,
            subscribers=subscribers,
            cancelled=cancelled,
            churn_rate=churn_rate,
        )

        return cohort_churn
