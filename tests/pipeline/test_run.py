"""The pipeline's rules, checked against the source files themselves rather than against our own SQL."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from c360.dates import check_day
from c360.errors import DateOutOfRange, QualityCheckFailed
from c360.pipeline.run import run_pipeline
from c360.warehouse import Warehouse
from pipeline_sql.scripts import render_model
from tests.conftest import AS_OF, DATA_STEPS, Built

BOTS = ("bot", "crawler", "spider", "slurp", "headless", "python-requests", "curl/", "wget/")


def rows(wh: Warehouse, sql: str) -> list[dict[str, Any]]:
    with wh.connect() as conn:
        return conn.query(sql)


def source_events(built: Built) -> list[dict[str, Any]]:
    """The JSON lines that parse to objects: what the subscriber task receives."""
    events = []
    for line in (built.sources / "subscription_events.jsonl").read_text().splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            events.append(value)
    return events


def parse_ts(text: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment
    return (moment - moment.utcoffset()).replace(tzinfo=None)  # type: ignore[operator]


def test_subscription_events_one_row_per_event_latest_wins(built: Built) -> None:
    latest: dict[str, dict[str, Any]] = {}
    for e in source_events(built):
        ts = parse_ts(e.get("event_timestamp")) or datetime.min
        key = e.get("event_id")
        if key and (key not in latest or ts >= (parse_ts(latest[key].get("event_timestamp")) or datetime.min)):
            latest[key] = e
    staged = {r["event_id"]: r for r in rows(built.warehouse, "SELECT * FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS")}
    assert set(staged) == set(latest)
    corrected = 0
    for event_id, e in latest.items():
        expected = parse_ts(e.get("event_timestamp"))
        if expected is not None and e.get("event_timestamp") and "+" in e["event_timestamp"][10:]:
            corrected += 1
        assert staged[event_id]["event_timestamp"] == expected, event_id  # offsets converted to UTC
    assert corrected > 0  # the fixture does exercise offsets


def test_invalid_events_are_flagged_with_their_reason(built: Built) -> None:
    by_reason: dict[str, int] = defaultdict(int)
    for r in rows(built.warehouse, "SELECT invalid_reason FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS WHERE NOT is_valid"):
        by_reason[r["invalid_reason"]] += 1
    assert by_reason["non-positive payment_amount"] > 0
    assert by_reason["unparseable event_timestamp"] + by_reason["event_timestamp in the future"] > 0
    bad = rows(
        built.warehouse,
        "SELECT COUNT(*) AS n FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS WHERE is_valid AND "
        "(event_type = 'payment' AND payment_amount <= 0 OR event_timestamp IS NULL OR event_timestamp > '2099-01-01')",
    )
    assert bad[0]["n"] == 0


def test_unified_customer_is_one_row_per_subscriber_with_lifecycle_status(built: Built) -> None:
    valid = rows(
        built.warehouse, "SELECT subscriber_id, event_type FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS WHERE is_valid"
    )
    cancelled = {r["subscriber_id"] for r in valid if r["event_type"] == "cancel"}
    unified = {r["subscriber_id"]: r for r in rows(built.warehouse, "SELECT * FROM SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER")}
    assert set(unified) == {r["subscriber_id"] for r in valid}
    # the generator has no win-back: a valid cancel is the last lifecycle event
    assert {s for s, r in unified.items() if r["status"] == "cancelled"} == cancelled
    assert all(r["plan"] in ("basic", "standard", "premium") for r in unified.values())


def floor_engagement(csv: Path) -> dict[tuple[str, date], tuple[int, int, int, int]]:
    """FCT_ENGAGEMENT_DAILY computed straight from the CSV by an independent hand-written query."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    likes = " OR ".join(f"lower(user_agent) LIKE '%{b}%'" for b in BOTS)
    result = con.execute(f"""
        WITH r AS (
            SELECT event_id, subscriber_id, upper(article_id) AS article_id,
                   CAST(try_cast(event_timestamp AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) AS ts,
                   greatest(coalesce(try_cast(time_spent_seconds AS DECIMAL(38, 0)), 0), 0) AS secs,
                   coalesce(lower(json_extract_string(article_metadata, '$.section')), 'unknown') AS section,
                   coalesce(user_agent, '') AS user_agent
            FROM read_csv('{csv}', header = true, all_varchar = true, ignore_errors = true)
        ), humans AS (
            SELECT DISTINCT ON (event_id) * FROM r
            WHERE ts IS NOT NULL AND subscriber_id <> '' AND ts <= now()::TIMESTAMP + INTERVAL 1 DAY AND NOT ({likes})
        )
        SELECT subscriber_id, ts::DATE, count(DISTINCT article_id), count(*), sum(secs), count(DISTINCT section)
        FROM humans WHERE ts::DATE <= DATE '{AS_OF}' GROUP BY ALL
    """).fetchall()
    return {(s, d): (int(a), int(v), int(t), int(n)) for s, d, a, v, t, n in result}


