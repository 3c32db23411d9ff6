"""Parameters several routers share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Path

from api.examples import SUBSCRIBER_ID
from c360.instants import UtcDateTime
from c360.serving.events import SUBSCRIBER_ID_PATTERN

SubscriberIdPath = Annotated[
    str,
    Path(
        pattern=SUBSCRIBER_ID_PATTERN,
        description="The subscriber's id (as in the source systems): 1-64 letters, digits or ._:@-",
        examples=[SUBSCRIBER_ID],
    ),
]
MAX_IF_NONE_MATCH = 1024
IfNoneMatch = Annotated[
    str | None,
    Header(
        max_length=MAX_IF_NONE_MATCH,
        description="An ETag of an earlier response to this request: the answer is 304 while it is current.",
    ),
]


# ISO 8601 text only, UTC when without offset, within years 1-9999 in UTC (c360.instants)
IsoDateTime = UtcDateTime
