from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FeatureImportance")


@_attrs_define
class FeatureImportance:
    """One feature's global importance (mean |SHAP|) in a model.

    Attributes:
        feature (str):
        label (str): The feature in words.
        rank (int):
        importance (float):
    """

    feature: str
    label: str
    rank: int
    importance: float

    def to_dict(self) -> dict[str, Any]:
        feature = self.feature

        label = self.label

        rank = self.rank

        importance = self.importance

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "feature": feature,
                "label": label,
                "rank": rank,
                "importance": importance,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        feature = d.pop("feature")

        label = d.pop("label")

        rank = d.pop("rank")

        importance = d.pop("importance")

        feature_importance = cls(
            feature=feature,
            label=label,
            rank=rank,
            importance=importance,
        )

        return feature_importance
