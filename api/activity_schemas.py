"""Response bodies of a subscriber's activity sub-resources, as of the served run (c360.serving.activity)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from api.schemas import Schema


class EngagementDay(Schema):
    """One day the subscriber read (human views; bots are filtered in staging)."""

    day: date
    views: int
    articles_viewed: int = Field(description="Distinct articles read that day.")
    time_spent: int = Field(description="Seconds read.")


class SubscriberEngagement(Schema):
    """The subscriber's reading per day over the 90 days ending the served run's score_date, oldest first;
    days without reading are left out."""

    subscriber_id: str
    run_id: str = Field(description="The served scoring run the data is as of.")
    from_date: date = Field(description="First day of the window.")
    to_date: date = Field(description="Last day of the window: the run's score_date.")
    data: list[EngagementDay] = Field(max_length=90)


class SupportTicket(Schema):
    """A support ticket as it stood at the end of the run's score_date (one resolved later is open)."""

    ticket_id: str
    created_at: datetime = Field(description="UTC.")
    resolved_at: datetime | None = Field(description="UTC; null while open.")
    resolution_hours: float | None = Field(description="Hours from creation to resolution; null while open.")
    channel: str | None
    category: str | None
    priority: str | None
    status: str | None
    satisfaction_score: int | None


class SubscriberTickets(Schema):
    """The subscriber's latest support tickets created by the served run's score_date, newest first."""

    subscriber_id: str
    run_id: str = Field(description="The served scoring run the data is as of.")
    as_of_date: date
    data: list[SupportTicket] = Field(max_length=20)
