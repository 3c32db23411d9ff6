"""``/v1/subscribers/{id}/engagement`` and ``/tickets`` over HTTP: each subscriber's 90 days and tickets, published
with the served run (c360.serving.activity), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from c360.serving.publish import publish
from c360.webhooks.outbox import record_events
from tests.api.conftest import Served, Servers
from tests.api.test_auth import assert_problem
from tests.serving.data import SCORE_DATE, add_scoring_run, subscriber_id


def test_engagement_is_the_seeded_days_oldest_first(served: Served) -> None:
    client = served.client()
    body = client.get(f"/v1/subscribers/{subscriber_id(5)}/engagement").json()
    assert body["to_date"] == SCORE_DATE.isoformat()
    assert body["from_date"] == (SCORE_DATE - timedelta(days=89)).isoformat()
    # the fixture: subscriber i read on i % 6 days, 1 + 3 * day + i % 3 days back, 2 + day articles of 120 s each
    expected = [
        {"day": (SCORE_DATE - timedelta(days=1 + 3 * d + 5 % 3)).isoformat(), "views": 2 + d}
        | {"articles_viewed": 2 + d, "time_spent": 120 * (2 + d)}
        for d in range(5)
    ]  # fmt: skip
    assert body["data"] == expected[::-1]  # oldest first
    empty = client.get(f"/v1/subscribers/{subscriber_id(0)}/engagement").json()
    assert empty["data"] == [] and empty["run_id"] == body["run_id"]


def test_tickets_newest_first_limited_and_unknown_subscribers(served: Served) -> None:
    client = served.client()
    body = client.get(f"/v1/subscribers/{subscriber_id(3)}/tickets").json()
    assert [t["ticket_id"] for t in body["data"]] == ["t-3-0", "t-3-1", "t-3-2"]
    assert datetime.fromisoformat(body["data"][0]["created_at"]).utcoffset() == timedelta(0)  # a zone, UTC
    assert body["data"][0] | {"created_at": None} == {
        "ticket_id": "t-3-0", "created_at": None, "resolved_at": None, "resolution_hours": None,
        "channel": "email", "category": "billing", "priority": "low", "status": "closed", "satisfaction_score": None,
    }  # fmt: skip
    two = client.get(f"/v1/subscribers/{subscriber_id(3)}/tickets", params={"limit": 2}).json()
    assert [t["ticket_id"] for t in two["data"]] == ["t-3-0", "t-3-1"]
    assert_problem(
        client.get(f"/v1/subscribers/{subscriber_id(3)}/tickets", params={"limit": 21}), 422, "validation-error"
    )
    for path in ("engagement", "tickets"):
        assert_problem(client.get(f"/v1/subscribers/nobody/{path}"), 404, "not-found")
        assert_problem(served.client("scores").get(f"/v1/subscribers/{subscriber_id(3)}/{path}"), 403, "forbidden")


def test_etag_answers_304(served: Served) -> None:
    client = served.client()
    first = client.get(f"/v1/subscribers/{subscriber_id(4)}/engagement")
    again = client.get(
        f"/v1/subscribers/{subscriber_id(4)}/engagement", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and first.headers["Cache-Control"].startswith("private")


def test_a_run_serves_its_own_days_and_a_backfill_changes_nothing(servers: Servers) -> None:
    served = servers.start(api_run_check_interval=0)
    client, sid = served.client(), subscriber_id(3)
    before = client.get(f"/v1/subscribers/{sid}/tickets").json()
    next_day = SCORE_DATE + timedelta(days=1)
    with served.warehouse.connect() as conn, conn.transaction():
        # a ticket of the next day, resolved two days later; a reading day of the next day
        conn.execute(
            "INSERT INTO SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS (load_seq, load_id, source_file, source_row, "
            "loaded_at, ticket_id, subscriber_id, created_at, resolved_at, channel, category, priority, status) "
            "VALUES (999, 'late', 'late.parquet', 1, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, 't-late', :id, :created, "
            ":resolved, 'chat', "
            "'cancellation', 'high', 'resolved')",
            {
                "id": sid,
                "created": datetime.combine(next_day, time(9)),
                "resolved": datetime.combine(next_day, time(9)) + timedelta(days=2),
            },
        )
        conn.execute(
            "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY (subscriber_id, activity_date, articles_viewed, "
            "views, total_time_spent, distinct_sections, avg_engagement_score, built_at) "
            "VALUES (:id, :day, 1, 3, 60, 1, 50, "
            "CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
            {"id": sid, "day": next_day},
        )
    # a backfill of an older day: the served run's tickets and days stay as they were
    add_scoring_run(served.warehouse, "run-0", served.expected.scored, score_date=SCORE_DATE - timedelta(days=7))
    result = publish(
        served.settings, outbox=record_events, warehouse=served.warehouse, score_date=SCORE_DATE - timedelta(days=7)
    )
    assert result.status == "backfill"
    assert client.get(f"/v1/subscribers/{sid}/tickets").json() == before
    # the next day's run is served: the late ticket is there, open as of that day (resolved after it)
    add_scoring_run(served.warehouse, "run-2", served.expected.scored, score_date=next_day)
    assert publish(served.settings, outbox=record_events, warehouse=served.warehouse).status == "published"
    after = client.get(f"/v1/subscribers/{sid}/tickets").json()
    assert after["run_id"] == "run-2" and after["as_of_date"] == next_day.isoformat()
    assert after["data"][0] | {"created_at": None} == {
        "ticket_id": "t-late", "created_at": None, "resolved_at": None, "resolution_hours": None, "channel": "chat",
        "category": "cancellation", "priority": "high", "status": "open", "satisfaction_score": None,
    }  # fmt: skip
    assert after["data"][1:] == before["data"]
    days = client.get(f"/v1/subscribers/{sid}/engagement").json()["data"]
    assert days[-1] == {"day": next_day.isoformat(), "views": 3, "articles_viewed": 1, "time_spent": 60}
