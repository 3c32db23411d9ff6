"""``c360 status``'s operations part and ``c360 simulate``: rendering only; the work is in ``c360.ops``."""

from __future__ import annotations

from rich.table import Table

from c360.cli.progress import stdout
from c360.ops.status import OpsStatus


def print_ops(status: OpsStatus) -> None:
    """Render an ``OpsStatus`` as tables, after the warehouse's."""
    if status.tasks:
        tasks = Table("task", "last run", "state", "next run", "error", title="tasks (schedules and runs)")
        for row in status.tasks:
            last = f"{row['started_at']:%Y-%m-%d %H:%M:%S}" if row["started_at"] else "never"
            tasks.add_row(str(row["task_name"]), last, str(row["state"] or ""), str(row["next_run"]),
                          str(row["error"] or "")[:60])  # fmt: skip
        stdout.print(tasks)
    landing = Table("source", "waiting", "ready", "refused", "schedule", "next load", title="landing folders")
    for row in status.landing:
        landing.add_row(row["source"], str(row["waiting"]), str(row["ready"]), str(row["refused"]), row["schedule"],
                        row["next_load"])  # fmt: skip
    stdout.print(landing)
    if status.orphans:
        orphans = Table("finished", "source", "file", "loaded", "orphaned", title="orphaned records (V_LOAD_ORPHANS)")
        for row in status.orphans:
            orphans.add_row(f"{row['finished_at']:%Y-%m-%d %H:%M:%S}", row["source"], str(row["source_file"]),
                            f"{row['rows_loaded']:,}", f"{row['orphaned_rows']:,}")  # fmt: skip
        stdout.print(orphans)
    if status.alerts is not None:
        if status.alerts:
            alerts = Table("alert", "since", "summary", title="open alerts")
            for row in status.alerts:
                alerts.add_row(row["alert_key"], f"{row['raised_at']:%Y-%m-%d %H:%M}", row["summary"][:80])
            stdout.print(alerts)
        else:
            stdout.print("open alerts: none")
    served = status.served
    stdout.print(
        "served run: none" if served is None else
        f"served run: {served['run_id']} for {served['score_date']} (model {served['model_version']}, "
        f"scored {served['scored_at']:%Y-%m-%d %H:%M} UTC)"
    )  # fmt: skip
    model = status.model
    stdout.print(
        "current model: none" if model is None else
        f"current model: {model['model_version']} trained {model['trained_at']:%Y-%m-%d %H:%M} as of "
        f"{model['as_of_date']} (test AUC {model['test_auc'] or 0:.3f})"
    )  # fmt: skip
