"""Commands for the churn model: ``train``, ``score``, ``backtest``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from c360.cli.options import AS_OF, parse_date
from c360.cli.progress import stdout
from c360.warehouse import Warehouse


def register(app: typer.Typer) -> None:
    app.command("train")(train)
    app.command("score")(score)
    app.command("backtest")(backtest)


def train(as_of: Annotated[str | None, AS_OF] = None) -> None:
    """Build the training set and train the churn model; it becomes current only if it passes the deploy gate."""
    from c360.model.errors import ModelRejected
    from c360.model.service import train_model

    outcome = train_model(Warehouse.from_settings(), as_of=parse_date(as_of))
    entry = outcome.entry
    table = Table("", "", title=f"{entry.model_version} ({entry.status})", show_header=False)
    last_train = entry.test_window_start - timedelta(days=7)  # weekly snapshots: the one before the test set
    table.add_row("trained on", f"{entry.train_rows:,} rows, snapshots {entry.data_window_start} to {last_train}")
    table.add_row(
        "tested on", f"{entry.test_rows:,} rows, snapshots {entry.test_window_start} to {entry.data_window_end}"
    )
    for name in ("roc_auc", "pr_auc", "brier", "precision_at_high", "recall_at_high", "base_rate"):
        if name in entry.metrics:
            table.add_row(f"test {name}", f"{entry.metrics[name]:.4f}")
    stdout.print(table)
    typer.echo(entry.message)
    if entry.status == "rejected":
        raise ModelRejected(f"{entry.model_version} rejected: {entry.message}")


def score(as_of: Annotated[str | None, AS_OF] = None) -> None:
    """Score every active subscriber with the current model into FCT_CUSTOMER_HEALTH_SCORES."""
    from c360.model.service import score_subscribers

    typer.echo(score_subscribers(Warehouse.from_settings(), as_of=parse_date(as_of)))


def backtest(
    as_of: Annotated[
        str, typer.Option("--as-of", help="Past day to score (YYYY-MM-DD), 30 days before the data ends.")
    ],
    ground_truth: Annotated[
        Path | None,
        typer.Option("--ground-truth", help="The generator's ground_truth.parquet: adds the oracle's AUC."),
    ] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Calibration plot PNG (default: <C360_HOME>/reports/).")
    ] = None,
) -> None:
    """Score a past day with the current model and compare with the cancellations that followed."""
    from c360.model.backtest import run_backtest
    from c360.settings import get_settings

    day = parse_date(as_of)
    assert day is not None
    warehouse = Warehouse.from_settings()
    result = run_backtest(warehouse, as_of=day, ground_truth=ground_truth, plot=plot, settings=get_settings())
    summary = Table("metric", "model", "oracle", title=f"backtest as of {day} ({result.sample})")
    summary.add_row("rows", f"{result.rows:,}", f"{result.oracle_rows:,}" if result.oracle_auc is not None else "")
    summary.add_row("cancelled within 30 days", f"{result.positives:,} ({result.metrics['base_rate']:.2%})", "")
    oracle = f"{result.oracle_auc:.4f}" if result.oracle_auc is not None else "n/a"
    summary.add_row("ROC AUC", f"{result.metrics['roc_auc']:.4f}", oracle)
    if result.oracle_auc is not None:
        summary.add_row("model / oracle (same rows)", f"{result.oracle_ratio:.3f}", "")
    summary.add_row("PR AUC", f"{result.metrics['pr_auc']:.4f}", "")
    summary.add_row("Brier score", f"{result.metrics['brier']:.5f}", "")
    high = f"{result.metrics['precision_at_high']:.3f} / {result.metrics['recall_at_high']:.3f}"
    summary.add_row("High tier precision / recall", high, "")
    stdout.print(summary)
    deciles = Table("decile", "rows", "predicted", "observed", title="calibration by decile of predicted risk")
    for d in result.deciles:
        deciles.add_row(str(d.decile), f"{d.rows:,}", f"{d.predicted:.4f}", f"{d.observed:.4f}")
    stdout.print(deciles)
    typer.echo(f"model {result.model_version}; calibration plot: {result.plot}")
