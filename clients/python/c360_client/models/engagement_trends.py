from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.engagement_grain import EngagementGrain
from ..models.engagement_split import EngagementSplit

if TYPE_CHECKING:
    from ..models.bot_views import BotViews
    from ..models.engagement_point import EngagementPoint


T = TypeVar("T", bound="EngagementTrends")


@_attrs_define
class EngagementTrends:
    """Engagement per period and group over the 26 weeks ending the served run's score date.

    Attributes:
        grain (EngagementGrain): The period of an engagement row: a day, or a week starting on Monday.
        by (EngagementSplit): What engagement is split by: the subscriber's plan or demographic segment, or the device
            of the view.
        data (list[EngagementPoint]):
        bots_filtered (list[BotViews]):
    """

    grain: EngagementGrain
    by: EngagementSplit
    data: list[EngagementPoint]
    bots_filtered: list[BotViews]

    def to_dict(self) -> dict[str, Any]:
        grain = self.grain.value

        by = self.by.value

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        bots_filtered = []
        for bots_filtered_item_data in self.bots_filtered:
            bots_filtered_item = bots_filtered_item_data.to_dict()
            bots_filtered.append(bots_filtered_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "grain": grain,
                "by": by,
                "data": data,
                "bots_filtered": bots_filtered,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bot_views import BotViews  # noqa: PLC0415
        from ..models.engagement_point import EngagementPoint  # noqa: PLC0415

        d = dict(src_dict)
        grain = EngagementGrain(d.pop("grain"))

        by = EngagementSplit(d.pop("by"))

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = EngagementPoint.from_dict(data_item_data)

            data.append(data_item)

        bots_filtered = []
        _bots_filtered = d.pop("bots_filtered")
        for bots_filtered_item_data in _bots_filtered:
            bots_filtered_item = BotViews.from_dict(bots_filtered_item_data)

            bots_filtered.append(bots_filtered_item)

        engagement_trends = cls(
            grain=grain,
            by=by,
            data=data,
            bots_filtered=bots_filtered,
        )

        return engagement_trends
