from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="Engagement")


@_attrs_define
class Engagement:
    """Reading over the 30 days ending on the profile's score_date (from FCT_ENGAGEMENT_DAILY).

    Attributes:
        articles_viewed (int): Articles read; an article read on two days counts twice.
        total_time_spent (int): Seconds spent reading.
        distinct_sections (int): Most distinct sections read in one day of the window.
        days_since_last_read (int | None): Days from the last reading day to score_date; null: never.
    """

    articles_viewed: int
    total_time_spent: int
    distinct_sections: int
    days_since_last_read: int | None

    def to_dict(self) -> dict[str, Any]:
        articles_viewed = self.articles_viewed

        total_time_spent = self.total_time_spent

        distinct_sections = self.distinct_sections

        days_since_last_read: int | None
        days_since_last_read = self.days_since_last_read

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "articles_viewed": articles_viewed,
                "total_time_spent": total_time_spent,
                "distinct_sections": distinct_sections,
                "days_since_last_read": days_since_last_read,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        articles_viewed = d.pop("articles_viewed")

        total_time_spent = d.pop("total_time_spent")

        distinct_sections = d.pop("distinct_sections")

        def _parse_days_since_last_read(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        days_since_last_read = _parse_days_since_last_read(d.pop("days_since_last_read"))

        engagement = cls(
            articles_viewed=articles_viewed,
            total_time_spent=total_time_spent,
            distinct_sections=distinct_sections,
            days_since_last_read=days_since_last_read,
        )

        return engagement
