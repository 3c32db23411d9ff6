from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="WebhookRecovery")


@_attrs_define
class WebhookRecovery:
    """How many failed messages were queued again.

    Attributes:
        requeued (int):
    """

    requeued: int

    def to_dict(self) -> dict[str, Any]:
        requeued = self.requeued

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "requeued": requeued,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        requeued = d.pop("requeued")

        webhook_recovery = cls(
            requeued=requeued,
        )

        return webhook_recovery
