from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.history_entry import HistoryEntry


T = TypeVar("T", bound="HealthScoreHistory")


@_attrs_define
class HealthScoreHistory:
    """A subscriber's scores, newest first, the served one included (C360_SERVING_HISTORY_DAYS are kept).

    Attributes:
        subscriber_id (str):
        data (list[HistoryEntry]):
    """

    subscriber_id: str
    data: list[HistoryEntry]

    def to_dict(self) -> dict[str, Any]:
        subscriber_id = self.subscriber_id

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subscriber_id": subscriber_id,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.history_entry import HistoryEntry  # noqa: PLC0415

        d = dict(src_dict)
        subscriber_id = d.pop("subscriber_id")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = HistoryEntry.from_dict(data_item_data)

            data.append(data_item)

        health_score_history = cls(
            subscriber_id=subscriber_id,
            data=data,
        )

        return health_score_history
