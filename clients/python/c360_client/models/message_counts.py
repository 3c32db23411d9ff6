from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MessageCounts")


@_attrs_define
class MessageCounts:
    """Webhook messages of an endpoint by status.

    Attributes:
        pending (int):
        delivered (int):
        failed (int):
    """

    pending: int
    delivered: int
    failed: int

    def to_dict(self) -> dict[str, Any]:
        pending = self.pending

        delivered = self.delivered

        failed = self.failed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "pending": pending,
                "delivered": delivered,
                "failed": failed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pending = d.pop("pending")

        delivered = d.pop("delivered")

        failed = d.pop("failed")

        message_counts = cls(
            pending=pending,
            delivered=delivered,
            failed=failed,
        )

        return message_counts
