"""Walk-forward backtests: only a model trained by the day scores it out of sample; series, oracle, plots."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from c360.model.backtest import run_backtest
from c360.model.errors import BacktestError
from c360.settings import Settings
from c360.warehouse import Warehouse
from tests.conftest import run_cli
from tests.model.conftest import AS_OF, LATEST_LABELLED, Built

pytestmark = pytest.mark.slow  # trains and scores walk-forward models

REGISTRY = "SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY"


def _register_copy(warehouse: Warehouse, version: str, as_of_date: date, hours_later: int) -> None:
    """A registry row for the current model's artifact, as if trained as of ``as_of_date``."""
    with warehouse.connect() as conn:
        conn.execute(
            f"INSERT INTO {REGISTRY} SELECT :v, DATEADD(hour, :h, trained_at), 'retired', algorithm, :as_of, "
            "data_window_start, data_window_end, test_window_start, features, train_rows, test_rows, metrics, "
            f"artifact_uri, artifact_sha256, message, run_id FROM {REGISTRY} WHERE status = 'current'",
            {"v": version, "h": hours_later, "as_of": as_of_date},
        )


def test_a_model_trained_after_the_day_is_never_used(trained: Built, home: Path) -> None:
    warehouse = trained.copy(home)
    settings = Settings(home=home)
    day = LATEST_LABELLED
    # the current model was trained as of AS_OF, after the day: alone, it can only score in sample
    alone = run_backtest(warehouse, as_of=day, settings=settings, ground_truth=None)
    assert not alone.out_of_sample and alone.sample == "in-sample"
    assert "no registered model was trained on data up to" in alone.model_note
    # a model trained as of the day before, and a newer one trained as of the day after
    _register_copy(warehouse, "churn-before", day - timedelta(days=1), hours_later=1)
    _register_copy(warehouse, "churn-after", day + timedelta(days=1), hours_later=2)
    result = run_backtest(warehouse, as_of=day, settings=settings, ground_truth=None)
    assert result.model_version == "churn-before" and result.out_of_sample
    assert f"trained on data up to {day - timedelta(days=1)}" in result.model_note
    # the day after, the newer one is the newest trained by then
    later = run_backtest(warehouse, as_of=day + timedelta(days=1), settings=settings, ground_truth=None)
    assert later.model_version == "churn-after" and later.out_of_sample


def test_train_as_of_the_day_is_out_of_sample_and_registers_nothing(trained: Built, home: Path) -> None:
    warehouse = trained.copy(home)
    with warehouse.connect() as conn:
        before = conn.query(f"SELECT model_version FROM {REGISTRY}")
        training_rows = conn.scalar("SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING")
    day = AS_OF - timedelta(days=30)  # the latest day with a full window; 100 days into the data
    result = run_backtest(warehouse, as_of=day, settings=Settings(home=home), ground_truth=None, train=True)
    assert result.out_of_sample and "for this backtest (not registered)" in result.model_note
    assert result.model_version not in {row["model_version"] for row in before}
    assert 0.5 < result.metrics["roc_auc"] <= 1
    with warehouse.connect() as conn:
        assert conn.query(f"SELECT model_version FROM {REGISTRY}") == before
        assert conn.scalar("SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING") == training_rows


