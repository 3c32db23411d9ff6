"""The incremental daily build against full rebuilds: the same loads, day after day, into two warehouses,
one built incrementally and one with ``full_refresh``; FCT_ENGAGEMENT_DAILY, FCT_ENGAGEMENT_DEVICE_DAILY,
DIM_SUBSCRIBERS and the day's scoring features (FCT_CHURN_SCORING_FEATURES, whose 30-day sums read only the
window) must match row for row.

The loads are the generated views replayed as they might arrive: most on their own day, some (one in
eight) three days late, some (one in ten) sent again the next day under the same event_id (a duplicate
staging drops), and a backfill (as of an earlier day) in the middle of the sequence.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from c360.errors import C360Error
from c360.pipeline.run import run_pipeline
from c360.settings import Settings
from c360.sources.generate import generate
from c360.sources.ingest import ingest
from c360.warehouse import Warehouse, call
from pipeline_sql.migrate import migrate
from tests.conftest import DATA_STEPS, using_home

LAST_DAY = date(2026, 11, 24)
DAYS = 35
FIRST_LOAD = LAST_DAY - timedelta(days=5)  # the history before it arrives in the first load
FACT_COLUMNS = (
    "subscriber_id, activity_date, articles_viewed, views, total_time_spent, distinct_sections, avg_engagement_score"
)


def _load_day(csv: Path, out: Path) -> None:
    """Each view's arrival day: its own day, three days late (1 in 8) or again the next day (1 in 10)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"""
        CREATE TABLE views AS
        SELECT *, COALESCE(TRY_CAST(TRY_CAST(event_timestamp AS TIMESTAMPTZ) AS DATE), DATE '{FIRST_LOAD}') AS day,
               hash(COALESCE(event_id, '') || COALESCE(event_timestamp, '')) AS h
        FROM read_csv('{csv}', header = true, all_varchar = true, delim = ',', quote = '"', ignore_errors = true)
    """)
    con.execute(f"""
        CREATE TABLE arrivals AS
        SELECT * EXCLUDE (day, h), GREATEST(day + IF(h % 8 = 0, 3, 0), DATE '{FIRST_LOAD}') AS arrives FROM views
        UNION ALL
        SELECT * EXCLUDE (day, h), GREATEST(day + 1, DATE '{FIRST_LOAD}') FROM views WHERE h % 10 = 1
    """)
    for (day,) in con.execute("SELECT DISTINCT arrives FROM arrivals ORDER BY 1").fetchall():
        path = out / f"views-{day}.csv"
        con.execute(
            f"COPY (SELECT * EXCLUDE (arrives) FROM arrivals WHERE arrives = DATE '{day}') "
            f"TO '{path}' (HEADER, QUOTE '\"', FORCE_QUOTE *)"
        )


def _fact(wh: Warehouse) -> list[tuple[Any, ...]]:
    with wh.connect() as conn:
        rows = conn.query(f"SELECT {FACT_COLUMNS} FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY ORDER BY 1, 2")
    return [tuple(r.values()) for r in rows]


def _table(wh: Warehouse, table: str, order: str, exclude: str = "built_at") -> list[tuple[Any, ...]]:
    """Every row of ``table`` but the columns that say when (and by which run) it was built."""
    with wh.connect() as conn:
        rows = conn.query(f"SELECT * EXCLUDE ({exclude}) FROM {table} ORDER BY {order}")
    return [tuple(r.values()) for r in rows]


def _scoring_features(wh: Warehouse, as_of: date) -> list[tuple[Any, ...]]:
    with wh.connect() as conn:
        call(conn, "SFE_ANALYTICS_MEDIA.SFE_BUILD_SCORING_FEATURES", [as_of, "test"])
    return _table(
        wh, "SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES", "subscriber_id, snapshot_date", "built_at, run_id"
    )


def _state(wh: Warehouse) -> dict[str, Any]:
    with wh.connect() as conn:
        return conn.query("SELECT * FROM SFE_ANALYTICS_MEDIA.BUILD_STATE")[0]


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incremental-sources")
    generate(root / "sources", scale=0.02, days=DAYS, seed=3, as_of=LAST_DAY)
    (root / "loads").mkdir()
    _load_day(root / "sources" / "content_engagement.csv", root / "loads")
    return root


def _warehouse(home: Path, sources: Path) -> Warehouse:
    with using_home(home) as settings:
        wh = Warehouse.from_settings(Settings(home=home, warehouse_lock_timeout=5))
        migrate(wh)
        ingest(wh, [sources / "subscription_events.jsonl", sources / "support_tickets.parquet"])
        del settings
    return wh


@pytest.mark.slow  # builds every day twice, incrementally and from scratch
def test_incremental_build_matches_full_rebuild_each_day(days: Path, tmp_path: Path) -> None:
    incremental = _warehouse(tmp_path / "incremental", days / "sources")
    full = _warehouse(tmp_path / "full", days / "sources")
    # as of each day of loads, with a backfill two days back after the fourth
    plan: list[tuple[date, date]] = []  # (arrival day loaded, as-of day built)
    day = FIRST_LOAD
    while day <= LAST_DAY:
        plan.append((day, day))
        if day == FIRST_LOAD + timedelta(days=3):
            plan.append((day, day - timedelta(days=2)))
        day += timedelta(days=1)
    loaded: set[date] = set()
    late_rows_seen = 0
    scored_days: list[int] = []
    for arrival, as_of in plan:
        if arrival not in loaded:
            for wh in (incremental, full):
                results = ingest(wh, [days / "loads" / f"views-{arrival}.csv"])
                assert all(r.status == "loaded" for r in results), results
            loaded.add(arrival)
        before = _state(incremental) if arrival > FIRST_LOAD else None
        for wh, refresh in ((incremental, False), (full, True)):
            run_pipeline(wh, as_of=as_of, steps=DATA_STEPS, full_refresh=refresh)
        assert _fact(incremental) == _fact(full), f"loaded {arrival}, built as of {as_of}"
        devices = "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY"
        order = "subscriber_id, activity_date, device_type"
        assert _table(incremental, devices, order) == _table(full, devices, order), f"devices, as of {as_of}"
        dim = "SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS"
        assert _table(incremental, dim, "subscriber_id") == _table(full, dim, "subscriber_id")
        features = _scoring_features(incremental, as_of)
        assert features == _scoring_features(full, as_of), f"scoring features, as of {as_of}"
        scored_days.append(len(features))
        after = _state(incremental)
        if before is not None:
            assert after["full_refresh"] is False  # the comparison is of an incremental build, not of two full ones
            with incremental.connect() as conn:
                late_rows_seen += conn.scalar(
                    "SELECT COUNT(*) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT "
                    "WHERE source_load_seq > :seq AND event_date <= :day",
                    {"seq": before["built_through_seq"], "day": before["as_of_date"]},
                )
        if as_of < arrival:  # a backfill keeps the state: the later days are still brought up to date
            assert after["as_of_date"] == arrival and after["built_through_seq"] == before["built_through_seq"]  # type: ignore[index]
        else:
            assert after["as_of_date"] == as_of
    assert late_rows_seen > 0  # late rows for already-built days did arrive and were merged
    assert len(_fact(incremental)) > 100
    assert min(scored_days) > 10  # every day's features compared were of subscribers, not of empty tables


def test_incremental_build_rewrites_only_changed_keys(days: Path, tmp_path: Path) -> None:
    """Rows of days the day's loads did not touch keep their built_at: they were not rebuilt."""
    wh = _warehouse(tmp_path / "home", days / "sources")
    for day in (FIRST_LOAD, FIRST_LOAD + timedelta(days=1)):
        ingest(wh, [days / "loads" / f"views-{day}.csv"])
    run_pipeline(wh, as_of=FIRST_LOAD, steps=DATA_STEPS)
    with wh.connect() as conn:
        first = conn.scalar("SELECT MAX(built_at) FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY")
    run_pipeline(wh, as_of=FIRST_LOAD + timedelta(days=1), steps=DATA_STEPS)
    with wh.connect() as conn:
        rebuilt = conn.query(
            "SELECT activity_date, COUNT(*) AS n FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY "
            "WHERE built_at > :first GROUP BY 1 ORDER BY 1",
            {"first": first},
        )
    # the new day, and the days the second load brought late rows for (fewer keys than the days hold)
    assert rebuilt[-1]["activity_date"] == FIRST_LOAD + timedelta(days=1)
    with wh.connect() as conn:
        total_old = conn.scalar(
            "SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY WHERE activity_date <= :d", {"d": FIRST_LOAD}
        )
    assert sum(r["n"] for r in rebuilt[:-1]) < total_old
    run_pipeline(wh, as_of=FIRST_LOAD + timedelta(days=1), steps=DATA_STEPS, full_refresh=True)
    assert _state(wh)["full_refresh"] is True


