from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="BotViews")


@_attrs_define
class BotViews:
    """Views of bots and scripts that staging filtered out in one period.

    Attributes:
        period (datetime.date):
        views (int):
    """

    period: datetime.date
    views: int

    def to_dict(self) -> dict[str, Any]:
        period = self.period.isoformat()

        views = self.views

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "period": period,
                "views": views,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        period = datetime.date.fromisoformat(d.pop("period"))

        views = d.pop("views")

        bot_views = cls(
            period=period,
            views=views,
        )

        return bot_views
