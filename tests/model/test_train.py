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
from tests.model.conftest import AS_OF, Built, using_home


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


def test_too_little_history_is_refused_with_a_clear_message(built: Built, home: Path) -> None:
    built.copy(home)
    # 48 days into the data there is only one labelled weekly snapshot
    early = AS_OF - timedelta(days=41)
    result = run_cli("train", "--as-of", early.isoformat())
    assert result.returncode == 2  # refused up front: a usage error, nothing written
    assert f"--as-of {early} is before" in result.stderr and "days of history a train needs" in result.stderr
    assert "choose a day from" in result.stderr


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
    assert "is not above the deploy gate 0.80: rejected" in result.stdout
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
    with using_home(home), warehouse.connect() as conn:
        entry = registry.current(conn)
    assert entry is not None and f"replaces {entries(warehouse)[0]['model_version']}" in entry.message
