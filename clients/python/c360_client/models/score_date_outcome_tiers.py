from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tier_outcome import TierOutcome


T = TypeVar("T", bound="ScoreDateOutcomeTiers")


@_attrs_define
class ScoreDateOutcomeTiers:
    """By tier: High, Medium, Low."""

    additional_properties: dict[str, TierOutcome] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tier_outcome import TierOutcome  # noqa: PLC0415

        d = dict(src_dict)
        score_date_outcome_tiers = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = TierOutcome.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        score_date_outcome_tiers.additional_properties = additional_properties
        return score_date_outcome_tiers

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> TierOutcome:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: TierOutcome) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
