from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="DeliveryDay")


@_attrs_define
class DeliveryDay:
    """Delivery attempts of one day and how many succeeded (2xx).

    Attributes:
        day (datetime.date):
        attempts (int):
        succeeded (int):
    """

    day: datetime.date
    attempts: int
    succeeded: int

    def to_dict(self) -> dict[str, Any]:
        day = self.day.isoformat()

        attempts = self.attempts

        succeeded = self.succeeded

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "day": day,
                "attempts": attempts,
                "succeeded": succeeded,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        day = datetime.date.fromisoformat(d.pop("day"))

        attempts = d.pop("attempts")

        succeeded = d.pop("succeeded")

        delivery_day = cls(
            day=day,
            attempts=attempts,
            succeeded=succeeded,
        )

        return delivery_day
