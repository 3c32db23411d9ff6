from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.webhook_event_type import WebhookEventType
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEndpointUpdate")


@_attrs_define
class WebhookEndpointUpdate:
    """The fields to change; at least one. Setting enabled to true re-enables a disabled endpoint.

    Attributes:
        url (str | Unset): Where to POST events: https, a host that resolves to public addresses only (checked now and
            at every delivery); http and private hosts only with C360_WEBHOOK_ALLOW_PRIVATE_URLS.
        event_types (list[WebhookEventType] | Unset): The events to receive (one or more; duplicates are ignored).
        enabled (bool | Unset):
        description (str | Unset): What the endpoint is for: one line of up to 500 characters.
    """

    url: str | Unset = UNSET
    event_types: list[WebhookEventType] | Unset = UNSET
    enabled: bool | Unset = UNSET
    description: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = []
            for event_types_item_data in self.event_types:
                event_types_item = event_types_item_data.value
                event_types.append(event_types_item)

        enabled = self.enabled

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if event_types is not UNSET:
            field_dict["event_types"] = event_types
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url", UNSET)

        _event_types = d.pop("event_types", UNSET)
        event_types: list[WebhookEventType] | Unset = UNSET
        if _event_types is not UNSET:
            event_types = []
            for event_types_item_data in _event_types:
                event_types_item = WebhookEventType(event_types_item_data)

                event_types.append(event_types_item)

        enabled = d.pop("enabled", UNSET)

        description = d.pop("description", UNSET)

        webhook_endpoint_update = cls(
            url=url,
            event_types=event_types,
            enabled=enabled,
            description=description,
        )

        return webhook_endpoint_update
