from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.support_ticket import SupportTicket


T = TypeVar("T", bound="SubscriberTickets")


@_attrs_define
class SubscriberTickets:
    """The subscriber's latest support tickets created by the served run's score_date, newest first.

    Attributes:
        subscriber_id (str):
        run_id (str): The served scoring run the data is as of.
        as_of_date (datetime.date):
        data (list[SupportTicket]):
    """

    subscriber_id: str
    run_id: str
    as_of_date: datetime.date
    data: list[SupportTicket]

    def to_dict(self) -> dict[str, Any]:
        subscriber_id = self.subscriber_id

        run_id = self.run_id

        as_of_date = self.as_of_date.isoformat()

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subscriber_id": subscriber_id,
                "run_id": run_id,
                "as_of_date": as_of_date,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.support_ticket import SupportTicket  # noqa: PLC0415

        d = dict(src_dict)
        subscriber_id = d.pop("subscriber_id")

        run_id = d.pop("run_id")

        as_of_date = datetime.date.fromisoformat(d.pop("as_of_date"))

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = SupportTicket.from_dict(data_item_data)

            data.append(data_item)

        subscriber_tickets = cls(
            subscriber_id=subscriber_id,
            run_id=run_id,
            as_of_date=as_of_date,
            data=data,
        )

        return subscriber_tickets
