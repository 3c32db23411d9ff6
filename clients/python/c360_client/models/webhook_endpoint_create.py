from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.webhook_event_type import WebhookEventType
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEndpointCreate")


@_attrs_define
class WebhookEndpointCreate:
    """A new webhook endpoint.

    Attributes:
        url (str): Where to POST events: https, a host that resolves to public addresses only (checked now and at every
            delivery); http and private hosts only with C360_WEBHOOK_ALLOW_PRIVATE_URLS.
        event_types (list[WebhookEventType]): The events to receive (one or more; duplicates are ignored).
        description (str | Unset): What the endpoint is for: one line of up to 500 characters. Default: ''.
    """

    url: str
    event_types: list[WebhookEventType]
    description: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        event_types = []
        for event_types_item_data in self.event_types:
            event_types_item = event_types_item_data.value
            event_types.append(event_types_item)

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
                "event_types": event_types,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        event_types = []
        _event_types = d.pop("event_types")
        for event_types_item_data in _event_types:
            event_types_item = WebhookEventType(event_types_item_data)

            event_types.append(event_types_item)

        description = d.pop("description", UNSET)

        webhook_endpoint_create = cls(
            url=url,
            event_types=event_types,
            description=description,
        )

        return webhook_endpoint_create
