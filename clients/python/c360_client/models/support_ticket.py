from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="SupportTicket")


@_attrs_define
class SupportTicket:
    """A support ticket as it stood at the end of the run's score_date (one resolved later is open).

    Attributes:
        ticket_id (str):
        created_at (datetime.datetime): UTC.
        resolved_at (datetime.datetime | None): UTC; null while open.
        resolution_hours (float | None): Hours from creation to resolution; null while open.
        channel (None | str):
        category (None | str):
        priority (None | str):
        status (None | str):
        satisfaction_score (int | None):
    """

    ticket_id: str
    created_at: datetime.datetime
    resolved_at: datetime.datetime | None
    resolution_hours: float | None
    channel: None | str
    category: None | str
    priority: None | str
    status: None | str
    satisfaction_score: int | None

    def to_dict(self) -> dict[str, Any]:
        ticket_id = self.ticket_id

        created_at = self.created_at.isoformat()

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        resolution_hours: float | None
        resolution_hours = self.resolution_hours

        channel: None | str
        channel = self.channel

        category: None | str
        category = self.category

        priority: None | str
        priority = self.priority

        status: None | str
        status = self.status

        satisfaction_score: int | None
        satisfaction_score = self.satisfaction_score

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ticket_id": ticket_id,
                "created_at": created_at,
                "resolved_at": resolved_at,
                "resolution_hours": resolution_hours,
                "channel": channel,
                "category": category,
                "priority": priority,
                "status": status,
                "satisfaction_score": satisfaction_score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ticket_id = d.pop("ticket_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))

        def _parse_resolution_hours(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        resolution_hours = _parse_resolution_hours(d.pop("resolution_hours"))

        def _parse_channel(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        channel = _parse_channel(d.pop("channel"))

        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))

        def _parse_priority(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        priority = _parse_priority(d.pop("priority"))

        def _parse_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status = _parse_status(d.pop("status"))

        def _parse_satisfaction_score(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        satisfaction_score = _parse_satisfaction_score(d.pop("satisfaction_score"))

        support_ticket = cls(
            ticket_id=ticket_id,
            created_at=created_at,
            resolved_at=resolved_at,
            resolution_hours=resolution_hours,
            channel=channel,
            category=category,
            priority=priority,
            status=status,
            satisfaction_score=satisfaction_score,
        )

        return support_ticket