@pytest.mark.slow  # over a minute on a busy 2-core machine
def test_engagement_daily_equals_an_independent_query_on_the_csv(built: Built) -> None:
    expected = floor_engagement(built.sources / "content_engagement.csv")
    actual = {
        (r["subscriber_id"], r["activity_date"]): (
            r["articles_viewed"],
            r["views"],
            r["total_time_spent"],
            r["distinct_sections"],
        )
        for r in rows(built.warehouse, "SELECT * FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY")
    }
    assert len(actual) > 1000
    assert actual == expected


def test_engagement_scores_follow_the_documented_formula(built: Built) -> None:
    import math

    sample = rows(
        built.warehouse,
        "SELECT time_spent_seconds, engagement_score FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT USING SAMPLE 200 ROWS",
    )
    for r in sample:
        expected = round(100 * min(1.0, math.log(1 + r["time_spent_seconds"]) / math.log(601)), 2)
        assert float(r["engagement_score"]) == pytest.approx(expected, abs=0.01)


def test_dimension_lifetime_value_and_tenure_match_the_source(built: Built) -> None:
    valid_paid: dict[str, Decimal] = defaultdict(Decimal)
    signup: dict[str, date] = {}
    staged = {
        r["event_id"]: r
        for r in rows(built.warehouse, "SELECT event_id, is_valid FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS")
    }
    seen = set()
    for e in sorted(
        source_events(built), key=lambda e: parse_ts(e.get("event_timestamp")) or datetime.min, reverse=True
    ):
        if e.get("event_id") in seen or not staged.get(e.get("event_id", ""), {}).get("is_valid"):
            continue
        seen.add(e["event_id"])
        ts = parse_ts(e["event_timestamp"])
        assert ts is not None
        if ts.date() > AS_OF:
            continue
        if e["event_type"] == "payment" and e.get("payment_status", "succeeded") == "succeeded":
            valid_paid[e["subscriber_id"]] += Decimal(str(e["payment_amount"])).quantize(Decimal("0.01"))
        if e["event_type"] == "signup":
            signup[e["subscriber_id"]] = min(signup.get(e["subscriber_id"], ts.date()), ts.date())
    dim = {r["subscriber_id"]: r for r in rows(built.warehouse, "SELECT * FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS")}
    assert {r["as_of_date"] for r in dim.values()} == {AS_OF}
    for subscriber, total in valid_paid.items():
        assert dim[subscriber]["lifetime_value"] == total
    for subscriber, day in signup.items():
        assert dim[subscriber]["signup_date"] == day
        assert dim[subscriber]["tenure_days"] == (AS_OF - day).days
    assert {r["demographic_segment"] for r in dim.values()} >= {"Young Professionals", "Retirees"}


def test_every_quality_check_was_recorded_and_passed(built: Built) -> None:
    checks = rows(built.warehouse, "SELECT check_name, passed FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS")
    assert len({c["check_name"] for c in checks}) >= 14
    assert all(c["passed"] for c in checks)


def test_a_failing_check_stops_the_steps_after_it(built: Built, tmp_path: Path) -> None:
    wh = built.copy(tmp_path)
    with wh.connect() as conn:
        # a duplicated subscriber in staging: the daily build must refuse to build on it
        conn.execute(
            "INSERT INTO SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER SELECT * FROM SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER LIMIT 1"
        )
        before = conn.scalar("SELECT MAX(built_at) FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS")
    with pytest.raises(QualityCheckFailed, match="stg_unified_customer_subscriber_id_unique") as failure:
        run_pipeline(wh, as_of=AS_OF, steps=DATA_STEPS)
    assert failure.value.checks == ["stg_unified_customer_subscriber_id_unique"]
    with wh.connect() as conn:
        assert conn.scalar("SELECT MAX(built_at) FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS") == before  # not rebuilt


