from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.driver_direction_type_0 import DriverDirectionType0

T = TypeVar("T", bound="Driver")


@_attrs_define
class Driver:
    """One reason behind a score, the same shape whichever warehouse scored it.

    Attributes:
        feature (str): Stable feature name, as in the model's feature list.
        label (str): The feature in words, for people: 'Days since the last article read'.
        value (float | None | str): The subscriber's value of the feature on score_date.
        contribution (float | None): SHAP contribution on the log-odds scale (positive raises the risk); null on a
            Snowflake scoring run, which ranks features by model importance instead.
        direction (DriverDirectionType0 | None): Whether this feature raises or lowers this subscriber's risk; null when
            unknown.
        importance (float | None): Model-wide feature importance (Snowflake scoring runs); else null.
    """

    feature: str
    label: str
    value: float | None | str
    contribution: float | None
    direction: DriverDirectionType0 | None
    importance: float | None

    def to_dict(self) -> dict[str, Any]:
        feature = self.feature

        label = self.label

        value: float | None | str
        value = self.value

        contribution: float | None
        contribution = self.contribution

        direction: None | str
        if isinstance(self.direction, DriverDirectionType0):
            direction = self.direction.value
        else:
            direction = self.direction

        importance: float | None
        importance = self.importance

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "feature": feature,
                "label": label,
                "value": value,
                "contribution": contribution,
                "direction": direction,
                "importance": importance,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        feature = d.pop("feature")

        label = d.pop("label")

        def _parse_value(data: object) -> float | None | str:
            if data is None:
                return data
            return cast(float | None | str, data)

        value = _parse_value(d.pop("value"))

        def _parse_contribution(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        contribution = _parse_contribution(d.pop("contribution"))

        def _parse_direction(data: object) -> DriverDirectionType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                direction_type_0 = DriverDirectionType0(data)

                return direction_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DriverDirectionType0 | None, data)

        direction = _parse_direction(d.pop("direction"))

        def _parse_importance(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        importance = _parse_importance(d.pop("importance"))

        driver = cls(
            feature=feature,
            label=label,
            value=value,
            contribution=contribution,
            direction=direction,
            importance=importance,
        )

        return driver
