"""What ``c360 train`` and ``c360 score`` do: run the steps ``c360 pipeline run`` runs, on either target.

Going through the tasks' procedures (not straight to ``train.fit``) keeps one path for the CLI, the
worker's tasks and ``c360 pipeline run``: on Snowflake the same calls run Snowflake ML, and a failed
quality check reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from c360 import dates
from c360.model import registry
from c360.model.errors import ModelError
from c360.pipeline.run import STEPS, Step, call_step
from c360.warehouse import Warehouse
from pipeline_sql import runtime

TRAINING_TASK = "sfe_weekly_training_task"
SCORING_TASK = "sfe_daily_churn_scoring_task"


@dataclass(frozen=True)
class TrainOutcome:
    """The registry row of the model a training run produced."""

    run_id: str
    entry: registry.Entry


def train_model(warehouse: Warehouse, *, as_of: date | None = None) -> TrainOutcome:
    """Build the training set as of ``as_of`` (default yesterday), train, and apply the deploy gate."""
    run_id, as_of = runtime.new_run_id(), as_of or dates.default_as_of()
    with warehouse.connect() as conn:
        dates.check_day(conn, as_of, "train")
        call_step(conn, _step(TRAINING_TASK), as_of, run_id, warehouse.settings)
        entry = registry.of_run(conn, run_id)
    if entry is None:
        raise ModelError(f"training run {run_id} registered no model")
    return TrainOutcome(run_id, entry)


def score_subscribers(warehouse: Warehouse, *, as_of: date | None = None) -> str:
    """Score every active subscriber as of ``as_of`` (default yesterday) with the current model."""
    as_of = as_of or dates.default_as_of()
    with warehouse.connect() as conn:
        dates.check_day(conn, as_of, "score")
        return str(call_step(conn, _step(SCORING_TASK), as_of, runtime.new_run_id(), warehouse.settings))


def retrain(warehouse: Warehouse, as_of: date) -> str:
    """Train as of ``as_of`` (``monitor_model``'s retraining on an alert); the deploy gate's decision, as a line."""
    entry = train_model(warehouse, as_of=as_of).entry
    return f"{entry.model_version} ({entry.status}): {entry.message}"


def _step(task: str) -> Step:
    return next(step for step in STEPS if step.task == task)
