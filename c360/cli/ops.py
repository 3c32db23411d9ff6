"""``c360 status``'s operations part and ``c360 simulate``: rendering only; the work is in ``c360.ops``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from c360.cli.options import parse_date
from c360.cli.progress import show

if TYPE_CHECKING:
    from c360.ops.status import OpsStatus


def print_ops(status: OpsStatus) -> None:
    """Render an ``OpsStatus`` as tables, after the warehouse's."""
    if status.tasks:
        tasks = Table("task", "last run", "state", "next run", "error", title="tasks (schedules and runs)")
        for row in status.tasks:
            last = f"{row['started_at']:%Y-%m-%d %H:%M:%S}" if row["started_at"] else "never"
            tasks.add_row(str(row["task_name"]), last, str(row["state"] or ""), str(row["next_run"]),
                          str(row["error"] or "")[:60])  # fmt: skip
        show(tasks)
    landing = Table("source", "waiting", "ready", "refused", "schedule", "next load", title="landing folders")
    for row in status.landing:
        landing.add_row(row["source"], str(row["waiting"]), str(row["ready"]), str(row["refused"]), row["schedule"],
                        row["next_load"])  # fmt: skip
    show(landing)
    if status.orphans:
        orphans = Table("finished", "source", "file", "loaded", "orphaned", title="orphaned records (V_LOAD_ORPHANS)")
        for row in status.orphans:
            orphans.add_row(f"{row['finished_at']:%Y-%m-%d %H:%M:%S}", row["source"], str(row["source_file"]),
                            f"{row['rows_loaded']:,}", f"{row['orphaned_rows']:,}")  # fmt: skip
        show(orphans)
    if status.alerts is not None:
        if status.alerts:
            alerts = Table("alert", "since", "summary", title="open alerts")
            for row in status.alerts:
                alerts.add_row(row["alert_key"], f"{row['raised_at']:%Y-%m-%d %H:%M}", row["summary"][:80])
            show(alerts)
        else:
            typer.echo("open alerts: none")
    served = status.served
    if status.serving_store is not None:  # not "served run: none": nobody could look
        typer.echo(status.serving_store)  # "serving store ... is unavailable: ...", "... is not migrated; ..."
    typer.echo(
        "served run: unknown" if status.serving_store is not None else
        "served run: none" if served is None else
        f"served run: {served['run_id']} for {served['score_date']} (model {served['model_version']}, "
        f"scored {served['scored_at']:%Y-%m-%d %H:%M} UTC)"
    )  # fmt: skip
    model = status.model
    typer.echo(
        "current model: none" if model is None else
        f"current model: {model['model_version']} trained {model['trained_at']:%Y-%m-%d %H:%M} as of "
        f"{model['as_of_date']} (test AUC {model['test_auc'] or 0:.3f})"
    )  # fmt: skip


def simulate(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Last day the sources were generated to (YYYY-MM-DD).")
    ] = None,
    sources: Annotated[
        Path | None, typer.Option(help="The generation's folder: --as-of is read from it when not given.")
    ] = None,
    scale: Annotated[float, typer.Option(help="The generation's --scale.")] = 1.0,
    days: Annotated[int, typer.Option(help="The generation's --days.")] = 184,
    seed: Annotated[int, typer.Option(help="The generation's --seed.")] = 0,
    speed: Annotated[
        float,
        typer.Option(
            min=0,
            help="Simulated seconds per real second while replaying days that have passed: 1440 = a day a minute; "
            "0 = at once. Minutes still to come are fed in real time, as they end.",
        ),
    ] = 1440.0,
    ahead: Annotated[int | None, typer.Option(min=1, help="Days to simulate (default: until Ctrl-C).")] = None,
    api: Annotated[str, typer.Option(help="Base URL of the API the events are posted to.")] = "http://127.0.0.1:8360",
    key: Annotated[
        str | None, typer.Option(envvar="C360_SIMULATE_KEY", help="API key with events:write (or C360_SIMULATE_KEY).")
    ] = None,
) -> None:
    """Advance the generated world past its history: events to the API, content and tickets to the landing folders.

    Give the generation's --scale, --days, --seed and --as-of: the same world then goes on (the
    generator is deterministic). With `c360 serve` and `c360 worker` running the whole system moves.
    """
    import httpx

    from c360.errors import C360Error, ConfigError, UsageError
    from c360.ops.simulate import HORIZON, api_poster, generated_as_of
    from c360.ops.simulate import simulate as run
    from c360.settings import get_settings
    from c360.sources.synth.api import MAX_DAYS, MIN_DAYS

    if sources is not None and not (sources / "subscription_events.jsonl").is_file():
        raise UsageError(f"--sources {sources}: not a folder `c360 generate` wrote (no subscription_events.jsonl)")
    if not MIN_DAYS <= days <= MAX_DAYS - HORIZON:  # the simulation generates days + HORIZON at a time
        raise UsageError(f"--days must be the generation's, between {MIN_DAYS} and {MAX_DAYS - HORIZON}; got {days}")
    if not api.startswith(("http://", "https://")):
        raise UsageError(f"--api {api!r}: give the API's base URL, http://host:port or https://host")
    day = parse_date(as_of) or (generated_as_of(sources) if sources else None)
    if day is None or not key:
        raise ConfigError("c360 simulate needs --as-of and an events:write key (--key or C360_SIMULATE_KEY)")
    try:
        run(get_settings(), api_poster(api, key), scale=scale, days=days, seed=seed, as_of=day, ahead=ahead,
            speed=speed, report=lambda line: typer.echo(line, err=True))  # fmt: skip
    except KeyboardInterrupt:
        typer.echo("simulate: stopped", err=True)
    except ValueError as exc:  # the generator's own checks of --scale and --days
        raise UsageError(str(exc)) from None
    except httpx.HTTPStatusError as exc:
        raise C360Error(f"the API at {api} answered {exc.response.status_code}: {exc.response.text[:200]}") from None
    except httpx.HTTPError as exc:
        raise C360Error(f"the API at {api} cannot be reached: {exc}") from None
