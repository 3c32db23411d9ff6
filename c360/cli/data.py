"""Commands for the sources: ``generate`` and ``ingest``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from c360.cli.options import open_warehouse, parse_date
from c360.cli.progress import progress_bar, show
from c360.errors import SourceFileError


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)
    app.command("ingest")(ingest)


def generate(
    out: Annotated[Path, typer.Option("--out", help="Directory to write the source files to.")],
    scale: Annotated[float, typer.Option(help="1 = the reference volume (25,000 subscribers).")] = 1.0,
    days: Annotated[
        int,
        typer.Option(
            help="Days of history, ending at --as-of. Training needs at least 100; the default gives an 8-week "
            "out-of-sample walk-forward backtest on the ground truth's weekly dates (docs/model.md)."
        ),
    ] = 184,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed writes the same files.")] = 0,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Last day of data (YYYY-MM-DD); default yesterday.")
    ] = None,
    drift: Annotated[
        str | None,
        typer.Option(
            "--drift", help="product-change@N: the churn drivers change on day N of the window (a drifting world)."
        ),
    ] = None,
) -> None:
    """Write synthetic subscription events (JSON lines), content views (CSV) and support tickets (Parquet)."""
    from c360.dates import default_as_of
    from c360.sources.generate import generate as run

    day = parse_date(as_of) or default_as_of()
    try:
        with progress_bar("generating") as update:
            result = run(out, scale=scale, days=days, seed=seed, as_of=day, on_progress=update, drift=drift)
    except ValueError as exc:
        raise SourceFileError(str(exc)) from None
    table = Table(
        "file",
        "rows",
        title=f"generated in {out} (scale {scale:g}, {days} days to {day}, seed {seed}{', ' + drift if drift else ''})",
    )
    for key, path in result.files.items():
        table.add_row(str(path), f"{result.counts.get(key, 0):,}")
    show(table)


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files: .jsonl events, .csv content views, .parquet tickets.")],
    force: Annotated[bool, typer.Option(help="Load files even if the same content was loaded before.")] = False,
    source: Annotated[
        str | None,
        typer.Option(help="subscription_events | content_engagement | support_tickets (default: by suffix)."),
    ] = None,
) -> None:
    """Load source files into the raw tables: each file whole or not at all, bad records to the reject table."""
    from c360.sources.ingest import ingest as run

    warehouse = open_warehouse()
    with progress_bar("ingesting") as update:
        results = run(warehouse, paths, force=force, source=source, on_progress=update)
    table = Table("file", "source", "status", "read", "loaded", "rejected", "seconds")
    for r in results:
        table.add_row(
            str(r.file),
            r.source,
            r.status,
            f"{r.rows_read:,}",
            f"{r.rows_loaded:,}",
            f"{r.rows_rejected:,}",
            f"{r.seconds:.1f}",
        )
    show(table)
    for r in results:
        if r.message:
            typer.echo(f"{r.file}: {r.message}", err=r.status == "failed")
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise SourceFileError(f"{len(failed)} of {len(results)} file(s) not loaded: {failed[0].message}")
