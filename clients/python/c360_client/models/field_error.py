from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FieldError")


@_attrs_define
class FieldError:
    """One invalid part of a request.

    Attributes:
        location (str): Where: body.subscriber_ids.3, query.limit, path.subscriber_id …
        message (str):
    """

    location: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        location = self.location

        message = self.message

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "location": location,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        location = d.pop("location")

        message = d.pop("message")

        field_error = cls(
            location=location,
            message=message,
        )

        return field_error