def test_a_build_whose_checks_failed_is_checked_again_not_taken_as_built(days: Path, tmp_path: Path) -> None:
    """The state moves only after the checks pass: running the day again re-checks the rows that failed."""
    wh = _warehouse(tmp_path / "home", days / "sources")
    ingest(wh, [days / "loads" / f"views-{FIRST_LOAD}.csv"])
    run_pipeline(wh, as_of=FIRST_LOAD, steps=DATA_STEPS)
    built = _state(wh)
    day = FIRST_LOAD + timedelta(days=1)
    # two views of no article but of two sections: a day with more sections than articles fails the range check
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "event_id,subscriber_id,article_id,event_timestamp,time_spent_seconds,device_type,user_agent,referrer,"
        "article_metadata\n"
        + "".join(
            f'"dq-{i}","sub-dq",,"{day}T1{i}:00:00Z","60","mobile","Mozilla","direct","{{""section"": ""{s}""}}"\n'
            for i, s in enumerate(("politics", "sports"))
        )
    )
    assert [r.status for r in ingest(wh, [bad])] == ["loaded"]
    for attempt in (1, 2):
        with pytest.raises(C360Error, match="fct_engagement_daily_value_ranges"):
            run_pipeline(wh, as_of=day, steps=DATA_STEPS)
        assert _state(wh) == built, f"attempt {attempt}: the failed build moved the state"
    with wh.connect() as conn:
        results = conn.query(
            "SELECT failures FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS "
            "WHERE check_name = 'fct_engagement_daily_value_ranges' AND as_of_date = :day ORDER BY checked_at",
            {"day": day},
        )
    assert [r["failures"] for r in results] == [1, 1]  # the second run checked the same row again


