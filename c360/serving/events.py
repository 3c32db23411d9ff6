"""The subscription event contract of ``POST /v1/events/subscription``, checked one event at a time.

An event that passes is stored exactly as sent (schema-on-read: extra keys are kept, the raw layer
holds the whole JSON object); one that fails is reported with its index and a reason that names the
field, never echoing the value back. The rules mirror what staging would otherwise flag invalid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from c360.instants import EARLIEST_EVENT, ISO_INSTANT, to_utc
from c360.text import first_problem

SUBSCRIBER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$"
MAX_EVENT_BYTES = 8 * 1024
_Text = Annotated[str, Field(min_length=1, max_length=64)]


class SubscriptionEvent(BaseModel):
    """One event of the subscription system (signup, upgrade, downgrade, cancel, payment)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "event_id": "6f1c2a9e-3b4d-4c1e-9a57-0d7e2b8f4c11",
                    "subscriber_id": "0b6e8f2a-91c3-4d5e-8f7a-2c4b6d8e0f13",
                    "event_type": "payment",
                    "event_timestamp": "2025-11-20T09:15:00+01:00",
                    "plan": "standard",
                    "payment_amount": 14.99,
                    "payment_status": "succeeded",
                    "currency": "USD",
                }
            ]
        },
    )

    event_id: str = Field(min_length=1, max_length=128, pattern=r"^[\x21-\x7e]+$", description="Unique event id.")
    subscriber_id: str = Field(pattern=SUBSCRIBER_ID_PATTERN, description="The subscriber the event is about.")
    event_type: Literal["signup", "upgrade", "downgrade", "cancel", "payment"]
    event_timestamp: AwareDatetime = Field(description="When it happened: ISO 8601 with a UTC offset.")
    plan: _Text | None = None
    payment_amount: float | None = Field(None, gt=0, le=1_000_000, description="Required for payments; > 0.")
    payment_status: _Text | None = None
    currency: str | None = Field(None, pattern=r"^[A-Za-z]{3}$")
    country: _Text | None = None
    age_band: _Text | None = None
    acquisition_channel: _Text | None = None

    @field_validator("event_timestamp", mode="before")
    @classmethod
    def _text_timestamp(cls, value: Any) -> Any:
        # pydantic would read a number (or "1764583200") as Unix time and accept a lower-case t or z;
        # staging parses only what ISO_INSTANT matches, so that is what the API accepts
        if not isinstance(value, str) or not ISO_INSTANT.fullmatch(value):
            raise ValueError("must be an ISO 8601 date-time with a UTC offset, e.g. 2025-11-20T09:15:00+01:00")
        return value

    @field_validator("event_timestamp", mode="after")
    @classmethod
    def _in_range(cls, value: datetime) -> datetime:
        value = to_utc(value)
        if value < EARLIEST_EVENT:
            raise ValueError(f"is before {EARLIEST_EVENT:%Y-%m-%d} (UTC)")
        return value

    @field_validator("payment_amount", mode="before")
    @classmethod
    def _number_amount(cls, value: Any) -> Any:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError("must be a number")
        return value

    @model_validator(mode="after")
    def _rules(self) -> SubscriptionEvent:
        if self.event_type == "payment" and self.payment_amount is None:
            raise ValueError("payment_amount is required for payment events")
        if self.event_timestamp > datetime.now(UTC) + timedelta(days=1):
            raise ValueError("event_timestamp is more than a day in the future")
        return self


@dataclass(frozen=True)
class Rejected:
    """An event that was not accepted: its position in the request and why."""

    index: int
    reason: str


def validate_events(items: list[Any]) -> tuple[list[str], list[Rejected]]:
    """Accepted events (as compact JSON text, in request order) and the rejected ones."""
    accepted: list[str] = []
    rejected: list[Rejected] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            rejected.append(Rejected(index, "an event must be a JSON object"))
            continue
        unstorable = first_problem(item)  # no store or JSON parser downstream takes these (c360.text)
        if unstorable:
            rejected.append(Rejected(index, unstorable))
            continue
        try:  # NaN, Infinity and 1e400 parse here but are not JSON: the load would reject them after a 202
            text = json.dumps(item, separators=(",", ":"), allow_nan=False)
        except ValueError:
            rejected.append(Rejected(index, "numbers must be finite: NaN, Infinity and overflowing ones are not JSON"))
            continue
        if len(text.encode()) > MAX_EVENT_BYTES:
            rejected.append(Rejected(index, f"the event is larger than {MAX_EVENT_BYTES} bytes"))
            continue
        try:
            SubscriptionEvent.model_validate(item)
        except ValidationError as exc:
            rejected.append(Rejected(index, _reason(exc)))
            continue
        accepted.append(text)
    return accepted, rejected


def _reason(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_input=False, include_url=False)[:3]:
        field = ".".join(str(p) for p in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{field}: {message}" if field else message)
    return "; ".join(parts)
