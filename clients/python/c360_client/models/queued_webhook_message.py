from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.queued_webhook_message_status import QueuedWebhookMessageStatus

if TYPE_CHECKING:
    from ..models.queued_webhook_message_payload import QueuedWebhookMessagePayload


T = TypeVar("T", bound="QueuedWebhookMessage")


@_attrs_define
class QueuedWebhookMessage:
    """A message just queued (test or resend): pending until a worker delivers it.

    Attributes:
        id (str): The webhook-id header: the same on every attempt, for de-duplication.
        event_type (str): subscriber.churn_risk.high, subscriber.risk_tier.changed or webhook.test.
        status (QueuedWebhookMessageStatus):
        attempts (int):
        next_attempt_at (datetime.datetime | None): When the next attempt is due; null unless pending.
        last_attempt_at (datetime.datetime | None):
        last_status_code (int | None): HTTP status of the last attempt; null: no answer.
        delivered_at (datetime.datetime | None):
        created_at (datetime.datetime):
        payload (QueuedWebhookMessagePayload): The body sent: {type, timestamp, data}.
        hint (str): Next: a running `c360 worker` delivers it; without one it stays pending.
    """

    id: str
    event_type: str
    status: QueuedWebhookMessageStatus
    attempts: int
    next_attempt_at: datetime.datetime | None
    last_attempt_at: datetime.datetime | None
    last_status_code: int | None
    delivered_at: datetime.datetime | None
    created_at: datetime.datetime
    payload: QueuedWebhookMessagePayload
    hint: str

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        event_type = self.event_type

        status = self.status.value

        attempts = self.attempts

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        last_attempt_at: None | str
        if isinstance(self.last_attempt_at, datetime.datetime):
            last_attempt_at = self.last_attempt_at.isoformat()
        else:
            last_attempt_at = self.last_attempt_at

        last_status_code: int | None
        last_status_code = self.last_status_code

        delivered_at: None | str
        if isinstance(self.delivered_at, datetime.datetime):
            delivered_at = self.delivered_at.isoformat()
        else:
            delivered_at = self.delivered_at

        created_at = self.created_at.isoformat()

        payload = self.payload.to_dict()

        hint = self.hint

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "event_type": event_type,
                "status": status,
                "attempts": attempts,
                "next_attempt_at": next_attempt_at,
                "last_attempt_at": last_attempt_at,
                "last_status_code": last_status_code,
                "delivered_at": delivered_at,
                "created_at": created_at,
                "payload": payload,
                "hint": hint,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.queued_webhook_message_payload import QueuedWebhookMessagePayload  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        event_type = d.pop("event_type")

        status = QueuedWebhookMessageStatus(d.pop("status"))

        attempts = d.pop("attempts")

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        def _parse_last_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_attempt_at = _parse_last_attempt_at(d.pop("last_attempt_at"))

        def _parse_last_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_status_code = _parse_last_status_code(d.pop("last_status_code"))

        def _parse_delivered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delivered_at_type_0 = datetime.datetime.fromisoformat(data)

                return delivered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        delivered_at = _parse_delivered_at(d.pop("delivered_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        payload = QueuedWebhookMessagePayload.from_dict(d.pop("payload"))

        hint = d.pop("hint")

        queued_webhook_message = cls(
            id=id,
            event_type=event_type,
            status=status,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
            last_attempt_at=last_attempt_at,
            last_status_code=last_status_code,
            delivered_at=delivered_at,
            created_at=created_at,
            payload=payload,
            hint=hint,
        )

        return queued_webhook_message
