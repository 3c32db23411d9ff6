"""The instant policy: every timestamp a client sends is an instant of years 1-9999 in UTC.

``0001-01-01T00:00:00+14:00`` is a valid ISO 8601 text whose UTC instant lies in year 0, and
``9999-12-31T23:59:59-14:00`` one in year 10000: Python cannot represent either, so converting
them raises OverflowError deep in a query. Converting once, where the value comes in, turns both
into a precise validation error.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

# The timestamps staging parses (SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS): a date, an upper-case T (or a
# space), the time, an optional fraction and an upper-case Z or a ±hh[:mm] offset.
ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)")
EARLIEST_EVENT = datetime(1900, 1, 1, tzinfo=UTC)  # staging flags events before it invalid as well
OUT_OF_RANGE = "is outside the years 1-9999 once converted to UTC"


def to_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (naive means UTC); ValueError when that falls outside years 1-9999."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(OUT_OF_RANGE) from None


def iso_text(value: object) -> object:
    """Only ISO 8601 text starting with a date: pydantic would also read ``"1764583200"`` as Unix time."""
    if isinstance(value, str) and not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be an ISO 8601 date-time, e.g. 2025-11-20T04:00:00Z")
    return value


# A query parameter or body field: ISO 8601, UTC when it has no offset, within years 1-9999 in UTC.
UtcDateTime = Annotated[datetime, BeforeValidator(iso_text), AfterValidator(to_utc)]
