from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RecoverWebhookEndpointRequest")


@_attrs_define
class RecoverWebhookEndpointRequest:
    """Which failed messages to queue again.

    Attributes:
        since (datetime.datetime): Failed messages created at or after this time (UTC if no offset).
    """

    since: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        since = self.since.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "since": since,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        since = datetime.datetime.fromisoformat(d.pop("since"))

        recover_webhook_endpoint_request = cls(
            since=since,
        )

        return recover_webhook_endpoint_request
