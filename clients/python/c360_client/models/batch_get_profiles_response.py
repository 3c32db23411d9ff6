from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.subscriber_profile import SubscriberProfile


T = TypeVar("T", bound="BatchGetProfilesResponse")


@_attrs_define
class BatchGetProfilesResponse:
    """The profiles found (in request order) and the ids unknown to the served run.

    Attributes:
        data (list[SubscriberProfile]):
        missing (list[str]):
    """

    data: list[SubscriberProfile]
    missing: list[str]

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        missing = self.missing

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
                "missing": missing,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.subscriber_profile import SubscriberProfile  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = SubscriberProfile.from_dict(data_item_data)

            data.append(data_item)

        missing = cast(list[str], d.pop("missing"))

        batch_get_profiles_response = cls(
            data=data,
            missing=missing,
        )

        return batch_get_profiles_response
