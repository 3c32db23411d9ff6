from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FeatureDrift")


@_attrs_define
class FeatureDrift:
    """Population stability index of one feature in one day's scoring run, against training.

    Attributes:
        score_date (datetime.date):
        feature (str):
        model_version (str):
        psi (float):
    """

    score_date: datetime.date
    feature: str
    model_version: str
    psi: float

    def to_dict(self) -> dict[str, Any]:
        score_date = self.score_date.isoformat()

        feature = self.feature

        model_version = self.model_version

        psi = self.psi

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "score_date": score_date,
                "feature": feature,
                "model_version": model_version,
                "psi": psi,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        score_date = datetime.date.fromisoformat(d.pop("score_date"))

        feature = d.pop("feature")

        model_version = d.pop("model_version")

        psi = d.pop("psi")

        feature_drift = cls(
            score_date=score_date,
            feature=feature,
            model_version=model_version,
            psi=psi,
        )

        return feature_drift
