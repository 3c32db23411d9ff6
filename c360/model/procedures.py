"""The DuckDB implementations of the Snowflake ML procedures (``-- c360:duckdb-native NAME`` in R__procedures.sql).

``native_procedures(settings)`` is the registry the runtime looks ``NAME`` up in; it calls them as
``function(conn, *args)`` with the procedure's arguments, for ``CALL`` from a task, ``c360 pipeline run``,
``c360 train`` and ``c360 score`` alike. NULL arguments take the settings they were registered with
(``C360_MODEL_MIN_TEST_AUC``, ``C360_RISK_TIER_HIGH``, ``C360_RISK_TIER_MEDIUM``), as the Snowflake
bodies take their documented defaults.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from c360.model import registry
from c360.settings import Settings
from c360.warehouse import DuckDBConnection, call
from pipeline_sql.runtime import NativeProcedures

BUILD_TRAINING_SET = "SFE_ANALYTICS_MEDIA.SFE_BUILD_TRAINING_SET"
MODELS_DIR = "models"  # under C360_HOME: models/<model_version>/model.json


def native_procedures(settings: Settings) -> NativeProcedures:
    """The native procedures by the name R__procedures.sql marks them with, bound to ``settings``."""
    return {
        "train_churn_classifier": partial(train_churn_classifier, settings=settings),
        "score_churn": partial(score_churn, settings=settings),
    }


def train_churn_classifier(
    conn: DuckDBConnection,
    as_of: date,
    run_id: str,
    min_test_auc: float | None = None,
    tier_high: float | None = None,
    *,
    settings: Settings,
) -> str:
    """SFE_TRAIN_CHURN_CLASSIFIER: training set, LightGBM + Platt, test metrics, the deploy gate (gate.py)."""
    from c360.model import gate
    from c360.model.artifact import load, save
    from c360.model.features import read_training_set
    from c360.model.history import require_history
    from c360.model.train import ALGORITHM, fit, utcnow

    limits = gate.Limits(
        min_test_auc=settings.model_min_test_auc if min_test_auc is None else float(min_test_auc),
        max_calibration_error=settings.model_max_calibration_error,
        bootstrap=settings.model_gate_bootstrap,
    )
    high = settings.risk_tier_high if tier_high is None else float(tier_high)
    require_history(conn, as_of)  # before any work: a clear message naming the loaded range
    call(conn, BUILD_TRAINING_SET, [as_of, run_id])
    trained_at = utcnow()
    trained = fit(read_training_set(conn), trained_at=trained_at, threads=settings.model_threads, high_threshold=high)
    path, digest = save(trained.model, settings.home / MODELS_DIR)
    previous = registry.current(conn)
    current_model = None
    if previous is not None and previous.artifact_uri:
        current_model = load(registry.artifact_path(previous, settings.home), previous.artifact_sha256)
    decision = gate.decide(trained, current_model, limits)
    message = f"{decision.message(previous.model_version if previous else None)}; split: {trained.split.describe()}"
    entry = registry.Entry(
        model_version=trained.model.version,
        trained_at=trained_at,
        status="current" if decision.accepted else "rejected",
        algorithm=ALGORITHM,
        as_of_date=as_of,
        data_window_start=trained.train_start,
        data_window_end=trained.test_end,
        test_window_start=trained.test_start,
        features=trained.model.features,
        train_rows=trained.train_rows,
        test_rows=trained.test_rows,
        metrics={**trained.metrics, "baseline_roc_auc": trained.baseline_auc},
        artifact_uri=path.relative_to(settings.home).as_posix(),
        artifact_sha256=digest,
        message=message,
        run_id=run_id,
    )
    registry.record(conn, entry, trained.importance, on_record=lambda: gate.record(conn, entry.model_version, decision))
    return f"{entry.model_version}: {entry.message}"


def score_churn(
    conn: DuckDBConnection,
    as_of: date,
    run_id: str,
    tier_high: float | None = None,
    tier_medium: float | None = None,
    *,
    settings: Settings,
) -> str:
    """SFE_SCORE_CHURN: the day's features, scores, tiers, drivers and monitoring."""
    from c360.model.score import score_day  # no LightGBM or scikit-learn import on the scoring path

    high = settings.risk_tier_high if tier_high is None else float(tier_high)
    medium = settings.risk_tier_medium if tier_medium is None else float(tier_medium)
    scored = score_day(
        conn,
        home=settings.home,
        score_date=as_of,
        run_id=run_id,
        high=high,
        medium=medium,
        max_drivers=settings.model_max_drivers,
    )
    return scored.describe()
