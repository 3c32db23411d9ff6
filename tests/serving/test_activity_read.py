"""Publish's read of each subscriber's 90 days returns what the row-by-row read it replaced returned.

The warehouse now builds each reader's days as JSON text (c360.serving.activity); the reference is the
previous query, one row per subscriber and day, grouped in Python, kept here as it was (2026-12-06).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest

from c360.serving.activity import DAYS, read_activity
from tests.conftest import AS_OF, Built

REFERENCE = """
SELECT
    subscriber_id,
    TO_VARCHAR(activity_date, 'YYYY-MM-DD') AS activity_day,
    COALESCE(views, 0)::INTEGER AS views,
    COALESCE(articles_viewed, 0)::INTEGER AS articles_viewed,
    COALESCE(total_time_spent, 0)::INTEGER AS total_time_spent
FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
WHERE activity_date > DATEADD(day, -:days, :as_of::DATE) AND activity_date <= :as_of::DATE
ORDER BY subscriber_id, activity_date
"""


@pytest.mark.parametrize("days_back", [0, 45])
def test_each_readers_days_are_the_rows_of_the_previous_read(built: Built, days_back: int) -> None:
    as_of = AS_OF - timedelta(days=days_back)
    with built.warehouse.connect() as conn:
        expected: dict[str, list[list[Any]]] = defaultdict(list)
        for subscriber_id, day, views, articles, seconds in conn.tuples(REFERENCE, {"as_of": as_of, "days": DAYS}):
            expected[subscriber_id].append([day, views, articles, seconds])
        wanted = sorted(expected)[::2]  # every other reader: the others are left out, as unserved ones are
        activity = read_activity(conn, as_of, [*wanted, "no-such-subscriber"])
    assert len(wanted) > 100
    assert {i: json.loads(text) for i, text in activity.engagement.items()} == {i: expected[i] for i in wanted}
