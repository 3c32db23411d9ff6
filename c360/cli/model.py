"""Commands for the churn model: ``train``, ``score``, ``backtest`` (cli/backtest.py), ``monitor``, ``models list``."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

import typer
from rich.table import Table

from c360.cli.backtest import backtest
from c360.cli.options import AS_OF, open_warehouse, parse_date
from c360.cli.progress import show

models_app = typer.Typer(help="The churn model registry.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("train")(train)
    app.command("score")(score)
    app.command("backtest")(backtest)
    app.command("monitor")(monitor)
    app.add_typer(models_app, name="models")
    models_app.command("list")(models_list)


def train(as_of: Annotated[str | None, AS_OF] = None) -> None:
    """Build the training set and train the churn model; it becomes current only if it passes the deploy gate."""
    from c360.model.errors import ModelRejected
    from c360.model.history import PURGED_SNAPSHOTS, SNAPSHOT_EVERY_DAYS
    from c360.pipeline.model_steps import train_model

    outcome = train_model(open_warehouse(), as_of=parse_date(as_of))
    entry = outcome.entry
    table = Table("", "", title=f"{entry.model_version} ({entry.status})", show_header=False)
    # weekly snapshots; the ones whose labels reach into the test snapshot's are purged
    last_train = entry.test_window_start - timedelta(days=SNAPSHOT_EVERY_DAYS * (PURGED_SNAPSHOTS + 1))
    table.add_row("trained on", f"{entry.train_rows:,} rows, snapshots {entry.data_window_start} to {last_train}")
    table.add_row(
        "tested on", f"{entry.test_rows:,} rows, snapshots {entry.test_window_start} to {entry.data_window_end}"
    )
    for name in ("roc_auc", "pr_auc", "brier", "precision_at_high", "recall_at_high", "base_rate"):
        if name in entry.metrics:
            table.add_row(f"test {name}", f"{entry.metrics[name]:.4f}")
    show(table)
    typer.echo(entry.message)
    if entry.status == "rejected":
        raise ModelRejected(f"{entry.model_version} rejected: {entry.message}")


def score(as_of: Annotated[str | None, AS_OF] = None) -> None:
    """Score every active subscriber with the current model into FCT_CUSTOMER_HEALTH_SCORES."""
    from c360.pipeline.model_steps import score_subscribers

    typer.echo(score_subscribers(open_warehouse(), as_of=parse_date(as_of)))


def models_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout instead of a table.")] = False,
) -> None:
    """Every registered model, newest first, with the deploy gate's decision and its numbers."""
    from c360.model.lifecycle import list_models

    records = list_models(warehouse=open_warehouse())
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in records], indent=1))
        return
    table = Table("model", "status", "as of", "test AUC", "cal. err", title="churn models (newest first)")
    for record in records:
        e = record.entry
        error = e.metrics.get("calibration_error")
        table.add_row(
            e.model_version,
            e.status,
            str(e.as_of_date),
            f"{e.metrics.get('roc_auc', float('nan')):.4f}",
            "" if error is None else f"{error:.4f}",
        )
    show(table, min_width=100)
    for record in records:
        typer.echo(f"{record.entry.model_version} ({record.entry.status}): {record.entry.message}")
        for c in record.checks:
            typer.echo(f"  {'pass' if c.passed else 'FAIL'} {c.name}: {c.detail}")


def monitor(
    as_of: Annotated[str | None, AS_OF] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
) -> None:
    """Outcome monitoring: realised performance of score dates whose 30 days have passed, drift and AUC alerts."""
    from c360.dates import default_as_of
    from c360.model.outcomes import monitor_model
    from c360.pipeline.model_steps import retrain
    from c360.settings import get_settings

    day = parse_date(as_of) or default_as_of()
    outcome = monitor_model(warehouse=open_warehouse(), settings=get_settings(), as_of=day, retrain=retrain)
    if as_json:
        typer.echo(json.dumps(outcome.to_dict(), indent=1))
        return
    typer.echo(outcome.result)
    for alert in outcome.new_alerts:
        typer.echo(f"alert {alert.kind}: {alert.message} ({alert.model_version})")
    if outcome.retrained:
        typer.echo(f"retrained: {outcome.retrained}")