def test_a_warehouse_built_before_the_device_fact_gets_it_filled_by_its_migration(days: Path, tmp_path: Path) -> None:
    """V010 fills FCT_ENGAGEMENT_DEVICE_DAILY for the days already built, so the next incremental build leaves it
    as a full rebuild would (migrations are replayed here by forgetting V010 and emptying the table it made)."""
    wh = _warehouse(tmp_path / "home", days / "sources")
    for day in (FIRST_LOAD, FIRST_LOAD + timedelta(days=1)):
        ingest(wh, [days / "loads" / f"views-{day}.csv"])
    run_pipeline(wh, as_of=FIRST_LOAD, steps=DATA_STEPS)  # the second load's rows are staged, not yet built
    devices = "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY"
    with wh.connect() as conn:
        conn.execute(f"DELETE FROM {devices}")
        conn.execute("DELETE FROM C360_META.CHANGE_HISTORY WHERE script LIKE 'V010%'")
    migrate(wh)
    with wh.connect() as conn:
        filled = conn.query(f"SELECT MAX(activity_date) AS last, SUM(views) AS views FROM {devices}")[0]
        built = conn.scalar("SELECT SUM(views) FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY")
    assert filled["last"] == FIRST_LOAD and filled["views"] >= built > 0  # late rows staged since count too
    run_pipeline(wh, as_of=FIRST_LOAD + timedelta(days=1), steps=DATA_STEPS)
    order = "subscriber_id, activity_date, device_type"
    incremental = _table(wh, devices, order)
    run_pipeline(wh, as_of=FIRST_LOAD + timedelta(days=1), steps=DATA_STEPS, full_refresh=True)
    assert incremental == _table(wh, devices, order)


def test_the_device_fact_splits_the_daily_fact(days: Path, tmp_path: Path) -> None:
    """Per subscriber and day, the device rows add up to FCT_ENGAGEMENT_DAILY's views and time (the build's
    reconciliation check says the same for the keys it rebuilt), and a device type can be missing (NULL)."""
    wh = _warehouse(tmp_path / "home", days / "sources")
    for day in (FIRST_LOAD, FIRST_LOAD + timedelta(days=1)):
        ingest(wh, [days / "loads" / f"views-{day}.csv"])
        run_pipeline(wh, as_of=day, steps=DATA_STEPS)
    with wh.connect() as conn:
        mismatched = conn.query(
            "SELECT f.subscriber_id, f.activity_date FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f "
            "FULL OUTER JOIN (SELECT subscriber_id, activity_date, SUM(views) AS views, SUM(total_time_spent) AS t "
            "    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY GROUP BY ALL) AS d "
            "ON d.subscriber_id = f.subscriber_id AND d.activity_date = f.activity_date "
            "WHERE f.views IS DISTINCT FROM d.views OR f.total_time_spent IS DISTINCT FROM d.t"
        )
        checks = conn.query(
            "SELECT check_name, passed FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS "
            "WHERE check_name = 'fct_engagement_device_daily_reconciles'"
        )
        devices = conn.scalar("SELECT COUNT(DISTINCT device_type) FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY")
    assert mismatched == []
    assert len(checks) == 2 and all(c["passed"] for c in checks)  # one per build
    assert devices >= 2
