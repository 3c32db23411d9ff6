"""Run procedures and tasks: ``CALL`` on Snowflake, the registered steps on DuckDB.

On DuckDB a procedure's steps run as Snowflake would run them: SQL steps in order, ``BEGIN
TRANSACTION``/``COMMIT`` as written, and a DML step that reads a stream advances that stream's
offset in the same transaction as its write, so a crash between the two loses and duplicates nothing.
"""

from __future__ import annotations

import importlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from c360 import failpoints
from c360.errors import PipelineError
from c360.warehouse import DuckDBConnection, WarehouseConnection, used_params
from pipeline_sql import objects
from pipeline_sql.dialect import to_duckdb
from pipeline_sql.emulation import META_SCHEMA


class ProcedureRaised(PipelineError):
    """A procedure raised one of its declared exceptions (e.g. a failed quality check)."""

    def __init__(self, procedure: str, exception: str, message: str) -> None:
        super().__init__(f"{procedure} raised {exception}: {message}")
        self.procedure = procedure
        self.exception = exception


def call(conn: WarehouseConnection, name: str, args: Sequence[Any] = ()) -> Any:
    """Run procedure ``name`` with ``args`` and return what it returns."""
    if conn.target == "snowflake":
        binds = {f"a{i}": value for i, value in enumerate(args)}
        placeholders = ", ".join(f":a{i}" for i in range(len(args)))
        return conn.scalar(f"CALL {name}({placeholders})", binds)
    assert isinstance(conn, DuckDBConnection)
    return _DuckDBProcedure(conn, name.upper()).run(list(args))


def call_statement(conn: WarehouseConnection, statement: str) -> Any:
    """Run a ``CALL proc(expr, ...)`` statement, evaluating its argument expressions first."""
    parsed = objects.parse_call(statement)
    if conn.target == "snowflake":
        return conn.scalar(statement)
    args = list(_evaluate(conn, f"SELECT {', '.join(parsed.args)}")) if parsed.args else []
    return call(conn, parsed.name, args)


def _evaluate(conn: WarehouseConnection, select_sql: str) -> tuple[Any, ...]:
    row = conn.run_native(to_duckdb(select_sql)).fetchone()
    return tuple(row) if row else ()


@dataclass
class _DuckDBProcedure:
    conn: DuckDBConnection
    name: str

    def run(self, args: list[Any]) -> Any:
        row = self.conn.run_native(
            f"SELECT definition FROM {META_SCHEMA}.PROCEDURES WHERE procedure_name = ?", [self.name]
        ).fetchone()
        if row is None:
            raise PipelineError(f"procedure {self.name} does not exist; run `c360 migrate`")
        definition = json.loads(row[0])
        if "native" in definition:
            return self._native(definition, args)
        binds = self._bind(definition, args)
        streams = dict(self.conn.run_native(f"SELECT stream_name, source_table FROM {META_SCHEMA}.STREAMS").fetchall())
        consumed: set[str] = set()
        in_tx = False
        try:
            for number, step in enumerate(definition["steps"], start=1):
                kind = step["kind"]
                if kind == "begin":
                    self.conn.run_native("BEGIN TRANSACTION")
                    in_tx = True
                elif kind == "commit":
                    self._commit(consumed, streams)
                    in_tx = False
                    consumed = set()
                elif kind == "sql":
                    reads = {t for t in step["tables"] if t in streams} if step["dml"] else set()
                    if reads and not in_tx:
                        # an autocommitted DML on a stream: its write and the offset commit together
                        self.conn.run_native("BEGIN TRANSACTION")
                        in_tx = True
                        self._sql(number, step, binds)
                        self._commit(reads, streams)
                        in_tx = False
                    else:
                        self._sql(number, step, binds)
                        consumed |= reads
                elif kind == "assign":
                    binds[step["target"]] = self._scalar(number, step, binds)
                elif kind == "raise_if":
                    if self._scalar(number, step, binds):
                        exception = step["target"]
                        message = definition["exceptions"].get(exception, exception)
                        raise ProcedureRaised(self.name, exception, message)
                elif kind == "return":
                    result = self._scalar(number, step, binds)
                    if in_tx:
                        self._commit(consumed, streams)
                        in_tx = False
                    return result
            if in_tx:
                raise PipelineError(f"procedure {self.name} ended inside BEGIN TRANSACTION without COMMIT")
            return None
        except BaseException:
            if in_tx:
                self.conn.run_native("ROLLBACK")
            raise

    def _native(self, definition: dict[str, Any], args: list[Any]) -> Any:
        module_name, function_name = definition["native"].split(":")
        function = getattr(importlib.import_module(module_name), function_name)
        binds = self._bind({**definition, "variables": {}}, args)
        return function(self.conn, *binds.values())

    def _bind(self, definition: dict[str, Any], args: list[Any]) -> dict[str, Any]:
        params = definition["args"]
        if len(args) > len(params):
            raise PipelineError(f"procedure {self.name} takes {len(params)} arguments, got {len(args)}")
        binds: dict[str, Any] = {}
        for i, param in enumerate(params):
            if i < len(args):
                binds[param["name"]] = args[i]
            elif param["default"] is not None:
                binds[param["name"]] = _evaluate(self.conn, f"SELECT {param['default']}")[0]
            else:
                raise PipelineError(f"procedure {self.name}: missing argument {param['name']}")
        for variable, default in definition["variables"].items():
            binds[variable] = _evaluate(self.conn, f"SELECT {default}")[0] if default else None
        return binds

    def _sql(self, number: int, step: dict[str, Any], binds: dict[str, Any]) -> None:
        try:
            self.conn.run_native(step["duckdb"], used_params(step["duckdb"], binds, "$"))
        except Exception as exc:
            raise PipelineError(f"{self.name} step {number} failed: {_first_line(exc)}") from exc

    def _scalar(self, number: int, step: dict[str, Any], binds: dict[str, Any]) -> Any:
        try:
            row = self.conn.run_native(step["duckdb"], used_params(step["duckdb"], binds, "$")).fetchone()
        except Exception as exc:
            raise PipelineError(f"{self.name} step {number} failed: {_first_line(exc)}") from exc
        return row[0] if row else None

    def _commit(self, consumed: set[str], streams: dict[str, str]) -> None:
        for stream in sorted(consumed):
            self.conn.run_native(
                f"UPDATE {META_SCHEMA}.STREAMS SET consumed_seq = "
                f"COALESCE((SELECT MAX(load_seq) FROM {streams[stream]}), consumed_seq) WHERE stream_name = ?",
                [stream],
            )
        # between the write and the offset advance: a crash here must lose and duplicate nothing
        failpoints.hit("stream.before_commit")
        self.conn.run_native("COMMIT")


def stream_has_data(conn: WarehouseConnection, stream: str) -> bool:
    """Snowflake's SYSTEM$STREAM_HAS_DATA, on either target."""
    return bool(conn.scalar(f"SELECT SYSTEM$STREAM_HAS_DATA('{stream}')"))


def new_run_id() -> str:
    """A sortable, unique run id: UTC time plus randomness."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
