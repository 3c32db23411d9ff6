"""What the warehouse holds: row counts per layer, rejects, recent loads, quality checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from c360.warehouse import WarehouseConnection
from pipeline_sql.emulation import META_SCHEMA

TABLES = [
    "SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS",
    "SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT",
    "SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS",
    "SFE_RAW_MEDIA.RAW_LOAD_ERRORS",
    "SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS",
    "SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER",
    "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT",
    "SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS",
    "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY",
    "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY",
    "SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING",
    "SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES",
]


@dataclass(frozen=True)
class Summary:
    tables: list[tuple[str, int]]
    rejects: list[dict[str, Any]]
    loads: list[dict[str, Any]]
    checks: list[dict[str, Any]]
    invalid_events: int
    tasks: list[dict[str, Any]] = field(default_factory=list)  # each task's last run (the embedded warehouse)

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data (``c360 status --json``); times stay datetimes for the caller's encoder."""
        return {
            "tables": [{"table": name, "rows": rows} for name, rows in self.tables],
            "rejects": self.rejects,
            "loads": self.loads,
            "tasks": self.tasks,
            "invalid_events": self.invalid_events,
            "checks": self.checks,
        }


def summarize(conn: WarehouseConnection) -> Summary:
    """Counts and recent activity, for ``c360 status`` and the end of ``make demo``."""
    existing = {
        f"{r['table_schema']}.{r['table_name']}".upper()
        for r in conn.query("SELECT table_schema, table_name FROM INFORMATION_SCHEMA.TABLES")
    }
    tables = [(t, int(conn.scalar(f"SELECT COUNT(*) FROM {t}"))) for t in TABLES if t in existing]
    rejects = conn.query(
        "SELECT source, COUNT(*) AS rejected, MIN(reason) AS example_reason "
        "FROM SFE_RAW_MEDIA.RAW_LOAD_ERRORS WHERE source_row IS NOT NULL OR raw_text IS NOT NULL "
        "GROUP BY source ORDER BY source"
    )
    # a file refused whole is a 'failed' load whose reason is its one reject without a row
    loads = conn.query(
        "SELECT h.source, h.source_file, h.status, h.rows_read, h.rows_loaded, h.rows_rejected, h.finished_at, "
        "(SELECT MIN(e.reason) FROM SFE_RAW_MEDIA.RAW_LOAD_ERRORS AS e WHERE e.load_id = h.load_id "
        "AND e.source_row IS NULL) AS reason "
        "FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY AS h ORDER BY h.finished_at DESC LIMIT 10"
    )
    checks = conn.query(
        "SELECT passed, COUNT(*) AS checks, MAX(checked_at) AS last_checked FROM SFE_ANALYTICS_MEDIA.V_DATA_QUALITY "
        "GROUP BY passed"
    )
    invalid = int(conn.scalar("SELECT COUNT(*) FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS WHERE NOT is_valid"))
    tasks = []
    if f"{META_SCHEMA}.TASK_HISTORY".upper() in existing:  # Snowflake keeps its own (TASK_HISTORY())
        tasks = conn.query(
            f"SELECT task_name, state, started_at, finished_at, error FROM {META_SCHEMA}.TASK_HISTORY "
            "QUALIFY ROW_NUMBER() OVER (PARTITION BY task_name ORDER BY started_at DESC) = 1 ORDER BY task_name"
        )
    return Summary(tables, rejects, loads, checks, invalid, tasks)
