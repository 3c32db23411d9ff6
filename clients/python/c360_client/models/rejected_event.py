from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RejectedEvent")


@_attrs_define
class RejectedEvent:
    """An event that was not accepted.

    Attributes:
        index (int): Its position in the request's events array (from 0).
        reason (str):
    """

    index: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "index": index,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        reason = d.pop("reason")

        rejected_event = cls(
            index=index,
            reason=reason,
        )

        return rejected_event
