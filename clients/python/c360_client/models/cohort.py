from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.cohort_month import CohortMonth


T = TypeVar("T", bound="Cohort")


@_attrs_define
class Cohort:
    """A signup-month cohort and its retention curve.

    Attributes:
        cohort (datetime.date): First day of the signup month.
        subscribers (int):
        retention (list[CohortMonth]):
    """

    cohort: datetime.date
    subscribers: int
    retention: list[CohortMonth]

    def to_dict(self) -> dict[str, Any]:
        cohort = self.cohort.isoformat()

        subscribers = self.subscribers

        retention = []
        for retention_item_data in self.retention:
            retention_item = retention_item_data.to_dict()
            retention.append(retention_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cohort": cohort,
                "subscribers": subscribers,
                "retention": retention,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cohort_month import CohortMonth  # noqa: PLC0415

        d = dict(src_dict)
        cohort = datetime.date.fromisoformat(d.pop("cohort"))

        subscribers = d.pop("subscribers")

        retention = []
        _retention = d.pop("retention")
        for retention_item_data in _retention:
            retention_item = CohortMonth.from_dict(retention_item_data)

            retention.append(retention_item)

        cohort = cls(
            cohort=cohort,
            subscribers=subscribers,
            retention=retention,
        )

        return cohort
