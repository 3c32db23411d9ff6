"""The training set: who is in it, its labels, its split, and that no feature sees the future."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from c360.warehouse import Warehouse
from pipeline_sql import runtime
from pipeline_sql.scripts import render_model
from tests.model.conftest import AS_OF, LATEST_LABELLED, Built

FEATURES = (
    "engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count, "
    "support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d, downgrades_90d, "
    "days_since_failed_payment, failed_payments_decayed, days_since_cancellation_ticket, cancellation_tickets_decayed, "
    "plan, acquisition_channel"
)


def build_training_set(warehouse: Warehouse, home: Path, as_of: date = AS_OF) -> None:
    with warehouse.connect() as conn:
        runtime.call(conn, "SFE_ANALYTICS_MEDIA.SFE_BUILD_TRAINING_SET", [as_of, "test-run"])


def training_rows(warehouse: Warehouse) -> dict[tuple[str, date], dict[str, Any]]:
    with warehouse.connect() as conn:
        rows = conn.query(
            f"SELECT subscriber_id, snapshot_date, {FEATURES}, churned, split "
            "FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING"
        )
    return {(r["subscriber_id"], r["snapshot_date"]): r for r in rows}


@pytest.fixture
def training(built: Built, tmp_path: Path) -> tuple[Warehouse, Path]:
    home = tmp_path / "home"
    warehouse = built.copy(home)
    build_training_set(warehouse, home)
    return warehouse, home


def test_population_and_labels_agree_with_the_generators_ground_truth(
    training: tuple[Warehouse, Path], built: Built
) -> None:
    """The generator knows who was active at each snapshot and who cancelled in the next 30 days."""
    rows = training_rows(training[0])
    truth = pq.read_table(built.sources / "ground_truth.parquet").to_pylist()
    labelled = {
        (t["subscriber_id"], t["snapshot_date"]): t["cancelled_within_30d"]
        for t in truth
        if t["cancelled_within_30d"] is not None
    }
    assert set(rows) == set(labelled)  # one row per active subscriber per labelled weekly snapshot
    mismatched = [key for key, row in rows.items() if row["churned"] != labelled[key]]
    assert mismatched == []
    assert 0.02 < sum(r["churned"] for r in rows.values()) / len(rows) < 0.06  # ~3.7 % monthly churn


def test_snapshots_are_weekly_and_labels_complete(training: tuple[Warehouse, Path]) -> None:
    dates = sorted({d for _, d in training_rows(training[0])})
    assert dates[-1] == LATEST_LABELLED  # as_of - 35: the newest whose 30-day window has passed
    assert all((b - a).days == 7 for a, b in itertools.pairwise(dates))
    assert all(d + timedelta(days=30) <= AS_OF for d in dates)


def test_split_is_purged_80_20_by_date_latest_dates_are_the_test_set(training: tuple[Warehouse, Path]) -> None:
    from c360.model.history import loaded_range, training_window

    rows = training_rows(training[0])
    by_date: dict[date, set[str]] = {}
    for (_, day), row in rows.items():
        by_date.setdefault(day, set()).add(row["split"])
    dates = sorted(by_date)
    assert all(len(splits) == 1 for splits in by_date.values())  # a date is wholly on one side
    test_dates = [d for d in dates if by_date[d] == {"test"}]
    purged = [d for d in dates if by_date[d] == {"purged"}]
    assert len(test_dates) == max(1, round(0.2 * (len(dates) - 4)))  # 20 % of the dates left after the purge
    assert test_dates == dates[-len(test_dates) :]
    assert purged == dates[-len(test_dates) - 4 : -len(test_dates)]  # the four weekly dates before the test set
    # the Python mirror of SFE_BUILD_TRAINING_SET's window (used by `backtest --train`) agrees with it
    with training[0].connect() as conn:
        loaded = loaded_range(conn)
    assert loaded is not None
    window = training_window(loaded[0], AS_OF)
    assert (window.first_snapshot, window.last_snapshot, window.snapshots) == (dates[0], dates[-1], len(dates))


def test_labels_follow_the_cancellations_in_staging(training: tuple[Warehouse, Path]) -> None:
    """Label = a valid cancel on days w+1 .. w+30, recomputed here in Python from the staged events."""
    warehouse = training[0]
    with warehouse.connect() as conn:
        cancels = conn.query(
            "SELECT subscriber_id, event_timestamp FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS "
            "WHERE is_valid AND event_type = 'cancel'"
        )
    cancel_days: dict[str, list[date]] = {}
    for c in cancels:
        cancel_days.setdefault(c["subscriber_id"], []).append(c["event_timestamp"].date())
    for (subscriber, day), row in training_rows(warehouse).items():
        expected = any(day < d <= day + timedelta(days=30) for d in cancel_days.get(subscriber, []))
        assert row["churned"] == expected, (subscriber, day)


def perturb(path: Path, statements: list[tuple[str, list[Any]]]) -> None:
    con = duckdb.connect(str(path))
    try:
        for sql, params in statements:
            con.execute(sql, params)
    finally:
        con.close()


def everyone(sql: str) -> str:
    return f"{sql} FROM SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER"


READS = "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY SELECT subscriber_id, ?, 50, 50, 9000, 5, 99, now()"
TICKET = (
    "INSERT INTO SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS (load_seq, load_id, source_file, source_row, loaded_at, "
    "ticket_id, subscriber_id, created_at, category) SELECT 10000000, 'x', 'x', 0, now(), ? || subscriber_id, "
    "subscriber_id, ?, 'cancellation'"
)
EVENT = (
    "INSERT INTO SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS (event_id, subscriber_id, event_type, event_timestamp, plan, "
    "payment_amount, payment_status, is_valid, source_load_seq, loaded_at, staged_at) SELECT ? || subscriber_id, "
    "subscriber_id, ?, ?, 'basic', 9.99, 'failed', TRUE, 10000000, now(), now()"
)


@pytest.mark.slow  # over a minute on a busy 2-core machine
def test_no_feature_reads_data_after_its_snapshot(training: tuple[Warehouse, Path]) -> None:
    """Change everything after the end of the latest snapshot day: features stay, labels move."""
    warehouse, home = training
    before = training_rows(warehouse)
    next_day = LATEST_LABELLED + timedelta(days=1)
    first_instant = datetime.combine(next_day, datetime.min.time())  # w + 1 day, 00:00:00
    perturb(
        warehouse.duckdb_path,
        [
            # from the first instant after the snapshot day, every subscriber stops reading, then reads a
            # lot, writes a cancellation ticket, fails a payment, downgrades and cancels
            ("DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY WHERE activity_date >= ?", [next_day]),
            (everyone(READS), [next_day]),
            (everyone(TICKET), ["future-", first_instant]),
            *[(everyone(EVENT), [f"{kind}-", kind, first_instant]) for kind in ("payment", "downgrade", "cancel")],
        ],
    )
    build_training_set(warehouse, home)
    after = training_rows(warehouse)
    assert set(after) == set(before)
    for key, row in before.items():
        assert {k: v for k, v in after[key].items() if k != "churned"} == {
            k: v for k, v in row.items() if k != "churned"
        }, key
    latest = [k for k in before if k[1] == LATEST_LABELLED]
    assert not all(before[k]["churned"] for k in latest)
    assert all(after[k]["churned"] for k in latest)  # the same change did reach the labels


@pytest.mark.slow  # over a minute on a busy 2-core machine
def test_features_do_read_data_up_to_the_end_of_the_snapshot_day(training: tuple[Warehouse, Path]) -> None:
    """The same kind of change at the snapshot's last instant does move the features (the test above can fail)."""
    warehouse, home = training
    before = training_rows(warehouse)
    last_instant = datetime.combine(LATEST_LABELLED, datetime.max.time()).replace(microsecond=0)  # 23:59:59
    perturb(warehouse.duckdb_path, [(everyone(TICKET), ["late-", last_instant])])
    build_training_set(warehouse, home)
    after = training_rows(warehouse)
    latest = [k for k in before if k[1] == LATEST_LABELLED]
    assert all(after[k]["cancellation_tickets_30d"] == before[k]["cancellation_tickets_30d"] + 1 for k in latest)
    assert all(after[k]["support_tickets_count"] == before[k]["support_tickets_count"] + 1 for k in latest)
    earlier = [k for k in before if k[1] < LATEST_LABELLED]
    assert all(after[k] == before[k] for k in earlier)  # ...and only from that snapshot on


