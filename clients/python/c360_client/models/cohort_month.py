from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="CohortMonth")


@_attrs_define
class CohortMonth:
    """How many of a cohort were still subscribed ``month`` months after signing up.

    Attributes:
        month (int):
        subscribers (int): Members whose month ``month`` has passed.
        retained (int):
        rate (float | None):
    """

    month: int
    subscribers: int
    retained: int
    rate: float | None

    def to_dict(self) -> dict[str, Any]:
        month = self.month

        subscribers = self.subscribers

        retained = self.retained

        rate: float | None
        rate = self.rate

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "month": month,
                "subscribers": subscribers,
                "retained": retained,
                "rate": rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        month = d.pop("month")

        subscribers = d.pop("subscribers")

        retained = d.pop("retained")

        def _parse_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        rate = _parse_rate(d.pop("rate"))

        cohort_month = cls(
            month=month,
            subscribers=subscribers,
            retained=retained,
            rate=rate,
        )

        return cohort_month
