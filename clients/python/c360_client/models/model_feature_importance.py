from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.feature_importance import FeatureImportance


T = TypeVar("T", bound="ModelFeatureImportance")


@_attrs_define
class ModelFeatureImportance:
    """A model's features, most important first (CHURN_FEATURE_IMPORTANCE).

    Attributes:
        model_version (str):
        data (list[FeatureImportance]):
    """

    model_version: str
    data: list[FeatureImportance]

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
        from ..models.feature_importance import FeatureImportance  # noqa: PLC0415

        d = dict(src_dict)
        model_version = d.pop("model_version")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = FeatureImportance.from_dict(data_item_data)

            data.append(data_item)

        model_feature_importance = cls(
            model_version=model_version,
            data=data,
        )

        return model_feature_importance
