"""Commands for the warehouse: ``migrate``, ``pipeline run|task``, ``status``, ``worker``."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from c360.cli.options import AS_OF, parse_date
from c360.cli.progress import progress_bar, stdout
from c360.errors import ConfigError
from c360.warehouse import Warehouse

pipeline_app = typer.Typer(help="Run the pipeline's tasks.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("migrate")(migrate)
    app.command("status")(status)
    app.command("worker")(worker)
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
    from pipeline_sql.migrate import dry_run as render
    from pipeline_sql.migrate import migrate as run

    if target not in (None, "duckdb", "snowflake"):
        raise ConfigError(f"invalid --target {target!r}: expected duckdb or snowflake")
    warehouse = Warehouse.from_settings()
    if dry_run:
        typer.echo(render(target or warehouse.target))  # type: ignore[arg-type]
        _migrate_serving_store(dry_run=True)
        return
    if target and target != warehouse.target:
        raise ConfigError(
            f"--target {target} differs from C360_WAREHOUSE_URL ({warehouse.display}); "
            "only --dry-run renders for another target"
        )
    with progress_bar("migrating") as update:
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
) -> None:
    """Run every task once, in order, as of a day: staging, daily analytics, then the model's tasks."""
    from c360.pipeline.run import STEPS, run_pipeline

    steps = STEPS
    if until:
        names = [s.task for s in STEPS]
        if until not in names:
            raise ConfigError(f"invalid --until {until!r}: expected one of {', '.join(names)}")
        steps = STEPS[: names.index(until) + 1]
    warehouse = Warehouse.from_settings()
    with progress_bar("pipeline") as update:
        result = run_pipeline(warehouse, as_of=parse_date(as_of), steps=steps, on_progress=update)
    published = _publish_day(result.as_of) if until is None else None
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
    stdout.print(table)
    if published is not None:
        typer.echo(f"publish: {published['message']}")


def _publish_day(as_of: date) -> dict[str, object]:
    """Publishing is the pipeline's last step, for the day it ran as of: the served run when that day is
    the newest, a backfill (history only) when a newer day is served."""
    from c360.serving.publish import describe, publish
    from c360.settings import get_settings
    from c360.webhooks.outbox import record_events

    result = publish(get_settings(), outbox=record_events, score_date=as_of)
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
    from pipeline_sql.migrate import ensure_migrated

    warehouse = Warehouse.from_settings()
    ensure_migrated(warehouse)
    scheduler = Scheduler(warehouse)
    scheduler.load()
    matches = [t for t in scheduler.tasks if t.split(".")[-1] == name.upper() or t == name.upper()]
    if not matches:
        raise ConfigError(f"no started task named {name}; known: {', '.join(sorted(scheduler.tasks)) or 'none'}")
    run = scheduler.run_task(matches[0], utcnow())
    if run is None:
        typer.echo(f"{name}: skipped, its WHEN condition is false (no new data)")
    elif run.error:
        raise ConfigError(f"{name} failed: {run.error}")
    else:
        typer.echo(f"{name}: {run.state} in {run.seconds:.2f} s")


def status() -> None:
    """What the warehouse holds: tables, row counts, rejects, recent loads, quality checks."""
    from c360.pipeline.status import summarize
    from pipeline_sql.migrate import ensure_migrated

    warehouse = Warehouse.from_settings()
    ensure_migrated(warehouse)
    with warehouse.connect() as conn:
        summary = summarize(conn)
    print_summary(summary, warehouse.display)


def print_summary(summary: object, where: str) -> None:
    """Render a ``Summary`` as tables."""
    from c360.pipeline.status import Summary

    assert isinstance(summary, Summary)
    tables = Table("table", "rows", title=f"warehouse {where}")
    for name, rows in summary.tables:
        tables.add_row(name, f"{rows:,}")
    stdout.print(tables)
    rejects = Table("source", "rejected records", "example reason", title="rejects (SFE_RAW_MEDIA.RAW_LOAD_ERRORS)")
    for row in summary.rejects:
        rejects.add_row(row["source"], f"{row['rejected']:,}", str(row["example_reason"])[:70])
    stdout.print(rejects)
    loads = Table("finished", "source", "file", "status", "read", "loaded", "rejected", title="recent loads")
    for row in summary.loads:
        status = row["status"] if not row["reason"] else f"{row['status']}: {row['reason']}"
        loads.add_row(
            f"{row['finished_at']:%Y-%m-%d %H:%M:%S}", row["source"], str(row["source_file"]), status,
            f"{row['rows_read']:,}", f"{row['rows_loaded']:,}", f"{row['rows_rejected']:,}",
        )  # fmt: skip
    stdout.print(loads)
    if summary.tasks:
        tasks = Table("task", "last run", "state", "error", title="tasks (C360_META.TASK_HISTORY)")
        for row in summary.tasks:
            tasks.add_row(
                str(row["task_name"]), f"{row['started_at']:%Y-%m-%d %H:%M:%S}", str(row["state"]),
                str(row["error"] or "")[:70],
            )  # fmt: skip
        stdout.print(tasks)
    stdout.print(f"invalid subscription events kept in staging with is_valid = FALSE: {summary.invalid_events:,}")
    for row in summary.checks:
        stdout.print(f"quality checks {'passed' if row['passed'] else 'FAILED'}: {row['checks']}")


def worker(
    once: Annotated[bool, typer.Option("--once", help="Run what is due now, then exit.")] = False,
    jobs_option: Annotated[
        str | None,
        typer.Option(
            "--jobs",
            help="Comma list of jobs to run (default all): tasks (DuckDB task graph), inbox (API events into the "
            "warehouse), publish (new scoring runs to the serving store), webhooks (deliveries).",
        ),
    ] = None,
) -> None:
    """Run background work: the task graph on its schedules (DuckDB), publishing, events and webhook deliveries."""
    from c360.settings import get_settings
    from c360.worker import Worker, build_jobs

    settings = get_settings()
    only = None if jobs_option is None else frozenset(j.strip() for j in jobs_option.split(",") if j.strip())
    jobs = build_jobs(settings, report=lambda line: typer.echo(line, err=True), only=only, once=once)
    typer.echo(
        f"worker: {', '.join(j.name for j in jobs) or 'no jobs'} on {Warehouse.from_settings().display}", err=True
    )
    try:
        Worker(jobs).run(once=once)
    except KeyboardInterrupt:
        typer.echo("worker: stopped", err=True)
