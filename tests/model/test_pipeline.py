"""`c360 pipeline run` trains when no model is current, scores, monitors, then publishes; later runs only score."""

from __future__ import annotations

from pathlib import Path

import pytest

from c360.pipeline.run import run_pipeline
from c360.serving.migrate import upgrade
from tests.model.conftest import AS_OF, Built

pytestmark = pytest.mark.slow  # trains a model inside a whole pipeline run


def test_pipeline_run_trains_when_no_model_is_current_then_scores_monitors_and_publishes(
    built: Built, home: Path
) -> None:
    warehouse = built.copy(home)
    upgrade(warehouse.settings)
    first = run_pipeline(warehouse, as_of=AS_OF)
    second = run_pipeline(warehouse, as_of=AS_OF)
    steps = {s.task: s for s in first.steps}
    assert steps["sfe_weekly_training_task"].status == "ran"
    assert "deployed, the first current model" in steps["sfe_weekly_training_task"].detail
    scoring = steps["sfe_daily_churn_scoring_task"]
    assert scoring.status == "ran" and "scored" in scoring.detail and "High" in scoring.detail
    monitoring = steps["sfe_daily_model_monitor_task"]
    assert monitoring.status == "ran" and f"model monitored as of {AS_OF}" in monitoring.detail
    assert first.published is not None and first.published.status == "published"
    assert first.published.run_id == first.run_id
    with warehouse.connect() as conn:
        version = conn.scalar(
            "SELECT model_version FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY WHERE status = 'current'"
        )
        runs = conn.query(
            "SELECT run_id, COUNT(*) AS n FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES GROUP BY run_id"
        )
    again = {s.task: s for s in second.steps}
    assert again["sfe_weekly_training_task"].status == "skipped"
    assert again["sfe_weekly_training_task"].detail == f"{version} is current (the weekly task retrains)"
    assert again["sfe_daily_churn_scoring_task"].status == "ran"
    assert [r["run_id"] for r in runs] == [second.run_id]  # the re-scored day replaced the first run's rows
    assert second.published is not None and second.published.run_id == second.run_id


def test_the_daily_task_graph_scores_after_the_build(built: Built, home: Path) -> None:
    """sfe_daily_churn_scoring_task is a child of the daily build in the worker's task graph."""
    from c360.pipeline.scheduler import Scheduler

    warehouse = built.copy(home)
    scheduler = Scheduler(warehouse)
    scheduler.load()
    scoring = scheduler.tasks["SFE_ANALYTICS_MEDIA.SFE_DAILY_CHURN_SCORING_TASK"]
    assert scoring.after == ("SFE_ANALYTICS_MEDIA.SFE_DAILY_BUILD_TASK",)
    training = scheduler.tasks["SFE_ANALYTICS_MEDIA.SFE_WEEKLY_TRAINING_TASK"]
    assert training.schedule is not None and training.schedule.cron == "0 1 * * 0"
