"""``c360 pipeline run``: every task of the graph once, in order, as of one day.

The tasks' procedures are called directly (``CALL``), on either target, with ``as_of`` passed in
instead of the schedule's ``CURRENT_DATE() - 1``, so any past day can be (re)built. The warehouse is
opened per step, so a running ``c360 worker`` can interleave its own tasks.

The day is checked (``c360.pipeline.dates``) after the staging steps, which only move what is loaded
and do not depend on the day, and before the first step that builds anything as of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from c360.errors import C360Error, PipelineError, QualityCheckFailed
from c360.pipeline import dates
from c360.settings import get_settings
from c360.warehouse import Warehouse, WarehouseConnection
from pipeline_sql import runtime

Progress = Callable[[str, int, int], None]

SUBSCRIBER_STREAM = "SFE_RAW_MEDIA.sfe_subscriber_events_stream"
CONTENT_STREAM = "SFE_RAW_MEDIA.sfe_content_stream"
DQ_EXCEPTION = "DQ_CHECK_FAILED"
AS_OF_EXCEPTION = "AS_OF_OUT_OF_RANGE"


def default_as_of() -> date:
    """Yesterday (UTC): the last complete day, what the scheduled tasks build."""
    return datetime.now(UTC).date() - timedelta(days=1)


@dataclass(frozen=True)
class Step:
    """One task of the graph, as ``pipeline run`` calls it."""

    task: str
    procedure: str
    args: Callable[[date, str], list[Any]] = lambda as_of, run_id: []
    stream: str | None = None  # run only when this stream has data, like the task's WHEN
    skip: Callable[[WarehouseConnection], str | None] | None = None  # why not to run now, or None to run
    purpose: dates.Purpose | None = None  # what it does as of the day (None: staging, independent of it)


def _training_args(as_of: date, run_id: str) -> list[Any]:
    settings = get_settings()
    return [as_of, run_id, settings.model_min_test_auc, settings.risk_tier_high]


def _scoring_args(as_of: date, run_id: str) -> list[Any]:
    settings = get_settings()
    return [as_of, run_id, settings.risk_tier_high, settings.risk_tier_medium]


def _model_is_current(conn: WarehouseConnection) -> str | None:
    """The run trains only when no model is current; the weekly task retrains."""
    from c360.model.registry import current

    entry = current(conn)
    return f"{entry.model_version} is current (the weekly task retrains)" if entry else None


STEPS: list[Step] = [
    Step("sfe_process_subscribers_task", "SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS", stream=SUBSCRIBER_STREAM),
    Step("sfe_process_engagement_task", "SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT", stream=CONTENT_STREAM),
    Step(
        "sfe_daily_build_task",
        "SFE_ANALYTICS_MEDIA.SFE_BUILD_DAILY",
        lambda as_of, run_id: [as_of, run_id],
        purpose="build",
    ),
    Step(
        "sfe_weekly_training_task",
        "SFE_ANALYTICS_MEDIA.SFE_TRAIN_CHURN_CLASSIFIER",
        _training_args,
        skip=_model_is_current,
        purpose="train",
    ),
    Step("sfe_daily_churn_scoring_task", "SFE_ANALYTICS_MEDIA.SFE_SCORE_CHURN", _scoring_args, purpose="score"),
]


@dataclass(frozen=True)
class StepResult:
    task: str
    status: str  # ran | skipped
    seconds: float
    detail: str = ""


@dataclass
class PipelineResult:
    as_of: date
    run_id: str
    steps: list[StepResult] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)


def run_pipeline(
    warehouse: Warehouse,
    *,
    as_of: date | None = None,
    steps: list[Step] | None = None,
    on_progress: Progress | None = None,
) -> PipelineResult:
    """Run the steps in order; a failed step stops the ones after it."""
    from pipeline_sql.migrate import ensure_migrated

    ensure_migrated(warehouse)
    as_of = as_of or default_as_of()
    result = PipelineResult(as_of=as_of, run_id=runtime.new_run_id())
    steps = steps if steps is not None else STEPS
    checked = False
    for i, step in enumerate(steps):
        if on_progress:
            on_progress(step.task, i, len(steps))
        started = time.perf_counter()
        with warehouse.connect() as conn:
            if step.purpose and not checked:
                check_as_of(conn, as_of, steps[i:])
                checked = True
            if step.stream and not runtime.stream_has_data(conn, step.stream):
                result.steps.append(StepResult(step.task, "skipped", time.perf_counter() - started, "no new data"))
                continue
            reason = step.skip(conn) if step.skip else None
            if reason:
                result.steps.append(StepResult(step.task, "skipped", time.perf_counter() - started, reason))
                continue
            detail = call_step(conn, step, as_of, result.run_id)
        result.steps.append(StepResult(step.task, "ran", time.perf_counter() - started, str(detail or "")))
    if on_progress:
        on_progress("done", len(steps), len(steps))
    return result


def check_as_of(conn: WarehouseConnection, as_of: date, steps: list[Step]) -> None:
    """``DateOutOfRange`` unless every step that will run can run as of ``as_of`` (the strictest decides)."""
    purposes = {s.purpose for s in steps if s.purpose and not (s.skip and s.skip(conn))}
    for purpose in ("train", "score", "build"):
        if purpose in purposes:
            dates.check_day(conn, as_of, purpose)
            return


def call_step(conn: WarehouseConnection, step: Step, as_of: date, run_id: str) -> Any:
    """Call a step's procedure; a failed quality check becomes ``QualityCheckFailed`` naming it."""
    try:
        return runtime.call(conn, step.procedure, step.args(as_of, run_id))
    except runtime.ProcedureRaised as exc:
        if exc.exception == DQ_EXCEPTION:
            raise_failed_checks(conn, run_id, step.task)
        if exc.exception == AS_OF_EXCEPTION and step.purpose:
            dates.check_day(conn, as_of, step.purpose)  # raises with the loaded range in its message
        raise
    except C360Error:
        raise
    except Exception as exc:  # the Snowflake connector's errors
        if "data quality check failed" in str(exc):
            raise_failed_checks(conn, run_id, step.task)
        if "outside the days with loaded content views" in str(exc) and step.purpose:
            dates.check_day(conn, as_of, step.purpose)
        raise PipelineError(f"{step.task} failed: {str(exc).strip().splitlines()[0]}") from exc


def raise_failed_checks(conn: WarehouseConnection, run_id: str, task: str) -> None:
    """Raise ``QualityCheckFailed`` with the names of the run's failed checks."""
    failed = conn.query(
        "SELECT check_name, model, failures FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS "
        "WHERE run_id = :run_id AND NOT passed ORDER BY checked_at",
        {"run_id": run_id},
    )
    names = [row["check_name"] for row in failed]
    described = ", ".join(f"{row['check_name']} ({row['failures']} failing rows)" for row in failed)
    raise QualityCheckFailed(
        f"data quality check failed in {task}: {described or 'unknown'}; the steps after it did not run",
        names,
    )
