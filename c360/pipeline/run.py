"""``c360 pipeline run``: every task of the graph once, in order, as of one day, then publishing that day.

The tasks' procedures are called directly (``CALL``), on either target, with ``as_of`` passed in
instead of the schedule's ``CURRENT_DATE() - 1``, so any past day can be (re)built. The warehouse is
opened per step, so a running ``c360 worker`` can interleave its own tasks.

The day is checked (``c360.dates``) after the staging steps, which only move what is loaded
and do not depend on the day, and before the first step that builds anything as of it. When every step
ran, the day's scoring run is published (``c360.serving.publish``): the served run when that day is the
newest, a backfill (history only) when a newer day is served.

The daily build is incremental (docs/pipeline.md#the-incremental-daily-build): ``full_refresh`` makes
it rebuild every day instead, the only difference being its cost.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from c360 import dates
from c360.errors import C360Error, PipelineError, ProcedureRaised, QualityCheckFailed, UsageError
from c360.model import registry
from c360.model.procedures import native_procedures
from c360.settings import Settings
from c360.warehouse import Warehouse, WarehouseConnection, call, ensure_migrated
from pipeline_sql import runtime

if TYPE_CHECKING:
    from c360.serving.publish import PublishResult

Progress = Callable[[str, int, int], None]

SUBSCRIBER_STREAM = "SFE_RAW_MEDIA.sfe_subscriber_events_stream"
CONTENT_STREAM = "SFE_RAW_MEDIA.sfe_content_stream"
DQ_EXCEPTION = "DQ_CHECK_FAILED"
AS_OF_EXCEPTION = "AS_OF_OUT_OF_RANGE"


@dataclass(frozen=True)
class Step:
    """One task of the graph, as ``pipeline run`` calls it."""

    task: str
    procedure: str
    args: Callable[[date, str, Settings], list[Any]] = lambda as_of, run_id, settings: []
    refreshable: bool = False  # takes a third argument, FULL_REFRESH (the incremental daily build)
    stream: str | None = None  # run only when this stream has data, like the task's WHEN
    skip: Callable[[WarehouseConnection], str | None] | None = None  # why not to run now, or None to run
    purpose: dates.Purpose | None = None  # what it does as of the day (None: staging, independent of it)


def _training_args(as_of: date, run_id: str, settings: Settings) -> list[Any]:
    return [as_of, run_id, settings.model_min_test_auc, settings.risk_tier_high]


def _scoring_args(as_of: date, run_id: str, settings: Settings) -> list[Any]:
    return [as_of, run_id, settings.risk_tier_high, settings.risk_tier_medium]


def _monitoring_args(as_of: date, run_id: str, settings: Settings) -> list[Any]:
    return [as_of, run_id, settings.model_psi_alert, settings.model_min_test_auc]


def _model_is_current(conn: WarehouseConnection) -> str | None:
    """The run trains only when no model is current; the weekly task retrains."""
    entry = registry.current(conn)
    return f"{entry.model_version} is current (the weekly task retrains)" if entry else None


STEPS: list[Step] = [
    Step("sfe_process_subscribers_task", "SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS", stream=SUBSCRIBER_STREAM),
    Step("sfe_process_engagement_task", "SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT", stream=CONTENT_STREAM),
    Step(
        "sfe_daily_build_task",
        "SFE_ANALYTICS_MEDIA.SFE_BUILD_DAILY",
        lambda as_of, run_id, settings: [as_of, run_id],
        purpose="build",
        refreshable=True,
    ),
    Step(
        "sfe_weekly_training_task",
        "SFE_ANALYTICS_MEDIA.SFE_TRAIN_CHURN_CLASSIFIER",
        _training_args,
        skip=_model_is_current,
        purpose="train",
    ),
    Step("sfe_daily_churn_scoring_task", "SFE_ANALYTICS_MEDIA.SFE_SCORE_CHURN", _scoring_args, purpose="score"),
    # outcome monitoring, as `c360 monitor` runs it (retraining on an alert stays with `c360 monitor`)
    Step("sfe_daily_model_monitor_task", "SFE_ANALYTICS_MEDIA.SFE_MONITOR_MODEL", _monitoring_args),
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
    published: PublishResult | None = None  # None: stopped before the last step, nothing published

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)


def steps_until(until: str | None) -> list[Step]:
    """The steps up to and including task ``until`` (all of them for None)."""
    if until is None:
        return STEPS
    names = [s.task for s in STEPS]
    if until not in names:
        raise UsageError(f"invalid --until {until!r}: expected one of {', '.join(names)}")
    return STEPS[: names.index(until) + 1]


def run_pipeline(
    warehouse: Warehouse,
    *,
    as_of: date | None = None,
    until: str | None = None,
    steps: list[Step] | None = None,
    on_progress: Progress | None = None,
    full_refresh: bool = False,
) -> PipelineResult:
    """Run the steps in order (``steps``, or every step up to ``until``), then publish the day when all of them
    ran; a failed step stops the ones after it. ``full_refresh``: the daily build rebuilds every day."""
    ensure_migrated(warehouse)
    settings = warehouse.settings
    as_of = as_of or dates.default_as_of()
    result = PipelineResult(as_of=as_of, run_id=runtime.new_run_id())
    complete = steps is None and until is None
    steps = steps if steps is not None else steps_until(until)
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
            detail = call_step(conn, step, as_of, result.run_id, settings, full_refresh=full_refresh)
        result.steps.append(StepResult(step.task, "ran", time.perf_counter() - started, str(detail or "")))
    if on_progress:
        on_progress("done", len(steps), len(steps))
    if complete:
        from c360.serving.publish import publish
        from c360.webhooks.outbox import record_events

        result.published = publish(settings, outbox=record_events, score_date=as_of, warehouse=warehouse)
    return result


def check_as_of(conn: WarehouseConnection, as_of: date, steps: list[Step]) -> None:
    """``DateOutOfRange`` unless every step that will run can run as of ``as_of`` (the strictest decides)."""
    purposes = {s.purpose for s in steps if s.purpose and not (s.skip and s.skip(conn))}
    for purpose in ("train", "score", "build"):
        if purpose in purposes:
            dates.check_day(conn, as_of, purpose)
            return


def call_step(
    conn: WarehouseConnection, step: Step, as_of: date, run_id: str, settings: Settings, *, full_refresh: bool = False
) -> Any:
    """Call a step's procedure; a failed quality check becomes ``QualityCheckFailed`` naming it."""
    args = step.args(as_of, run_id, settings) + ([full_refresh] if step.refreshable else [])
    try:
        return call(conn, step.procedure, args, natives=native_procedures(settings))
    except ProcedureRaised as exc:
        if exc.exception == DQ_EXCEPTION:
            raise_failed_checks(conn, run_id, step.task)
        if exc.exception == AS_OF_EXCEPTION and step.purpose:
            dates.check_day(conn, as_of, step.purpose)  # raises with the loaded range in its message
        raise
    except C360Error:
        raise
    except Exception as exc:  # the Snowflake connector's errors
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
