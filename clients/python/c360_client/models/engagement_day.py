from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="EngagementDay")


@_attrs_define
class EngagementDay:
    """One day the subscriber read (human views; bots are filtered in staging).

    Attributes:
        day (datetime.date):
        views (int):
        articles_viewed (int): Distinct articles read that day.
        time_spent (int): Seconds read.
    """

    day: datetime.date
    views: int
    articles_viewed: int
    time_spent: int

    def to_dict(self) -> dict[str, Any]:
        day = self.day.isoformat()

        views = self.views

        articles_viewed = self.articles_viewed

        time_spent = self.time_spent

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "day": day,
                "views": views,
                "articles_viewed": articles_viewed,
                "time_spent": time_spent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        day = datetime.date.fromisoformat(d.pop("day"))

        views = d.pop("views")

        articles_viewed = d.pop("articles_viewed")

        time_spent = d.pop("time_spent")

        engagement_day = cls(
            day=day,
            views=views,
            articles_viewed=articles_viewed,
            time_spent=time_spent,
        )

        return engagement_day
