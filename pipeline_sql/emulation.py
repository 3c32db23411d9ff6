"""Streams, tasks and procedures on DuckDB, derived from their Snowflake statements.

DuckDB has none of the three, so each Snowflake statement becomes DuckDB statements that record the
object in the ``C360_META`` schema:

* a stream is a view over its table that shows the rows whose ``load_seq`` is past the stream's
  offset in ``C360_META.STREAMS``; a DML statement that reads it advances the offset in the same
  transaction (``pipeline_sql.runtime``), which is Snowflake's consumption rule;
* a task is a row in ``C360_META.TASKS`` (schedule, predecessors, condition, body) that
  ``c360 worker`` runs on the same schedule;
* a procedure is a row in ``C360_META.PROCEDURES`` holding its steps, each SQL step already in its
  DuckDB form, so the runtime only binds parameters and executes.

Everything here is plain SQL text, so ``c360 migrate --dry-run --target duckdb`` prints exactly what
will run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from functools import lru_cache

from sqlglot import exp

from pipeline_sql import objects
from pipeline_sql.dialect import DialectError, parse, tables_read, to_duckdb

META_SCHEMA = "C360_META"

# Bookkeeping tables of the DuckDB emulation (Snowflake keeps this state itself).
BOOTSTRAP_DUCKDB = [
    f"""CREATE TABLE IF NOT EXISTS {META_SCHEMA}.STREAMS (
        stream_name VARCHAR PRIMARY KEY, source_table VARCHAR NOT NULL,
        consumed_seq BIGINT NOT NULL, created_at TIMESTAMP NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS {META_SCHEMA}.TASKS (
        task_name VARCHAR PRIMARY KEY, schedule VARCHAR, after_tasks JSON, condition VARCHAR,
        body VARCHAR NOT NULL, state VARCHAR NOT NULL, definition VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS {META_SCHEMA}.PROCEDURES (
        procedure_name VARCHAR PRIMARY KEY, definition JSON NOT NULL, updated_at TIMESTAMP NOT NULL)""",
    # what Snowflake's TASK_HISTORY() shows, for the tasks `c360 worker` runs
    f"""CREATE TABLE IF NOT EXISTS {META_SCHEMA}.TASK_HISTORY (
        run_id VARCHAR NOT NULL, task_name VARCHAR NOT NULL, scheduled_at TIMESTAMP NOT NULL,
        started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, state VARCHAR NOT NULL,
        return_value VARCHAR, error VARCHAR)""",
]


def quote(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def duckdb_form(statement: str) -> list[str]:
    """The DuckDB statements that do what one Snowflake migration statement does."""
    return list(_duckdb_form(statement))


@lru_cache(maxsize=1024)
def _duckdb_form(statement: str) -> tuple[str, ...]:
    """Cached by text: a statement's form depends on its text alone, and each migrate translates every script."""
    return tuple(_translate(statement))


def _translate(statement: str) -> list[str]:
    kind = objects.classify(statement)
    if kind == "stream":
        return _stream(objects.parse_stream(statement))
    if kind == "task":
        return _task(objects.parse_task(statement), statement)
    if kind == "alter_task":
        name, action = objects.parse_alter_task(statement)
        state = "started" if action == "RESUME" else "suspended"
        return [
            f"UPDATE {META_SCHEMA}.TASKS SET state = {quote(state)}, updated_at = now() WHERE task_name = {quote(name)}"
        ]
    if kind == "procedure":
        return _procedure(objects.parse_procedure(statement))
    if kind == "call":
        raise DialectError("CALL is not a migration statement; procedures are run by the pipeline runtime")
    return [to_duckdb(statement)]


def _stream(stream: objects.StreamDef) -> list[str]:
    start = "0" if stream.show_initial_rows else f"COALESCE((SELECT MAX(load_seq) FROM {stream.table}), 0)"
    register = (
        f"INSERT INTO {META_SCHEMA}.STREAMS (stream_name, source_table, consumed_seq, created_at) "
        f"SELECT {quote(stream.name)}, {quote(stream.table)}, {start}, now()"
    )
    statements = []
    if stream.replace:
        statements.append(f"DELETE FROM {META_SCHEMA}.STREAMS WHERE stream_name = {quote(stream.name)}")
    else:
        register += f" WHERE NOT EXISTS (SELECT 1 FROM {META_SCHEMA}.STREAMS WHERE stream_name = {quote(stream.name)})"
    statements.append(register)
    statements.append(
        f"CREATE OR REPLACE VIEW {stream.name} AS SELECT src.*, 'INSERT' AS \"METADATA$ACTION\", "
        f'FALSE AS "METADATA$ISUPDATE", CAST(src.load_seq AS VARCHAR) AS "METADATA$ROW_ID" '
        f"FROM {stream.table} AS src WHERE src.load_seq > "
        f"(SELECT consumed_seq FROM {META_SCHEMA}.STREAMS WHERE stream_name = {quote(stream.name)})"
    )
    return statements


def _task(task: objects.TaskDef, statement: str) -> list[str]:
    condition = to_duckdb(f"SELECT {task.condition}") if task.condition else None
    objects.parse_call(task.body)  # refuse a body the runtime could not run, at migration time
    return [
        f"INSERT OR REPLACE INTO {META_SCHEMA}.TASKS (task_name, schedule, after_tasks, condition, body, state, "
        f"definition, updated_at) VALUES ({quote(task.name)}, "
        f"{quote(task.schedule) if task.schedule else 'NULL'}, {quote(json.dumps(list(task.after)))}, "
        f"{quote(condition) if condition else 'NULL'}, {quote(task.body)}, "
        # a replaced task is suspended until ALTER TASK … RESUME, as on Snowflake
        f"'suspended', {quote(statement.strip())}, now())"
    ]


def _procedure(proc: objects.ProcedureDef) -> list[str]:
    if proc.native:
        definition_native = {"name": proc.name, "args": [asdict(a) for a in proc.args], "native": proc.native}
        return [_register_procedure(proc.name, definition_native)]
    known = {a.name for a in proc.args} | set(proc.variables)
    steps = []
    for step in proc.steps:
        entry = asdict(step)
        if step.kind == "sql":
            entry["duckdb"] = to_duckdb(step.sql)
            entry["tables"] = sorted(tables_read(step.sql))
            entry["dml"] = isinstance(parse(step.sql), exp.Insert | exp.Merge | exp.Update | exp.Delete)
        elif step.kind in ("assign", "raise_if", "return"):
            entry["duckdb"] = to_duckdb(bind_variables(f"SELECT {step.sql}", known))
        steps.append(entry)
    definition = {
        "name": proc.name,
        "args": [asdict(a) for a in proc.args],
        "variables": proc.variables,
        "exceptions": proc.exceptions,
        "steps": steps,
    }
    return [_register_procedure(proc.name, definition)]


def _register_procedure(name: str, definition: Mapping[str, object]) -> str:
    return (
        f"INSERT OR REPLACE INTO {META_SCHEMA}.PROCEDURES (procedure_name, definition, updated_at) "
        f"VALUES ({quote(name)}, {quote(json.dumps(definition, indent=2))}, now())"
    )


def bind_variables(select_sql: str, names: set[str]) -> str:
    """Turn bare Snowflake Scripting variables in an expression into ``:name`` binds.

    Only identifiers of the outer expression are variables; inside a subquery a bare name is a
    column, and variables there are already written ``:name``.
    """
    tree = parse(select_sql)
    for column in list(tree.find_all(exp.Column)):
        if column.table or column.name.lower() not in names:
            continue
        if column.find_ancestor(exp.Select) is tree:
            column.replace(exp.Placeholder(this=column.name.lower()))
    return tree.sql(dialect="snowflake")
