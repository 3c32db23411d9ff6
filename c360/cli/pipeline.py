"""Commands for the warehouse: ``migrate``, ``pipeline run|task``, ``status``, ``worker``."""

from __future__ import annotations

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


def pipeline_run(as_of: Annotated[str | None, AS_OF] = None) -> None:
    """Run every task once, in order, as of a day: staging, then daily analytics."""
    from c360.pipeline.run import run_pipeline

    warehouse = Warehouse.from_settings()
    with progress_bar("pipeline") as update:
        result = run_pipeline(warehouse, as_of=parse_date(as_of), on_progress=update)
    table = Table("task", "status", "seconds", "detail", title=f"pipeline as of {result.as_of} (run {result.run_id})")
    for step in result.steps:
        table.add_row(step.task, step.status, f"{step.seconds:.2f}", step.detail)
    stdout.print(table)


def pipeline_task(
    name: Annotated[str, typer.Argument(help="Task name, e.g. sfe_process_subscribers_task.")],
) -> None:
    """Run one task now, as the worker would (its WHEN condition is checked first)."""
    from c360.pipeline.scheduler import Scheduler, utcnow

    scheduler = Scheduler(Warehouse.from_settings())
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

    warehouse = Warehouse.from_settings()
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
    stdout.print(f"invalid subscription events kept in staging with is_valid = FALSE: {summary.invalid_events:,}")
    for row in summary.checks:
        stdout.print(f"quality checks {'passed' if row['passed'] else 'FAILED'}: {row['checks']}")


def worker(
    once: Annotated[bool, typer.Option("--once", help="Run what is due now, then exit.")] = False,
) -> None:
    """Run background work: the task graph on its schedules (DuckDB), and the jobs of later layers."""
    from c360.settings import get_settings
    from c360.worker import Worker, build_jobs

    settings = get_settings()
    jobs = build_jobs(settings, report=lambda line: typer.echo(line, err=True))
    typer.echo(
        f"worker: {', '.join(j.name for j in jobs) or 'no jobs'} on {Warehouse.from_settings().display}", err=True
    )
    try:
        Worker(jobs).run(once=once)
    except KeyboardInterrupt:
        typer.echo("worker: stopped", err=True)
