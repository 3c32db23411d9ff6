from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TierCounts")


@_attrs_define
class TierCounts:
    """Subscribers per risk tier.

    Attributes:
        high (int):
        medium (int):
        low (int):
    """

    high: int
    medium: int
    low: int

    def to_dict(self) -> dict[str, Any]:
        high = self.high

        medium = self.medium

        low = self.low

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "High": high,
                "Medium": medium,
                "Low": low,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        high = d.pop("High")

        medium = d.pop("Medium")

        low = d.pop("Low")

        tier_counts = cls(
            high=high,
            medium=medium,
            low=low,
        )

        return tier_counts