def scoring_rows(warehouse: Warehouse, home: Path, day: date) -> dict[str, dict[str, Any]]:
    with warehouse.connect() as conn:
        runtime.call(conn, "SFE_ANALYTICS_MEDIA.SFE_BUILD_SCORING_FEATURES", [day, "test-score"])
        rows = conn.query(
            f"SELECT subscriber_id, {FEATURES}, churned, split FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES "
            "WHERE snapshot_date = :day",
            {"day": day},
        )
    return {r["subscriber_id"]: r for r in rows}


def test_scoring_features_of_a_day_are_its_training_features(training: tuple[Warehouse, Path]) -> None:
    """No train/serve skew: scoring a snapshot day gives the very rows training saw, label unknown."""
    warehouse, home = training
    trained_on = {s: r for (s, d), r in training_rows(warehouse).items() if d == LATEST_LABELLED}
    scored = scoring_rows(warehouse, home, LATEST_LABELLED)
    assert set(scored) == set(trained_on)
    for subscriber, row in scored.items():
        assert row["churned"] is None and row["split"] is None
        expected = {k: v for k, v in trained_on[subscriber].items() if k not in ("churned", "split", "snapshot_date")}
        assert {k: v for k, v in row.items() if k not in ("churned", "split")} == expected


def test_recency_features_follow_the_failed_payments_and_cancellation_requests(
    training: tuple[Warehouse, Path],
) -> None:
    """Days since the latest (90: none in 90 days) and the count decayed by half every 10 days, recomputed here."""
    warehouse = training[0]
    rows = training_rows(warehouse)
    with warehouse.connect() as conn:
        failed = conn.query(
            "SELECT subscriber_id, event_timestamp AS at FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS "
            "WHERE is_valid AND event_type = 'payment' AND payment_status = 'failed'"
        )
        requests = conn.query(
            "SELECT subscriber_id, created_at AS at FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS "
            "WHERE category = 'cancellation' "
            "QUALIFY ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY load_seq DESC) = 1"
        )

    def by_subscriber(events: list[dict[str, Any]]) -> dict[str, list[date]]:
        out: dict[str, list[date]] = {}
        for e in events:
            out.setdefault(e["subscriber_id"], []).append(e["at"].date())
        return out

    checked = 0
    for source, days_name, decayed_name in (
        (by_subscriber(failed), "days_since_failed_payment", "failed_payments_decayed"),
        (by_subscriber(requests), "days_since_cancellation_ticket", "cancellation_tickets_decayed"),
    ):
        for (subscriber, day), row in rows.items():
            ages = [(day - d).days for d in source.get(subscriber, []) if 0 <= (day - d).days <= 89]
            assert row[days_name] == (min(ages) if ages else 90)
            assert row[decayed_name] == pytest.approx(sum(0.5 ** (a / 10) for a in ages), abs=1e-6)
            checked += bool(ages)
    assert checked > 100  # enough rows with a recent event to mean something