def test_views_staged_since_the_last_build_are_checked_against_the_whole_table(built: Built, tmp_path: Path) -> None:
    """The view checks read only rows staged since the last build, each against every staged row: a view staged
    again under an old event_id, or out of range, in a later load fails the next build."""
    wh = built.copy(tmp_path)
    with wh.connect() as conn:
        conn.execute(
            "INSERT INTO SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT "
            "SELECT * REPLACE (source_load_seq + 1000000 AS source_load_seq, 101 AS engagement_score) "
            "FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE event_date < :day LIMIT 1",
            {"day": AS_OF - timedelta(days=30)},
        )
    with pytest.raises(QualityCheckFailed) as failure:
        run_pipeline(wh, as_of=AS_OF, steps=DATA_STEPS)
    assert failure.value.checks == ["stg_content_engagement_event_id_unique", "stg_content_engagement_score_range"]


def test_a_full_refresh_checks_every_staged_view_again(built: Built, tmp_path: Path) -> None:
    """A duplicate staged before the last build (so no incremental build reads it again) fails a full refresh,
    which checks every staged view in one grouping."""
    wh = built.copy(tmp_path)
    with wh.connect() as conn:
        conn.execute(
            "INSERT INTO SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT "
            "SELECT * FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE event_date < :day LIMIT 1",
            {"day": AS_OF - timedelta(days=30)},
        )
    run_pipeline(wh, as_of=AS_OF, steps=DATA_STEPS)  # staged before the last build: not read again
    with pytest.raises(QualityCheckFailed) as failure:
        run_pipeline(wh, as_of=AS_OF, steps=DATA_STEPS, full_refresh=True)
    assert failure.value.checks == ["stg_content_engagement_event_id_unique"]


def test_a_past_day_never_moves_dim_subscribers_back_and_profiles_are_computed_for_any_day(
    built: Built, tmp_path: Path
) -> None:
    wh = built.copy(tmp_path)
    past = AS_OF - timedelta(days=30)
    run_pipeline(wh, as_of=past, steps=DATA_STEPS)  # a backfill of the daily build
    assert rows(wh, "SELECT DISTINCT as_of_date FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS") == [{"as_of_date": AS_OF}]
    with wh.connect() as conn:  # the one profile definition, as of the past day (what a publish of it reads)
        dim = conn.query(render_model("models/marts/subscriber_profiles.sql"), {"as_of": past})
    assert {r["as_of_date"] for r in dim} == {past}
    assert all(r["signup_date"] <= past for r in dim)
    assert all(r["cancelled_at"] is None or r["cancelled_at"].date() <= past for r in dim)
    now = rows(
        built.warehouse, "SELECT COUNT(*) AS n FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS WHERE status = 'cancelled'"
    )
    then = sum(1 for r in dim if r["status"] == "cancelled")
    assert then < now[0]["n"]  # fewer had cancelled 30 days earlier


def test_running_again_changes_nothing(built: Built, tmp_path: Path) -> None:
    wh = built.copy(tmp_path)
    counts = (
        "SELECT (SELECT COUNT(*) FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS) AS e, "
        "(SELECT COUNT(*) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT) AS c, "
        "(SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY) AS f, "
        "(SELECT SUM(lifetime_value) FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS) AS ltv"
    )
    before = rows(wh, counts)
    result = run_pipeline(wh, as_of=AS_OF, steps=DATA_STEPS)
    assert [s.status for s in result.steps] == ["skipped", "skipped", "ran"]  # the streams are drained
    assert rows(wh, counts) == before


def test_a_day_without_the_history_a_purpose_needs_names_what_to_load_not_an_empty_range(
    warehouse: Warehouse,
) -> None:
    # with 10 days loaded, training (71 days of history) said "choose a day from <first + 71> to <last>": no day
    first = date(2026, 11, 1)
    with warehouse.connect() as conn:
        for i in range(10):
            conn.execute(
                "INSERT INTO SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT (event_id, subscriber_id, article_id, section, "
                "event_timestamp, event_date, time_spent_seconds, engagement_score, source_load_seq, staged_at) "
                "VALUES (:id, 's1', 'a1', 'news', :day, :day, 60, 50, 1, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
                {"id": f"v{i}", "day": first + timedelta(days=i)},
            )
        with pytest.raises(DateOutOfRange) as train:
            check_day(conn, first + timedelta(days=9), "train")
        with pytest.raises(DateOutOfRange) as score:
            check_day(conn, first, "score")
    assert "choose a day from" not in train.value.message
    assert train.value.message.endswith("no loaded day has that much history yet: load 62 more day(s), or older "
                                        "sources, with `c360 ingest`")  # fmt: skip
    assert score.value.message.endswith("load 20 more day(s), or older sources, with `c360 ingest`")
