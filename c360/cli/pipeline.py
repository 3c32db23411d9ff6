"""Commands for the warehouse: ``migrate``, ``pipeline run|task``, ``status``, ``worker``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from c360.cli.ops import simulate
from c360.cli.options import AS_OF, open_warehouse, parse_date
from c360.cli.progress import progress_bar, show
from c360.errors import PipelineError, UsageError, from_pipeline_sql

if TYPE_CHECKING:
    from c360.serving.publish import PublishResult

pipeline_app = typer.Typer(help="Run the pipeline's tasks.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("migrate")(migrate)
    app.command("status")(status)
    app.command("worker")(worker)
    app.command("simulate")(simulate)
    app.add_typer(pipeline_app, name="pipeline")
    pipeline_app.command("run")(pipeline_run)
    pipeline_app.command("task")(pipeline_task)


def migrate(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the SQL for the target instead of running it.")
    ] = False,
    target: Annotated[str | None, typer.Option(help="duckdb | snowflake (default: from C360_WAREHOUSE_URL).")] = None,
) -> None:
    """Apply pending migrations to the warehouse (versioned once, repeatable when changed)."""
    from c360.warehouse import task_parameters
    from pipeline_sql.migrate import dry_run as render
    from pipeline_sql.migrate import migrate as run

    if target not in (None, "duckdb", "snowflake"):
        raise UsageError(f"invalid --target {target!r}: expected duckdb or snowflake")
    warehouse = open_warehouse()
    if dry_run:
        with from_pipeline_sql():
            typer.echo(render(target or warehouse.target, task_parameters(warehouse.settings)))  # type: ignore[arg-type]
        _migrate_serving_store(dry_run=True)
        return
    if target and target != warehouse.target:
        raise UsageError(
            f"--target {target} differs from C360_WAREHOUSE_URL ({warehouse.display}); "
            "only --dry-run renders for another target"
        )
    with progress_bar("migrating") as update, from_pipeline_sql():
        outcomes = run(warehouse, on_progress=update)
    applied = [o for o in outcomes if o.status == "applied"]
    for o in applied:
        typer.echo(f"applied {o.script} ({o.duration_ms} ms)")
    typer.echo(f"{warehouse.display}: {len(applied)} applied, {len(outcomes) - len(applied)} up to date")
    _migrate_serving_store(dry_run=False)


def _migrate_serving_store(*, dry_run: bool) -> None:
    """The serving store's own (Alembic) migrations, after the warehouse's."""
    from c360.serving.migrate import upgrade, upgrade_sql
    from c360.settings import get_settings

    if dry_run:
        typer.echo(upgrade_sql(get_settings()))
        return
    result = upgrade(get_settings())
    for revision in result.applied:
        typer.echo(f"applied serving store revision {revision}")
    typer.echo(f"{result.store}: serving store at revision {result.after} ({len(result.applied)} applied)")


def pipeline_run(
    as_of: Annotated[str | None, AS_OF] = None,
    until: Annotated[str | None, typer.Option(help="Stop after this task (e.g. sfe_daily_build_task).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    full_refresh: Annotated[
        bool, typer.Option("--full-refresh", help="The daily build rebuilds every day instead of what changed.")
    ] = False,
) -> None:
    """Run every task once, in order, as of a day: staging, daily analytics, the model's tasks, then publish that
    day (a past day is a backfill: history only, the served day stays)."""
    from c360.pipeline.run import run_pipeline, steps_until

    steps_until(until)  # a bad --until is refused before the warehouse is opened
    warehouse = open_warehouse()
    with progress_bar("pipeline") as update:
        result = run_pipeline(
            warehouse, as_of=parse_date(as_of), until=until, on_progress=update, full_refresh=full_refresh
        )
    published = _published(result.published) if result.published else None
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "as_of": result.as_of.isoformat(),
                    "run_id": result.run_id,
                    "seconds": round(result.seconds, 3),
                    "steps": [
                        {"task": s.task, "status": s.status, "seconds": round(s.seconds, 3), "detail": s.detail}
                        for s in result.steps
                    ],
                    "publish": published,
                }
            )
        )
        return
    table = Table("task", "status", "seconds", "detail", title=f"pipeline as of {result.as_of} (run {result.run_id})")
    for step in result.steps:
        table.add_row(step.task, step.status, f"{step.seconds:.2f}", step.detail)
    show(table)
    if published is not None:
        typer.echo(f"publish: {published['message']}")


def _published(result: PublishResult) -> dict[str, object]:
    """What the pipeline's publishing did, for printing."""
    from c360.serving.publish import describe

    return {
        "status": result.status,
        "run_id": result.run_id,
        "score_date": result.score_date.isoformat(),
        "served_score_date": result.served_score_date.isoformat() if result.served_score_date else None,
        "version": result.version,
        "message": describe(result),
    }


