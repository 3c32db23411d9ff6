"""Backtests: a past day against what followed, the oracle beside it, and the days that cannot be backtested."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from c360.model.backtest import run_backtest
from c360.model.errors import BacktestError
from c360.settings import Settings
from c360.warehouse import Warehouse
from tests.conftest import run_cli
from tests.model.conftest import AS_OF, LATEST_LABELLED, Built


def test_backtest_of_the_test_snapshot_with_the_oracle(trained: Built, tmp_path: Path) -> None:
    settings = Settings(home=trained.home)
    result = run_backtest(
        Warehouse.from_settings(settings),
        as_of=LATEST_LABELLED,
        settings=settings,
        ground_truth=trained.sources / "ground_truth.parquet",
        plot=tmp_path / "calibration.png",
    )
    assert result.sample == "out-of-sample"  # the model's test date: its outcomes were never trained on
    assert result.rows == result.oracle_rows > 1000
    assert 0 < result.positives < result.rows
    assert result.oracle_auc is not None and result.oracle_ratio is not None
    assert 0.80 < result.metrics["roc_auc"] <= 1 and 0.80 < result.oracle_auc <= 1
    assert result.oracle_ratio > 0.9
    assert 0 < result.metrics["brier"] < 0.1 and 0 < result.metrics["pr_auc"] < 1
    assert [d.decile for d in result.deciles] == list(range(1, 11))
    assert sum(d.rows for d in result.deciles) == result.rows
    predicted = [d.predicted for d in result.deciles]
    assert predicted == sorted(predicted)
    observed_rate = sum(d.observed * d.rows for d in result.deciles) / result.rows
    assert observed_rate == pytest.approx(result.metrics["base_rate"])
    assert (tmp_path / "calibration.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_backtest_cli_prints_metrics_and_deciles(trained: Built, home: Path) -> None:
    trained.copy(home)
    plot = home / "plot.png"
    truth = str(trained.sources / "ground_truth.parquet")
    result = run_cli("backtest", "--as-of", str(LATEST_LABELLED), "--ground-truth", truth, "--plot", str(plot))
    assert result.returncode == 0, result.stderr
    for text in ("ROC AUC", "PR AUC", "Brier score", "model / oracle (same rows)", "calibration by decile"):
        assert text in result.stdout
    assert plot.exists()


def test_a_day_without_a_following_30_day_window_is_refused(trained: Built, home: Path) -> None:
    trained.copy(home)
    result = run_cli("backtest", "--as-of", str(AS_OF - timedelta(days=10)))
    assert result.returncode == 1
    assert f"the warehouse holds data up to {AS_OF}, so the latest day a backtest can score is" in result.stderr


def test_ground_truth_without_that_day_is_refused(trained: Built, tmp_path: Path) -> None:
    settings = Settings(home=trained.home)
    with pytest.raises(BacktestError, match=r"has no snapshot on .*; its snapshots are"):
        run_backtest(
            Warehouse.from_settings(settings),
            as_of=LATEST_LABELLED - timedelta(days=3),
            settings=settings,
            ground_truth=trained.sources / "ground_truth.parquet",
            plot=tmp_path / "p.png",
        )


def test_metrics_agree_with_scikit_learn() -> None:
    import numpy as np
    from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

    from c360.model.metrics import classification_metrics

    rng = np.random.default_rng(0)
    p = np.round(rng.random(5000) ** 3, 2)  # many ties
    y = rng.random(5000) < p
    ours = classification_metrics(y, p, 0.3)
    assert ours["roc_auc"] == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert ours["pr_auc"] == pytest.approx(average_precision_score(y, p), abs=1e-12)
    assert ours["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    assert ours["precision_at_high"] == pytest.approx(y[p >= 0.3].mean())
