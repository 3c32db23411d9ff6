from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.leaderboard_entry import LeaderboardEntry


T = TypeVar("T", bound="Leaderboard")


@_attrs_define
class Leaderboard:
    """The riskiest subscribers of the served run matching the filters, riskiest first.

    Attributes:
        score_date (datetime.date):
        run_id (str):
        data (list[LeaderboardEntry]):
    """

    score_date: datetime.date
    run_id: str
    data: list[LeaderboardEntry]

    def to_dict(self) -> dict[str, Any]:
        score_date = self.score_date.isoformat()

        run_id = self.run_id

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "score_date": score_date,
                "run_id": run_id,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.leaderboard_entry import LeaderboardEntry  # noqa: PLC0415

        d = dict(src_dict)
        score_date = datetime.date.fromisoformat(d.pop("score_date"))

        run_id = d.pop("run_id")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = LeaderboardEntry.from_dict(data_item_data)

            data.append(data_item)

        leaderboard = cls(
            score_date=score_date,
            run_id=run_id,
            data=data,
        )

        return leaderboard