def test_walk_forward_series_as_json_with_the_oracle_and_plots(trained: Built, home: Path) -> None:
    trained.copy(home)
    truth = str(trained.sources / "ground_truth.parquet")
    first = LATEST_LABELLED - timedelta(days=14)
    plots = home / "plots"
    args = ["--from", str(first), "--to", str(LATEST_LABELLED), "--every", "7d", "--ground-truth", truth]
    result = run_cli("backtest", *args, "--json", "--plot", str(plots))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    series = document["backtests"]
    assert [b["as_of"] for b in series] == [str(first + timedelta(days=7 * k)) for k in range(3)]
    for b in series:
        assert b["out_of_sample"] is False  # the only model was trained after these days
        m = b["metrics"]
        assert {"roc_auc", "pr_auc", "brier", "calibration_error", "top_decile_lift", "precision_at_high"} <= set(m)
        assert 0.7 < m["roc_auc"] <= 1 and m["top_decile_lift"] > 1
        assert b["oracle"]["rows"] == b["rows"] and 0.7 < b["oracle"]["model_over_oracle"] <= 1.05
    names = sorted(Path(p).name for p in document["plots"])
    assert names == sorted(
        [
            f"backtest-{LATEST_LABELLED}-gains.png",
            f"backtest-{LATEST_LABELLED}-reliability.png",
            f"backtest-{LATEST_LABELLED}-shap.png",
            f"psi-{first}_{LATEST_LABELLED}.png",
            f"walk-forward-{first}_{LATEST_LABELLED}.png",
        ]
    )
    assert all((plots / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for name in names)
    table = run_cli("backtest", *args)
    assert table.returncode == 0, table.stderr
    assert "walk-forward backtest" in table.stdout and "lift@10%" in table.stdout


def test_backtest_cli_prints_metrics_and_deciles(trained: Built, home: Path) -> None:
    trained.copy(home)
    truth = str(trained.sources / "ground_truth.parquet")
    result = run_cli("backtest", "--as-of", str(LATEST_LABELLED), "--ground-truth", truth)
    assert result.returncode == 0, result.stderr
    for text in ("ROC AUC", "PR AUC", "Brier score", "calibration error", "top-decile lift", "model / oracle"):
        assert text in result.stdout
    assert "out_of_sample: false" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2026-10-01", "--from", "2026-10-01"], "give either --as-of or --from/--to"),
        (["--from", "2026-10-01"], "give --as-of DAY, or --from DAY and --to DAY"),
        (["--from", "2026-10-01", "--to", "2026-10-08", "--every", "weekly"], "invalid --every 'weekly'"),
    ],
)
def test_bad_backtest_options_are_usage_errors(home: Path, args: list[str], message: str) -> None:
    result = run_cli("backtest", *args)
    assert result.returncode == 2 and message in result.stderr


def test_days_a_backtest_cannot_use_are_refused_up_front(trained: Built, home: Path) -> None:
    trained.copy(home)
    late = AS_OF - timedelta(days=10)
    result = run_cli("backtest", "--as-of", str(late))
    assert result.returncode == 2  # a usage error, nothing run
    assert f"--as-of {late}: the 30 days after it are not all loaded" in result.stderr
    assert f"choose a day up to {AS_OF - timedelta(days=30)}" in result.stderr
    ancient = run_cli("backtest", "--as-of", "1999-01-01")
    assert ancient.returncode == 2 and "--as-of 1999-01-01 is before" in ancient.stderr


def test_ground_truth_without_that_day_is_refused(trained: Built) -> None:
    settings = Settings(home=trained.home)
    with pytest.raises(BacktestError, match=r"has no snapshot on .*; its snapshots are"):
        run_backtest(
            Warehouse.from_settings(settings),
            as_of=LATEST_LABELLED - timedelta(days=3),
            settings=settings,
            ground_truth=trained.sources / "ground_truth.parquet",
        )


def test_metrics_agree_with_scikit_learn() -> None:
    from sklearn.calibration import calibration_curve
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
    # calibration error: deciles of 500 rows each, |mean predicted - observed| averaged (scikit-learn's
    # quantile bins cut the same rows when no tie straddles a cut; here the scores are distinct)
    q = rng.random(5000)
    z = rng.random(5000) < q
    observed, predicted = calibration_curve(z, q, n_bins=10, strategy="quantile")
    assert classification_metrics(z, q, 0.3)["calibration_error"] == pytest.approx(
        np.mean(np.abs(observed - predicted)), abs=1e-12
    )
    top = np.argsort(-q)[:500]
    assert classification_metrics(z, q, 0.3)["top_decile_lift"] == pytest.approx(z[top].mean() / z.mean())
