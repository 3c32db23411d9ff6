from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="EngagementPoint")


@_attrs_define
class EngagementPoint:
    """Human article views of one period and group.

    Attributes:
        period (datetime.date): The day, or the Monday of the week.
        group (str): The plan, segment or device.
        views (int):
        readers (int): Distinct subscribers who read.
        time_spent (int): Seconds read.
    """

    period: datetime.date
    group: str
    views: int
    readers: int
    time_spent: int

    def to_dict(self) -> dict[str, Any]:
        period = self.period.isoformat()

        group = self.group

        views = self.views

        readers = self.readers

        time_spent = self.time_spent

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "period": period,
                "group": group,
                "views": views,
                "readers": readers,
                "time_spent": time_spent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        period = datetime.date.fromisoformat(d.pop("period"))

        group = d.pop("group")

        views = d.pop("views")

        readers = d.pop("readers")

        time_spent = d.pop("time_spent")

        engagement_point = cls(
            period=period,
            group=group,
            views=views,
            readers=readers,
            time_spent=time_spent,
        )

        return engagement_point
