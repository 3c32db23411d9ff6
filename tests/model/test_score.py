"""Scoring: probabilities, tiers, drivers that add up, history that replaces a re-scored day, monitoring."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from c360.model import registry
from c360.model.artifact import load
from c360.model.drivers import TreeExplainer
from c360.model.features import FEATURE_NAMES, matrix, read_scoring_features
from c360.settings import Settings
from c360.warehouse import DuckDBConnection, Warehouse
from tests.conftest import run_cli
from tests.model.conftest import AS_OF, Built

pytestmark = pytest.mark.slow  # needs the trained model (a training run per session and worker)

SCORES = "SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES"


def query(warehouse: Warehouse, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    with warehouse.connect() as conn:
        return conn.query(sql, params)


def scores_of(warehouse: Warehouse, day: object = AS_OF) -> list[dict[str, Any]]:
    return query(warehouse, f"SELECT * FROM {SCORES} WHERE score_date = :d ORDER BY subscriber_id", {"d": day})


def test_every_active_subscriber_gets_a_probability_and_the_tier_of_its_thresholds(
    trained: Built, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = trained.copy(home)
    monkeypatch.setenv("C360_RISK_TIER_HIGH", "0.2")
    monkeypatch.setenv("C360_RISK_TIER_MEDIUM", "0.05")
    result = run_cli("score", "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    rows = scores_of(warehouse)
    features = query(
        warehouse,
        "SELECT subscriber_id FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES WHERE snapshot_date = :d",
        {"d": AS_OF},
    )
    active = query(warehouse, "SELECT subscriber_id FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS WHERE status = 'active'")
    assert (
        {r["subscriber_id"] for r in rows}
        == {r["subscriber_id"] for r in features}
        == {r["subscriber_id"] for r in active}
    )
    current = query(
        warehouse, "SELECT model_version FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY WHERE status = 'current'"
    )
    for r in rows:
        assert 0.0 <= r["churn_risk_score"] <= 1.0
        p = r["churn_risk_score"]
        assert r["risk_tier"] == ("High" if p >= 0.2 else "Medium" if p >= 0.05 else "Low")
        assert r["model_version"] == current[0]["model_version"]
    assert {r["risk_tier"] for r in rows} == {"High", "Medium", "Low"}
    mean = sum(r["churn_risk_score"] for r in rows) / len(rows)
    assert 0.02 < mean < 0.07  # calibrated: about the ~3.7 % who cancel within 30 days
    assert f"scored {len(rows):,} subscribers as of {AS_OF}" in result.stdout


def test_scoring_a_day_again_replaces_it(trained: Built, home: Path) -> None:
    warehouse = trained.copy(home)
    earlier = AS_OF - timedelta(days=3)
    assert run_cli("score", "--as-of", earlier.isoformat()).returncode == 0
    first = scores_of(warehouse)
    assert run_cli("score", "--as-of", AS_OF.isoformat()).returncode == 0
    second = scores_of(warehouse)
    assert len(second) == len(first)
    assert len({r["subscriber_id"] for r in second}) == len(second)
    assert len({r["run_id"] for r in second}) == 1 and second[0]["run_id"] != first[0]["run_id"]
    assert [r["churn_risk_score"] for r in second] == [r["churn_risk_score"] for r in first]  # same data, same score
    assert scores_of(warehouse, earlier)  # the other day's history is untouched
    monitor = query(
        warehouse,
        "SELECT DISTINCT run_id FROM SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR WHERE score_date = :d",
        {"d": AS_OF},
    )
    assert [m["run_id"] for m in monitor] == [second[0]["run_id"]]


def test_drivers_add_up_with_the_base_value_to_the_score(
    trained: Built, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = trained.copy(home)
    monkeypatch.setenv("C360_MODEL_MAX_DRIVERS", "16")  # every feature: the complete SHAP decomposition
    assert run_cli("score", "--as-of", AS_OF.isoformat()).returncode == 0
    with warehouse.connect() as conn:
        entry = registry.require_current(conn)
    model = load(home / str(entry.artifact_uri), entry.artifact_sha256)
    base = model.calibration.slope * model.explainer.base_value + model.calibration.intercept
    for row in scores_of(warehouse):
        drivers = json.loads(row["drivers"])
        contributions = [d["contribution"] for d in drivers]
        logit = math.log(row["churn_risk_score"] / (1 - row["churn_risk_score"]))
        assert base + sum(contributions) == pytest.approx(logit, abs=16 * 5e-5)  # 4-decimal rounding
        assert [abs(c) for c in contributions] == sorted((abs(c) for c in contributions), reverse=True)
        for d in drivers:
            assert d["feature"] in FEATURE_NAMES
            assert d["direction"] == ("increases_risk" if d["contribution"] > 0 else "decreases_risk")


def test_top_drivers_carry_the_subscribers_values(trained: Built) -> None:
    warehouse = Warehouse.from_settings(Settings(home=trained.home))
    with warehouse.connect() as conn:
        assert isinstance(conn, DuckDBConnection)
        features = read_scoring_features(conn, AS_OF)
    by_id = {s: i for i, s in enumerate(features.subscriber_id)}
    for row in scores_of(warehouse)[:200]:
        drivers = json.loads(row["drivers"])
        assert 1 <= len(drivers) <= 5
        for d in drivers:
            expected = features.columns[d["feature"]][by_id[row["subscriber_id"]]]
            assert d["value"] == (expected if isinstance(expected, str) else pytest.approx(float(expected), abs=1e-4))


def test_fast_shap_values_are_lightgbms_own(trained: Built) -> None:
    warehouse = Warehouse.from_settings(Settings(home=trained.home))
    with warehouse.connect() as conn:
        assert isinstance(conn, DuckDBConnection)
        entry = registry.require_current(conn)
        features = read_scoring_features(conn, AS_OF)
    model = load(trained.home / str(entry.artifact_uri), entry.artifact_sha256)
    x = matrix(features, model.categories)
    x[::7, FEATURE_NAMES.index("plan")] = -1  # a plan training never saw
    x[::5, FEATURE_NAMES.index("days_since_last_read")] = 0.0
    reference = np.asarray(model.booster.predict(x, pred_contrib=True))
    assert isinstance(model.explainer, TreeExplainer)  # the normal model passes the parity check at load
    ours = model.explainer.shap_values(x)
    assert np.abs(ours - reference[:, :-1]).max() < 1e-9
    assert model.explainer.base_value == pytest.approx(reference[0, -1], abs=1e-9)


def test_monitoring_rows_of_a_run(trained: Built) -> None:
    warehouse = Warehouse.from_settings(Settings(home=trained.home))
    rows = query(
        warehouse,
        "SELECT metric, name, value FROM SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR WHERE score_date = :d",
        {"d": AS_OF},
    )
    by_metric: dict[str, dict[str, float]] = {}
    for r in rows:
        by_metric.setdefault(r["metric"], {})[r["name"]] = r["value"]
    scored = len(scores_of(warehouse))
    assert by_metric["rows"]["scored"] == scored
    assert set(by_metric["psi"]) == set(FEATURE_NAMES)
    assert all(v >= 0 for v in by_metric["psi"].values())
    assert sum(by_metric["tier_count"].values()) == scored
    assert sum(by_metric["tier_share"].values()) == pytest.approx(1.0)
    quantiles = [by_metric["score_quantile"][q] for q in ("p01", "p10", "p25", "p50", "p75", "p90", "p99")]
    assert quantiles == sorted(quantiles) and quantiles[0] >= 0 and quantiles[-1] <= 1


def test_scoring_without_a_current_model_says_so(built: Built, home: Path) -> None:
    built.copy(home)
    result = run_cli("score", "--as-of", AS_OF.isoformat())
    assert result.returncode == 1
    assert "no current churn model (none trained yet); train one with `c360 train`" in result.stderr


def test_a_malformed_as_of_is_refused(trained: Built, home: Path) -> None:
    trained.copy(home)
    result = run_cli("score", "--as-of", "2026-13-01")
    assert result.returncode == 2
    assert "invalid --as-of '2026-13-01': expected a date as YYYY-MM-DD" in result.stderr


def test_a_changed_artifact_is_refused(trained: Built, home: Path) -> None:
    warehouse = trained.copy(home)
    with warehouse.connect() as conn:
        entry = registry.require_current(conn)
        conn.execute(
            "UPDATE SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY SET artifact_uri = :uri WHERE status = 'current'",
            {"uri": "models/tampered/model.json"},
        )
    tampered = home / "models" / "tampered" / "model.json"
    tampered.parent.mkdir(parents=True)
    tampered.write_bytes((home / str(entry.artifact_uri)).read_bytes().replace(b'"slope": ', b'"slope": 2'))
    result = run_cli("score", "--as-of", AS_OF.isoformat())
    assert result.returncode == 1
    assert "the file changed after training" in result.stderr


def test_psi_is_near_zero_for_the_training_population_and_flags_a_shift(trained: Built) -> None:
    from dataclasses import replace

    from c360.model import monitor
    from c360.model.features import read_training_set

    warehouse = Warehouse.from_settings(Settings(home=trained.home))
    with warehouse.connect() as conn:
        assert isinstance(conn, DuckDBConnection)
        rows = read_training_set(conn)
    reference = monitor.reference_bins(rows)
    assert max(monitor.drift(reference, rows).values()) < 1e-9
    lapsed = {**rows.columns, "days_since_last_read": rows.columns["days_since_last_read"] + 20}
    lapsed["plan"] = np.where(np.arange(len(rows)) % 2 == 0, "trial", rows.columns["plan"])  # an unseen plan
    shifted = monitor.drift(reference, replace(rows, columns=lapsed))
    assert shifted["days_since_last_read"] > monitor.PSI_SHIFT
    assert shifted["plan"] > monitor.PSI_SHIFT
    assert shifted["engagement_score"] < 1e-9


# the feature set before the recency features: a model trained then must still score after the upgrade
FEATURES_OF_2026_11 = [
    "engagement_score",
    "reads_per_day_30d",
    "engagement_trend",
    "days_since_last_read",
    "support_tickets_count",
    "support_tickets_30d",
    "cancellation_tickets_30d",
    "subscription_tenure_days",
    "failed_payments_30d",
    "downgrades_90d",
    "plan",
    "acquisition_channel",
]


def test_a_model_of_an_earlier_feature_set_still_scores(trained: Built, home: Path) -> None:
    from dataclasses import replace

    from c360.model.artifact import save
    from c360.model.features import read_training_set
    from c360.model.train import fit, utcnow

    warehouse = trained.copy(home)
    with warehouse.connect() as conn:
        assert isinstance(conn, DuckDBConnection)
        old = fit(
            read_training_set(conn), trained_at=utcnow(), threads=1, high_threshold=0.3, features=FEATURES_OF_2026_11
        )
        path, digest = save(old.model, home / "models")
        current = registry.require_current(conn)
        entry = replace(
            current,
            model_version=old.model.version,
            trained_at=utcnow(),
            features=old.model.features,
            artifact_uri=path.relative_to(home).as_posix(),
            artifact_sha256=digest,
        )
        registry.record(conn, entry, old.importance)
    assert len(old.model.features) == 12 < len(FEATURE_NAMES)
    result = run_cli("score", "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    assert old.model.version in result.stdout
    named = {d["feature"] for row in scores_of(warehouse) for d in json.loads(row["drivers"])}
    assert named and named <= set(FEATURES_OF_2026_11)
