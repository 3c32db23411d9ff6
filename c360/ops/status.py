"""What ``c360 status`` adds about running by itself: tasks' last and next runs, the landing folders,
orphaned records of recent loads, open alerts, the served run and the current model."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from c360.errors import C360Error
from c360.ops.landing import folder, ready_files, schedule_of
from c360.pipeline.scheduler import ENDED, Schedule, utcnow
from c360.settings import Settings
from c360.sources.formats import SOURCES
from c360.warehouse import WarehouseConnection
from pipeline_sql.emulation import META_SCHEMA


@dataclass(frozen=True)
class OpsStatus:
    tasks: list[dict[str, Any]] = field(default_factory=list)
    landing: list[dict[str, Any]] = field(default_factory=list)
    orphans: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] | None = None  # None: the serving store is not migrated
    served: dict[str, Any] | None = None
    model: dict[str, Any] | None = None
    serving_store: str | None = None  # why the serving store could not be read (not migrated, unavailable)


def tasks(conn: WarehouseConnection, now: datetime) -> list[dict[str, Any]]:
    """Each task of the embedded scheduler: state, schedule, last run and when it runs next."""
    if conn.target != "duckdb":
        return []  # Snowflake: SHOW TASKS and TASK_HISTORY() say it there
    rows = conn.query(
        f"SELECT t.task_name, t.state AS task_state, t.schedule, t.after_tasks, h.started_at, h.state, h.error, "
        f"e.scheduled_at FROM {META_SCHEMA}.TASKS AS t LEFT JOIN (SELECT * FROM {META_SCHEMA}.TASK_HISTORY "
        "QUALIFY ROW_NUMBER() OVER (PARTITION BY task_name ORDER BY started_at DESC) = 1) AS h "
        "ON h.task_name = t.task_name "
        # the schedule counts the runs that ended, as the scheduler does: a CANCELLED one is run again
        f"LEFT JOIN (SELECT task_name, MAX(scheduled_at) AS scheduled_at FROM {META_SCHEMA}.TASK_HISTORY "
        f"WHERE {ENDED} GROUP BY task_name) AS e ON e.task_name = t.task_name "
        "ORDER BY t.task_name"
    )
    for row in rows:
        after = json.loads(row.pop("after_tasks") or "[]")
        if row["task_state"] != "started":
            row["next_run"] = "suspended"
        elif row["schedule"]:
            last, schedule = row["scheduled_at"], Schedule.parse(row["schedule"])
            # as the scheduler decides: an interval task never run is due at once, a cron task at its next time
            nxt = schedule.next_after(last) if last else (now if schedule.interval else schedule.next_after(now))
            row["next_run"] = f"{max(nxt, now):%Y-%m-%d %H:%M}" + (" (when its stream has data)" if "1 MINUTE" in
                                                                    row["schedule"].upper() else "")  # fmt: skip
        else:
            row["next_run"] = "after " + ", ".join(a.split(".")[-1] for a in after)
    return rows


def landing(settings: Settings, now: datetime) -> list[dict[str, Any]]:
    """Each landing folder: files waiting, and when they are loaded."""
    out = []
    for source in SOURCES.values():
        directory = folder(settings, source)
        schedule = schedule_of(settings, source)
        waiting = [p for p in directory.iterdir() if p.is_file()] if directory.is_dir() else []
        out.append({
            "source": source.name, "folder": str(directory), "waiting": len(waiting),
            "ready": len(
                ready_files(
                    directory,
                    settle=settings.landing_settle_seconds,
                    incomplete_grace=settings.landing_incomplete_grace_seconds,
                )
            ),
            "schedule": schedule.text if schedule else f"every {settings.landing_events_interval:g} s",
            "next_load": f"{schedule.next_after(now):%Y-%m-%d %H:%M}" if schedule else "as files arrive",
            "refused": len(list((directory / "refused").glob("*.reason.txt"))) if directory.is_dir() else 0,
        })  # fmt: skip
    return out


def summarize_ops(conn: WarehouseConnection, settings: Settings, now: datetime | None = None) -> OpsStatus:
    """Everything above, from the warehouse and (when it is migrated) the serving store."""
    now = now or utcnow()
    orphans = conn.query(
        "SELECT source, source_file, rows_loaded, orphaned_rows, finished_at FROM SFE_RAW_MEDIA.V_LOAD_ORPHANS "
        "ORDER BY finished_at DESC LIMIT 10"
    )
    models = conn.query(
        "SELECT model_version, trained_at, as_of_date, metrics:roc_auc::FLOAT AS test_auc "
        "FROM SFE_ANALYTICS_MEDIA.V_CHURN_MODEL_CURRENT"
    )
    alerts, served, problem = None, None, None
    try:
        from c360.ops.alerts import open_alerts
        from c360.serving.migrate import require_migrated
        from c360.serving.queries import current_run
        from c360.serving.store import Store

        require_migrated(settings)
        store = Store.from_settings(settings)
        alerts = open_alerts(store)
        run = current_run(store)
        served = None if run is None else {"run_id": run.run_id, "score_date": run.score_date,
                                           "model_version": run.model_version, "scored_at": run.scored_at}  # fmt: skip
    except C360Error as exc:  # status still shows the warehouse, and says why the serving side is missing
        problem = exc.message
    return OpsStatus(
        tasks(conn, now), landing(settings, now), orphans, alerts, served, models[0] if models else None, problem
    )
