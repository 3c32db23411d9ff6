"""Apply migration scripts to the warehouse; ``C360_META.CHANGE_HISTORY`` is the only state.

Versioned scripts run once and are immutable: a changed checksum is refused. Repeatable scripts run
again when their checksum changes. On DuckDB each script runs in one transaction (DDL is
transactional there); on Snowflake DDL commits per statement, so every script is written to be
re-runnable (``IF NOT EXISTS`` / ``OR REPLACE``) and a failed one is simply retried.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipeline_sql import emulation
from pipeline_sql.connection import Connection, Database, Target, TaskParameters
from pipeline_sql.dialect import to_duckdb
from pipeline_sql.errors import MigrationError
from pipeline_sql.scripts import Script, load_scripts

HISTORY = f"{emulation.META_SCHEMA}.CHANGE_HISTORY"

BOOTSTRAP = [
    f"CREATE SCHEMA IF NOT EXISTS {emulation.META_SCHEMA}",
    f"""CREATE TABLE IF NOT EXISTS {HISTORY} (
        version VARCHAR,
        description VARCHAR NOT NULL,
        script VARCHAR NOT NULL,
        script_type VARCHAR NOT NULL,
        checksum VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        execution_time_ms NUMBER(38, 0) NOT NULL,
        applied_at TIMESTAMP_NTZ NOT NULL,
        error VARCHAR
    )""",
]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Outcome:
    """What happened to one script."""

    script: str
    status: str  # applied | up-to-date | would-apply
    duration_ms: int = 0


def template_variables(parameters: TaskParameters, target: Target = "snowflake") -> dict[str, str]:
    """Jinja variables of the migration scripts.

    Snowflake's tasks run on their own, so the thresholds they pass to the model's procedures are fixed
    when the tasks are created: changing one of ``parameters`` changes R__tasks.sql's checksum (the model
    gate's calibration limit and bootstrap: R__procedures.sql's), and the next migration re-creates the tasks.
    On DuckDB the tasks pass NULL and the native procedures take the thresholds they were registered with when
    they run (SFE_MONITOR_MODEL: its defaults).
    """
    values = {"task_warehouse": parameters.task_warehouse}
    thresholds = {
        "risk_tier_high": parameters.risk_tier_high,
        "risk_tier_medium": parameters.risk_tier_medium,
        "model_min_test_auc": parameters.model_min_test_auc,
        "model_psi_alert": parameters.model_psi_alert,
        "model_max_calibration_error": parameters.model_max_calibration_error,
        "model_gate_bootstrap": parameters.model_gate_bootstrap,
    }
    for name, value in thresholds.items():
        values[name] = repr(float(value)) if target == "snowflake" else "NULL"
    return values


def statements_for(script: Script, target: Target) -> list[str]:
    """The statements that apply ``script`` on ``target`` (Snowflake-only ones are skipped on DuckDB)."""
    if target == "snowflake":
        return list(script.statements)
    return [out for stmt, only in script.marked if only is None for out in emulation.duckdb_form(stmt)]


def dry_run(target: Target, parameters: TaskParameters, scripts: list[Script] | None = None) -> str:
    """The SQL every script would run on ``target``, as one printable text."""
    scripts = scripts if scripts is not None else load_scripts(variables=template_variables(parameters, target))
    chunks = []
    for script in scripts:
        chunks.append(f"-- {script.name} (checksum {script.checksum[:12]}, target {target})")
        if target == "snowflake":
            chunks.extend(stmt.strip() + ";" for stmt in script.statements)
        else:
            for stmt, only in script.marked:
                if only is not None:
                    head = " ".join(stmt.split()[:6])
                    chunks.append(f"-- not run on DuckDB ({head} ...): {only}")
                else:
                    chunks.extend(out.strip() + ";" for out in emulation.duckdb_form(stmt))
        chunks.append("")
    return "\n".join(chunks)


def migrate(
    warehouse: Database, *, scripts: list[Script] | None = None, on_progress: Progress | None = None
) -> list[Outcome]:
    """Apply every pending script; return what happened to each."""
    scripts = (
        scripts
        if scripts is not None
        else load_scripts(variables=template_variables(warehouse.task_parameters, warehouse.target))
    )
    with warehouse.connect() as conn:
        _bootstrap(conn)
        pending = plan(conn, scripts)
        outcomes = [Outcome(s.name, "up-to-date") for s in scripts if s not in pending]
        for i, script in enumerate(pending):
            if on_progress:
                on_progress(script.name, i, len(pending))
            outcomes.append(Outcome(script.name, "applied", _apply(conn, script)))
        if on_progress:
            on_progress("done", len(pending), len(pending))
    return outcomes


def pending_scripts(warehouse: Database, scripts: list[Script] | None = None) -> list[Script]:
    """Scripts that ``migrate`` would apply now (checks checksums like ``migrate``)."""
    scripts = (
        scripts
        if scripts is not None
        else load_scripts(variables=template_variables(warehouse.task_parameters, warehouse.target))
    )
    with warehouse.connect() as conn:
        if not _has_history(conn):
            return scripts
        return plan(conn, scripts)


def ensure_migrated(warehouse: Database) -> None:
    """Refuse to work on a warehouse whose migrations are missing or behind this code."""
    pending = pending_scripts(warehouse)
    if pending:
        names = ", ".join(s.name for s in pending[:3]) + (" …" if len(pending) > 3 else "")
        raise MigrationError(
            f"{warehouse.display} needs {len(pending)} migration(s) ({names}); run `c360 migrate` first"
        )


def _has_history(conn: Connection) -> bool:
    return bool(
        conn.scalar(
            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = :schema "
            "AND UPPER(table_name) = 'CHANGE_HISTORY'",
            {"schema": emulation.META_SCHEMA},
        )
    )


def _bootstrap(conn: Connection) -> None:
    for statement in BOOTSTRAP:
        conn.execute(statement)
    if conn.target == "duckdb":
        for statement in emulation.BOOTSTRAP_DUCKDB:
            conn.run_native(statement)


def plan(conn: Connection, scripts: list[Script]) -> list[Script]:
    """The scripts to apply, in order; refuses changed versioned scripts and out-of-order versions."""
    applied = _last_success(conn)
    pending: list[Script] = []
    highest_applied = max((s.sort_key for s in scripts if s.kind == "versioned" and s.name in applied), default=None)
    for script in scripts:
        previous = applied.get(script.name)
        if script.kind == "versioned":
            if previous is not None:
                if previous != script.checksum:
                    raise MigrationError(
                        f"{script.name} was applied with checksum {previous[:12]} but the file now has "
                        f"{script.checksum[:12]}; versioned scripts are immutable: restore it and put the "
                        "change in a new V script"
                    )
                continue
            if highest_applied is not None and script.sort_key < highest_applied:
                raise MigrationError(
                    f"{script.name} is older than scripts already applied; versioned scripts apply in order"
                )
            pending.append(script)
        elif previous != script.checksum:
            pending.append(script)
    return pending


def _last_success(conn: Connection) -> dict[str, str]:
    rows = conn.query(f"SELECT script, checksum FROM {HISTORY} WHERE status = 'SUCCESS' ORDER BY applied_at, script")
    return {row["script"]: row["checksum"] for row in rows}


def _apply(conn: Connection, script: Script) -> int:
    statements = statements_for(script, conn.target)
    started = time.perf_counter()
    transactional = conn.target == "duckdb"
    number = 0
    try:
        if transactional:
            conn.run_native("BEGIN TRANSACTION")
        for number, statement in enumerate(statements, start=1):  # noqa: B007 - reported on failure
            conn.run_native(statement)
        duration = int((time.perf_counter() - started) * 1000)
        _record(conn, script, "SUCCESS", duration, None)
        if transactional:
            conn.run_native("COMMIT")
    except Exception as exc:
        if transactional:
            conn.run_native("ROLLBACK")
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        duration = int((time.perf_counter() - started) * 1000)
        _record(conn, script, "FAILED", duration, f"statement {number}: {reason}")
        raise MigrationError(f"{script.name} failed at statement {number}: {reason}") from exc
    return duration


def _record(conn: Connection, script: Script, status: str, duration_ms: int, error: str | None) -> None:
    params: dict[str, Any] = {
        "version": script.version,
        "description": script.description,
        "script": script.name,
        "script_type": "V" if script.kind == "versioned" else "R",
        "checksum": script.checksum,
        "status": status,
        "ms": duration_ms,
        "error": error,
    }
    conn.execute(
        f"INSERT INTO {HISTORY} (version, description, script, script_type, checksum, status, "
        "execution_time_ms, applied_at, error) VALUES (:version, :description, :script, :script_type, "
        ":checksum, :status, :ms, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, :error)",
        params,
    )


__all__ = ["Outcome", "dry_run", "ensure_migrated", "migrate", "pending_scripts", "plan", "statements_for", "to_duckdb"]
