from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="BatchGetProfilesRequest")


@_attrs_define
class BatchGetProfilesRequest:
    """Subscribers whose profiles to fetch; a duplicate id is answered once.

    Attributes:
        subscriber_ids (list[str]):
    """

    subscriber_ids: list[str]

    def to_dict(self) -> dict[str, Any]:
        subscriber_ids = self.subscriber_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subscriber_ids": subscriber_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subscriber_ids = cast(list[str], d.pop("subscriber_ids"))

        batch_get_profiles_request = cls(
            subscriber_ids=subscriber_ids,
        )

        return batch_get_profiles_request
