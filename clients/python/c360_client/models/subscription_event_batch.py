from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.subscription_event_batch_events_item import SubscriptionEventBatchEventsItem


T = TypeVar("T", bound="SubscriptionEventBatch")


@_attrs_define
class SubscriptionEventBatch:
    """Subscription events to ingest; each must be a JSON object and is validated on its own
    against the SubscriptionEvent schema (extra keys are kept).

        Attributes:
            events (list[SubscriptionEventBatchEventsItem]):
    """

    events: list[SubscriptionEventBatchEventsItem]

    def to_dict(self) -> dict[str, Any]:
        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "events": events,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.subscription_event_batch_events_item import SubscriptionEventBatchEventsItem  # noqa: PLC0415

        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = SubscriptionEventBatchEventsItem.from_dict(events_item_data)

            events.append(events_item)

        subscription_event_batch = cls(
            events=events,
        )

        return subscription_event_batch
