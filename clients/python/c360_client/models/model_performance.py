from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.score_date_outcome import ScoreDateOutcome


T = TypeVar("T", bound="ModelPerformance")


@_attrs_define
class ModelPerformance:
    """A model's realised performance per closed score date, oldest first (from FCT_MODEL_PERFORMANCE).

    Attributes:
        model_version (str):
        data (list[ScoreDateOutcome]):
    """

    model_version: str
    data: list[ScoreDateOutcome]

    def to_dict(self) -> dict[str, Any]:
        model_version = self.model_version

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model_version": model_version,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.score_date_outcome import ScoreDateOutcome  # noqa: PLC0415

        d = dict(src_dict)
        model_version = d.pop("model_version")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = ScoreDateOutcome.from_dict(data_item_data)

            data.append(data_item)

        model_performance = cls(
            model_version=model_version,
            data=data,
        )

        return model_performance
