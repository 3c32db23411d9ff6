"""``c360 backtest``: walk-forward backtests, as a table or JSON, with plots."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from c360.cli.options import open_warehouse, parse_date
from c360.cli.progress import show
from c360.errors import UsageError

if TYPE_CHECKING:
    from c360.model.backtest import Backtest

EVERY = typer.Option("--every", help="Step of a walk-forward series: 7d (days) or 1w (weeks).")


def backtest(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Past day to score (YYYY-MM-DD), 30 days before the data ends.")
    ] = None,
    first: Annotated[str | None, typer.Option("--from", help="First day of a walk-forward series.")] = None,
    last: Annotated[str | None, typer.Option("--to", help="Last day of a walk-forward series.")] = None,
    every: Annotated[str, EVERY] = "7d",
    train: Annotated[
        bool, typer.Option("--train", help="Train a model as of each day (not registered) instead of the registry's.")
    ] = False,
    ground_truth: Annotated[
        Path | None,
        typer.Option("--ground-truth", help="The generator's ground_truth.parquet: adds the oracle's metrics."),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Directory for the plots: reliability, lift/gains, SHAP summary, PSI (and AUC)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout instead of tables.")] = False,
) -> None:
    """Score past days with models that could have scored them (walk-forward), against what followed."""
    from c360.model.backtest import run_series, weekly_days
    from c360.settings import get_settings

    days = _backtest_days(as_of, first, last, every, weekly_days)
    warehouse = open_warehouse()
    results = run_series(
        warehouse,
        days=days,
        settings=get_settings(),
        ground_truth=ground_truth,
        train=train,
        strict_truth=len(days) == 1,
    )
    paths = []
    if plot is not None:
        from c360.model.reports import write_plots

        paths = write_plots(results, plot)
    if as_json:
        plots = [str(p) for p in paths]
        if len(results) == 1:
            typer.echo(json.dumps({**results[0].to_dict(), "plots": plots}, indent=1))
        else:
            typer.echo(json.dumps({"backtests": [r.to_dict() for r in results], "plots": plots}, indent=1))
        return
    if len(results) == 1:
        _print_one(results[0])
    else:
        _print_series(results)
    for path in paths:
        typer.echo(f"plot: {path}")


def _backtest_days(
    as_of: str | None,
    first: str | None,
    last: str | None,
    every: str,
    weekly_days: Callable[[date, date, int], list[date]],
) -> list[date]:
    if as_of is not None and (first is not None or last is not None):
        raise UsageError("give either --as-of or --from/--to, not both")
    if as_of is not None:
        day = parse_date(as_of)
        assert day is not None
        return [day]
    start, end = parse_date(first, "--from"), parse_date(last, "--to")
    if start is None or end is None:
        raise UsageError("give --as-of DAY, or --from DAY and --to DAY for a walk-forward series")
    match = re.fullmatch(r"(\d+)([dw])", every)
    if match is None:
        raise UsageError(f"invalid --every {every!r}: expected days or weeks such as 7d or 1w")
    step = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
    return weekly_days(start, end, step)


def _print_one(result: Backtest) -> None:
    summary = Table("metric", "model", "oracle", title=f"backtest as of {result.as_of} ({result.sample})")
    oracle = result.oracle_metrics or {}
    summary.add_row("rows", f"{result.rows:,}", f"{result.oracle_rows:,}" if oracle else "")
    summary.add_row("cancelled within 30 days", f"{result.positives:,} ({result.metrics['base_rate']:.2%})", "")

    def both(name: str, label: str, fmt: str) -> None:
        summary.add_row(label, format(result.metrics[name], fmt), format(oracle[name], fmt) if oracle else "n/a")

    both("roc_auc", "ROC AUC", ".4f")
    if result.oracle_ratio is not None:
        summary.add_row("model / oracle (same rows)", f"{result.oracle_ratio:.3f}", "")
    both("pr_auc", "PR AUC", ".4f")
    both("brier", "Brier score", ".5f")
    both("calibration_error", "calibration error", ".4f")
    both("top_decile_lift", "top-decile lift", ".2f")
    high = f"{result.metrics['precision_at_high']:.3f} / {result.metrics['recall_at_high']:.3f}"
    summary.add_row("High tier precision / recall", high, "")
    show(summary)
    deciles = Table("decile", "rows", "predicted", "observed", title="calibration by decile of predicted risk")
    for d in result.deciles:
        deciles.add_row(str(d.decile), f"{d.rows:,}", f"{d.predicted:.4f}", f"{d.observed:.4f}")
    show(deciles)
    typer.echo(f"model: {result.model_note}")
    typer.echo(f"out_of_sample: {str(result.out_of_sample).lower()}")


def _print_series(results: list[Backtest]) -> None:
    table = Table(
        "day",
        "oos",
        "rows",
        "AUC",
        "oracle",
        "ratio",
        "PR AUC",
        "Brier",
        "cal.err",
        "lift@10%",
        "High prec",
        title="walk-forward backtest",
    )
    for r in results:
        m = r.metrics
        table.add_row(
            str(r.as_of),
            "yes" if r.out_of_sample else "no",
            f"{r.rows:,}",
            f"{m['roc_auc']:.4f}",
            "" if r.oracle_auc is None else f"{r.oracle_auc:.4f}",
            "" if r.oracle_ratio is None else f"{r.oracle_ratio:.3f}",
            f"{m['pr_auc']:.3f}",
            f"{m['brier']:.4f}",
            f"{m['calibration_error']:.4f}",
            f"{m['top_decile_lift']:.2f}",
            f"{m['precision_at_high']:.3f}",
        )
    show(table, min_width=120)
    for r in results:
        typer.echo(f"{r.as_of}: {r.model_note}")
