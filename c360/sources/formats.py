"""The three sources: which file format each arrives in, and which raw table it lands in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from c360.errors import SourceFileError

MAX_RECORD_BYTES = 1 << 20  # a record (JSON line, CSV line) over 1 MiB is rejected, not loaded
RAW_TEXT_LIMIT = 4096  # the reject table keeps this much of a bad record


@dataclass(frozen=True)
class Source:
    """One source system's feed."""

    name: str
    label: str
    table: str
    suffixes: tuple[str, ...]
    required: tuple[str, ...]  # columns (CSV, Parquet) the file must have
    optional: tuple[str, ...] = ()


SUBSCRIPTION_EVENTS = Source(
    name="subscription_events",
    label="subscription events (JSON lines)",
    table="SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS",
    suffixes=(".jsonl", ".ndjson", ".json"),
    required=(),
)

CONTENT_ENGAGEMENT = Source(
    name="content_engagement",
    label="content engagement (CSV)",
    table="SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT",
    suffixes=(".csv",),
    required=("event_id", "subscriber_id", "article_id", "event_timestamp", "time_spent_seconds"),
    optional=("device_type", "user_agent", "referrer", "article_metadata"),
)

SUPPORT_TICKETS = Source(
    name="support_tickets",
    label="support tickets (Parquet)",
    table="SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS",
    suffixes=(".parquet", ".pq"),
    required=("ticket_id", "subscriber_id", "created_at"),
    optional=("resolved_at", "channel", "category", "priority", "satisfaction_score", "status"),
)

SOURCES = {s.name: s for s in (SUBSCRIPTION_EVENTS, CONTENT_ENGAGEMENT, SUPPORT_TICKETS)}


def source_for(path: Path, override: str | None = None) -> Source:
    """The source a file belongs to: ``override`` if given, else by its suffix."""
    if override:
        try:
            return SOURCES[override]
        except KeyError:
            raise SourceFileError(f"unknown source {override!r}: expected one of {', '.join(SOURCES)}") from None
    suffix = path.suffix.lower()
    for source in SOURCES.values():
        if suffix in source.suffixes:
            return source
    raise SourceFileError(
        f"{path}: cannot tell its source from the suffix {suffix or '(none)'}: expected .jsonl "
        "(subscription events), .csv (content engagement) or .parquet (support tickets); "
        "or name it with --source"
    )
