"""Parameters several routers share."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import Header, Path
from pydantic import BeforeValidator

from api.examples import SUBSCRIBER_ID
from c360.serving.events import SUBSCRIBER_ID_PATTERN

SubscriberIdPath = Annotated[
    str,
    Path(
        pattern=SUBSCRIBER_ID_PATTERN,
        description="The subscriber's id (as in the source systems): 1-64 letters, digits or ._:@-",
        examples=[SUBSCRIBER_ID],
    ),
]
IfNoneMatch = Annotated[
    str | None,
    Header(
        max_length=1024,
        description="An ETag of an earlier response to this request: the answer is 304 while it is current.",
    ),
]


def _iso_only(value: object) -> object:
    # pydantic would also read "1.5" as Unix time; the contract says date-time, so only ISO 8601 text
    if isinstance(value, str) and not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be an ISO 8601 date-time, e.g. 2025-11-20T04:00:00Z")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_only)]
