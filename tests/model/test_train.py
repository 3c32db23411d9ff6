"""Training: the registry row, the artifact, determinism, the deploy gate and unusable training sets."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from c360.model import registry
from c360.model.errors import TrainingDataError
from c360.model.features import FEATURE_NAMES, read_training_set
from c360.model.train import fit, utcnow
from c360.settings import Settings
from c360.warehouse import DuckDBConnection, Warehouse
from tests.conftest import run_cli
from tests.model.conftest import AS_OF, Built

pytestmark = pytest.mark.slow  # trains models: tens of seconds each


def entries(warehouse: Warehouse) -> list[dict[str, object]]:
    with warehouse.connect() as conn:
        return conn.query(
            "SELECT model_version, status, metrics, message FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY "
            "ORDER BY trained_at, model_version"
        )


def test_trained_model_is_registered_with_its_metrics_windows_and_checksum(trained: Built) -> None:
    warehouse = Warehouse.from_settings(Settings(home=trained.home))
    with warehouse.connect() as conn:
        entry = registry.current(conn)
    assert entry is not None and entry.status == "current" and entry.algorithm == "lightgbm+platt"
    assert entry.model_version.startswith("churn-gbm-")
    assert entry.features == list(FEATURE_NAMES)
    assert entry.train_rows > entry.test_rows > 0
    assert entry.data_window_start < entry.test_window_start <= entry.data_window_end == AS_OF - timedelta(days=35)
    assert {"roc_auc", "pr_auc", "brier", "precision_at_high", "recall_at_high"} <= set(entry.metrics)
    assert entry.metrics["roc_auc"] > 0.80 and 0 < entry.metrics["brier"] < 0.1
    artifact = trained.home / str(entry.artifact_uri)
    assert hashlib.sha256(artifact.read_bytes()).hexdigest() == entry.artifact_sha256
    assert json.loads(artifact.read_bytes())["version"] == entry.model_version


def test_same_data_trains_the_same_model(trained: Built) -> None:
    warehouse = Warehouse.from_settings(Settings(home=trained.home))
    with warehouse.connect() as conn:
        assert isinstance(conn, DuckDBConnection)
        rows = read_training_set(conn)
    first = fit(rows, trained_at=utcnow(), threads=1, high_threshold=0.3)
    second = fit(rows, trained_at=utcnow(), threads=1, high_threshold=0.3)
    assert first.metrics == second.metrics
    assert first.model.booster_text == second.model.booster_text
    assert first.model.calibration == second.model.calibration


def test_a_single_class_is_refused_with_a_clear_message(trained: Built) -> None:
    warehouse = Warehouse.from_settings(Settings(home=trained.home))
    with warehouse.connect() as conn:
        assert isinstance(conn, DuckDBConnection)
        rows = read_training_set(conn)
    assert rows.churned is not None
    nobody_left = replace(rows, churned=np.zeros(len(rows), dtype=bool))
    with pytest.raises(TrainingDataError, match=r"0 cancellations .* needs both classes"):
        fit(nobody_left, trained_at=utcnow(), threads=1, high_threshold=0.3)


def test_too_little_history_is_refused_up_front_naming_the_loaded_range(built: Built, home: Path) -> None:
    warehouse = built.copy(home)
    with warehouse.connect() as conn:
        first, last = conn.query(
            "SELECT MIN(activity_date) AS a, MAX(activity_date) AS b FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY"
        )[0].values()
    # 98 days into the data: five weekly snapshots between day 29 and as_of - 35; the purged split needs six
    early = first + timedelta(days=98)
    result = run_cli("train", "--as-of", early.isoformat())
    assert result.returncode == 2, result.stderr
    assert f"training as of {early} needs 6 labelled weekly snapshots" in result.stderr
    assert f"{first} to {last}" in result.stderr and "4 purged" in result.stderr
    assert not entries(warehouse)  # nothing was built or trained
    with warehouse.connect() as conn:
        assert conn.scalar("SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING") == 0


def test_the_split_purges_exactly_the_snapshots_whose_labels_overlap_the_test_snapshot(trained: Built) -> None:
    warehouse = Warehouse.from_settings(Settings(home=trained.home))
    with warehouse.connect() as conn:
        by_date = conn.query(
            "SELECT snapshot_date, MIN(split) AS split, COUNT(DISTINCT split) AS splits "
            "FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING GROUP BY snapshot_date ORDER BY snapshot_date"
        )
        entry = registry.current(conn)
    assert all(row["splits"] == 1 for row in by_date)  # a date is wholly on one side
    splits = {row["snapshot_date"]: row["split"] for row in by_date}
    test_start = min(d for d, s in splits.items() if s == "test")
    overlapping = {d for d in splits if d < test_start and d + timedelta(days=30) > test_start}
    assert {d for d, s in splits.items() if s == "purged"} == overlapping
    assert len(overlapping) == 4  # the four weekly snapshots before the test date
    assert {d for d, s in splits.items() if s == "train"} == {d for d in splits if d + timedelta(days=30) <= test_start}
    train_dates = sum(s == "train" for s in splits.values())
    test_dates = sum(s == "test" for s in splits.values())
    assert (train_dates, test_dates) == (5, 1)  # ten dates: 5 + 1 after the purge, the closest to 80/20
    assert entry is not None and "split: 5 training / 1 test snapshot dates (83/17), 4 purged" in entry.message
    # no test cancellation is also a training label: every training label window closed by the test date
    assert max(d for d, s in splits.items() if s == "train") + timedelta(days=30) <= test_start


def test_gate_rejects_a_model_trained_on_noise_and_the_current_model_stays(trained: Built, home: Path) -> None:
    warehouse = trained.copy(home)
    current_before = [e for e in entries(warehouse) if e["status"] == "current"]
    assert len(current_before) == 1
    # labels become noise: the real cancels vanish, and a random 4 % of subscribers "cancel" on random days
    with warehouse.connect() as conn:
        conn.execute("UPDATE SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS SET is_valid = FALSE WHERE event_type = 'cancel'")
        conn.execute(
            "INSERT INTO SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS (event_id, subscriber_id, event_type, event_timestamp, "
            "plan, is_valid, source_load_seq, loaded_at, staged_at) "
            "SELECT 'noise-' || subscriber_id, subscriber_id, 'cancel', "
            "DATEADD(minute, ABS(HASH(subscriber_id, 'minute')) % (60 * 24 * 80), '2026-09-05'::TIMESTAMP_NTZ), "
            "plan, TRUE, 10000000, CURRENT_TIMESTAMP(), CURRENT_TIMESTAMP() "
            "FROM SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER WHERE ABS(HASH(subscriber_id)) % 100 < 4"
        )
    result = run_cli("train", "--as-of", AS_OF.isoformat())
    assert result.returncode == 3, result.stderr
    assert "is not above the deploy gate 0.80" in result.stdout and ": rejected" in result.stdout
    assert f"{current_before[0]['model_version']} stays current" in result.stdout
    after = entries(warehouse)
    rejected = after[-1]
    assert rejected["status"] == "rejected"
    assert json.loads(str(rejected["metrics"]))["roc_auc"] < 0.7  # recorded with its metrics
    assert [e["model_version"] for e in after if e["status"] == "current"] == [current_before[0]["model_version"]]
    # and scoring goes on with the model that stayed
    scored = run_cli("score", "--as-of", AS_OF.isoformat())
    assert scored.returncode == 0, scored.stderr
    assert str(current_before[0]["model_version"]) in scored.stdout


def test_a_better_model_replaces_the_current_one(trained: Built, home: Path) -> None:
    warehouse = trained.copy(home)
    result = run_cli("train", "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    statuses = [e["status"] for e in entries(warehouse)]
    assert statuses == ["retired", "current"]
    with warehouse.connect() as conn:
        entry = registry.current(conn)
    assert entry is not None and f"replaces {entries(warehouse)[0]['model_version']}" in entry.message


@pytest.mark.parametrize(
    ("days", "first_offset", "snapshots"),
    [
        (100, 29, 6),  # the minimum: 1 to train on, 4 purged, 1 to test on
        (130, 29, 10),  # the tests' data: 90-day windows would leave too few snapshots
        (184, 89, 9),  # `c360 generate`'s default: full 90-day windows, 4 / 4 / 1 (80/20)
        (400, 189, 26),  # a long history: the latest 26 weekly snapshots
    ],
)
def test_training_window_starts_where_every_feature_window_is_full_when_it_can(
    days: int, first_offset: int, snapshots: int
) -> None:
    from c360.model.history import training_window

    first_day = AS_OF - timedelta(days=days - 1)
    window = training_window(first_day, AS_OF)
    assert window.last_snapshot == AS_OF - timedelta(days=35) and window.snapshots == snapshots
    assert (window.first_snapshot - first_day).days >= first_offset
    assert (window.first_snapshot - first_day).days < first_offset + 7
