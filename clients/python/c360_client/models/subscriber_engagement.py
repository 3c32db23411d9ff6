from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.engagement_day import EngagementDay


T = TypeVar("T", bound="SubscriberEngagement")


@_attrs_define
class SubscriberEngagement:
    """The subscriber's reading per day over the 90 days ending the served run's score_date, oldest first;
    days without reading are left out.

        Attributes:
            subscriber_id (str):
            run_id (str): The served scoring run the data is as of.
            from_date (datetime.date): First day of the window.
            to_date (datetime.date): Last day of the window: the run's score_date.
            data (list[EngagementDay]):
    """

    subscriber_id: str
    run_id: str
    from_date: datetime.date
    to_date: datetime.date
    data: list[EngagementDay]

    def to_dict(self) -> dict[str, Any]:
        subscriber_id = self.subscriber_id

        run_id = self.run_id

        from_date = self.from_date.isoformat()

        to_date = self.to_date.isoformat()

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subscriber_id": subscriber_id,
                "run_id": run_id,
                "from_date": from_date,
                "to_date": to_date,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.engagement_day import EngagementDay  # noqa: PLC0415

        d = dict(src_dict)
        subscriber_id = d.pop("subscriber_id")

        run_id = d.pop("run_id")

        from_date = datetime.date.fromisoformat(d.pop("from_date"))

        to_date = datetime.date.fromisoformat(d.pop("to_date"))

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = EngagementDay.from_dict(data_item_data)

            data.append(data_item)

        subscriber_engagement = cls(
            subscriber_id=subscriber_id,
            run_id=run_id,
            from_date=from_date,
            to_date=to_date,
            data=data,
        )

        return subscriber_engagement
