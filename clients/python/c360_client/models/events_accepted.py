from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.rejected_event import RejectedEvent


T = TypeVar("T", bound="EventsAccepted")


@_attrs_define
class EventsAccepted:
    """Events stored durably for ingestion, and those rejected.

    Attributes:
        batch_id (str):
        accepted (int):
        rejected (list[RejectedEvent]):
    """

    batch_id: str
    accepted: int
    rejected: list[RejectedEvent]

    def to_dict(self) -> dict[str, Any]:
        batch_id = self.batch_id

        accepted = self.accepted

        rejected = []
        for rejected_item_data in self.rejected:
            rejected_item = rejected_item_data.to_dict()
            rejected.append(rejected_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "batch_id": batch_id,
                "accepted": accepted,
                "rejected": rejected,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rejected_event import RejectedEvent  # noqa: PLC0415

        d = dict(src_dict)
        batch_id = d.pop("batch_id")

        accepted = d.pop("accepted")

        rejected = []
        _rejected = d.pop("rejected")
        for rejected_item_data in _rejected:
            rejected_item = RejectedEvent.from_dict(rejected_item_data)

            rejected.append(rejected_item)

        events_accepted = cls(
            batch_id=batch_id,
            accepted=accepted,
            rejected=rejected,
        )

        return events_accepted