def test_a_subscriber_with_payments_and_no_lifecycle_event_yet_is_scored_as_the_profiles_call_them_active(
    built: Built, tmp_path: Path
) -> None:
    """The profiles (DIM_SUBSCRIBERS, the served ones) call a subscriber with no signup, upgrade, downgrade or
    cancel yet (a signup late, invalid or missing) active; scoring must score them, not leave them unscored."""
    home = tmp_path / "home"
    warehouse = built.copy(home)
    day = LATEST_LABELLED
    with warehouse.connect() as conn:
        for i, at in enumerate((day - timedelta(days=40), day - timedelta(days=10))):
            conn.execute(
                "INSERT INTO SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS (event_id, subscriber_id, event_type, "
                "event_timestamp, plan, payment_amount, payment_status, is_valid, source_load_seq, loaded_at, "
                "staged_at) VALUES (:id, 'sub-payonly', 'payment', :at, 'premium', 14.99, 'succeeded', TRUE, "
                "10000000, now(), now())",
                {"id": f"payonly-{i}", "at": datetime.combine(at, datetime.min.time())},
            )
        profile = conn.query(
            f"WITH p AS ({render_model('models/marts/subscriber_profiles.sql')}) "
            "SELECT status, tenure_days FROM p WHERE subscriber_id = 'sub-payonly'",
            {"as_of": day},
        )
    assert profile == [{"status": "active", "tenure_days": 40}]
    scored = scoring_rows(warehouse, home, day)
    assert scored["sub-payonly"]["subscription_tenure_days"] == 40  # from the first event, as the profile says
    assert scored["sub-payonly"]["plan"] == "premium"
    with warehouse.connect() as conn:  # and a cancel ends it on both sides
        conn.execute(
            "INSERT INTO SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS (event_id, subscriber_id, event_type, event_timestamp, "
            "is_valid, source_load_seq, loaded_at, staged_at) VALUES ('payonly-x', 'sub-payonly', 'cancel', :at, "
            "TRUE, 10000001, now(), now())",
            {"at": datetime.combine(day, datetime.min.time())},
        )
    assert "sub-payonly" not in scoring_rows(warehouse, home, day)