def pipeline_task(
    name: Annotated[str, typer.Argument(help="Task name, e.g. sfe_process_subscribers_task.")],
) -> None:
    """Run one task now, as the worker would (its WHEN condition is checked first)."""
    from c360.pipeline.scheduler import Scheduler, utcnow
    from c360.warehouse import ensure_migrated

    warehouse = open_warehouse()
    ensure_migrated(warehouse)
    scheduler = Scheduler(warehouse)
    scheduler.load()
    matches = [t for t in scheduler.tasks if t.split(".")[-1] == name.upper() or t == name.upper()]
    if not matches:
        raise UsageError(f"no started task named {name}; known: {', '.join(sorted(scheduler.tasks)) or 'none'}")
    run = scheduler.run_task(matches[0], utcnow())
    if run is None:
        typer.echo(f"{name}: skipped, its WHEN condition is false (no new data)")
    elif run.error:
        raise PipelineError(f"{name} failed: {run.error}")
    else:
        typer.echo(f"{name}: {run.state} in {run.seconds:.2f} s")


def status(
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout instead of tables.")] = False,
) -> None:
    """What the system holds: tables and row counts, rejects, recent loads, tasks' last and next runs, landing
    folders, orphaned records, open alerts, the served run and the current model."""
    from dataclasses import asdict

    from c360.cli.ops import print_ops
    from c360.ops.status import summarize_ops
    from c360.pipeline.status import summarize
    from c360.settings import get_settings
    from c360.warehouse import ensure_migrated

    warehouse = open_warehouse()
    ensure_migrated(warehouse)
    with warehouse.connect() as conn:
        summary = summarize(conn)
        operations = summarize_ops(conn, get_settings())
    if as_json:
        body = {"warehouse": warehouse.display, **summary.to_dict(), "operations": asdict(operations)}
        typer.echo(json.dumps(body, indent=1, default=str))
        return
    print_summary(summary, warehouse.display)
    print_ops(operations)


def print_summary(summary: object, where: str) -> None:
    """Render a ``Summary`` as tables."""
    from c360.pipeline.status import Summary

    assert isinstance(summary, Summary)
    tables = Table("table", "rows", title=f"warehouse {where}")
    for name, rows in summary.tables:
        tables.add_row(name, f"{rows:,}")
    show(tables)
    rejects = Table("source", "rejected records", "example reason", title="rejects (SFE_RAW_MEDIA.RAW_LOAD_ERRORS)")
    for row in summary.rejects:
        rejects.add_row(row["source"], f"{row['rejected']:,}", str(row["example_reason"])[:70])
    show(rejects)
    loads = Table("finished", "source", "file", "status", "read", "loaded", "rejected", title="recent loads")
    for row in summary.loads:
        status = row["status"] if not row["reason"] else f"{row['status']}: {row['reason']}"
        loads.add_row(
            f"{row['finished_at']:%Y-%m-%d %H:%M:%S}", row["source"], str(row["source_file"]), status,
            f"{row['rows_read']:,}", f"{row['rows_loaded']:,}", f"{row['rows_rejected']:,}",
        )  # fmt: skip
    show(loads)
    if summary.tasks:
        tasks = Table("task", "last run", "state", "error", title="tasks (C360_META.TASK_HISTORY)")
        for row in summary.tasks:
            tasks.add_row(
                str(row["task_name"]), f"{row['started_at']:%Y-%m-%d %H:%M:%S}", str(row["state"]),
                str(row["error"] or "")[:70],
            )  # fmt: skip
        show(tasks)
    typer.echo(f"invalid subscription events kept in staging with is_valid = FALSE: {summary.invalid_events:,}")
    for row in summary.checks:
        typer.echo(f"quality checks {'passed' if row['passed'] else 'FAILED'}: {row['checks']}")


def worker(
    once: Annotated[bool, typer.Option("--once", help="Run what is due now, then exit.")] = False,
    jobs_option: Annotated[
        str | None,
        typer.Option(
            "--jobs",
            help="Comma list of jobs to run (default all): tasks (DuckDB task graph), landing (files in "
            "C360_LANDING_DIR), inbox (API events into the warehouse), publish (new scoring runs to the serving "
            "store), webhooks (deliveries), alerts (SLAs and failures, as ops.alert.* webhooks).",
        ),
    ] = None,
    metrics_port: Annotated[
        int | None,
        typer.Option("--metrics-port", min=1, max=65535, help="Serve Prometheus metrics on this port (127.0.0.1)."),
    ] = None,
) -> None:
    """Run background work: the task graph on its schedules (DuckDB), landing folders, publishing, events,
    webhook deliveries and alerts."""
    from c360.settings import get_settings
    from c360.worker import Worker, build_jobs, exclusive, settle_collector

    settings = get_settings()
    only = None if jobs_option is None else frozenset(j.strip() for j in jobs_option.split(",") if j.strip())
    metrics = None
    if metrics_port is not None:
        from c360.ops.metrics import WorkerMetrics

        metrics = WorkerMetrics()
        metrics.serve(metrics_port)
        typer.echo(f"worker: metrics on http://127.0.0.1:{metrics_port}/metrics", err=True)
    jobs = build_jobs(settings, report=lambda line: typer.echo(line, err=True), only=only, once=once, metrics=metrics)
    typer.echo(f"worker: {', '.join(j.name for j in jobs) or 'no jobs'} on {open_warehouse().display}", err=True)
    if not once:
        settle_collector()
    try:
        with exclusive(settings, jobs):
            Worker(jobs).run(once=once)
    except KeyboardInterrupt:
        typer.echo("worker: stopped", err=True)
