"""Run procedures and tasks: ``CALL`` on Snowflake, the registered steps on DuckDB.

On DuckDB a procedure's steps run as Snowflake would run them: SQL steps in order, ``BEGIN
TRANSACTION``/``COMMIT`` as written, and a DML step that reads a stream advances that stream's
offset in the same transaction as its write, so a crash between the two loses and duplicates nothing.

A procedure marked ``-- c360:duckdb-native NAME`` (a Snowflake-only body, e.g. Snowflake ML) runs, on
DuckDB, the native procedure the caller registered under ``NAME`` in ``natives``: a function called as
``function(conn, *args)``, which the caller has already given whatever else it needs (settings, say).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pipeline_sql import objects
from pipeline_sql.connection import Connection, used_params
from pipeline_sql.dialect import to_duckdb
from pipeline_sql.emulation import META_SCHEMA
from pipeline_sql.errors import ProcedureError, ProcedureRaised

NativeProcedure = Callable[..., Any]  # function(conn, *args)
NativeProcedures = Mapping[str, NativeProcedure]

# how Snowflake reports a declared exception that a procedure raised and did not handle
_SNOWFLAKE_RAISED = re.compile(r"Uncaught exception of type '(?P<exception>\w+)'.*?:\s*(?P<message>.*)$", re.S)


@dataclass(frozen=True)
class Hooks:
    """What the caller can run inside a procedure: the native procedures, and a probe before a stream commits."""

    natives: NativeProcedures = field(default_factory=dict)
    before_commit: Callable[[], None] = lambda: None  # between a write and its stream offset (failpoint tests)


def call(conn: Connection, name: str, args: Sequence[Any] = (), hooks: Hooks | None = None) -> Any:
    """Run procedure ``name`` with ``args`` and return what it returns."""
    if conn.target == "snowflake":
        binds = {f"a{i}": value for i, value in enumerate(args)}
        placeholders = ", ".join(f":a{i}" for i in range(len(args)))
        return _snowflake_call(conn, name, f"CALL {name}({placeholders})", binds)
    return _DuckDBProcedure(conn, name.upper(), hooks or Hooks()).run(list(args))


def call_statement(conn: Connection, statement: str, hooks: Hooks | None = None) -> Any:
    """Run a ``CALL proc(expr, ...)`` statement, evaluating its argument expressions first."""
    parsed = objects.parse_call(statement)
    if conn.target == "snowflake":
        return _snowflake_call(conn, parsed.name, statement, None)
    args = list(_evaluate(conn, f"SELECT {', '.join(parsed.args)}")) if parsed.args else []
    return call(conn, parsed.name, args, hooks)


def _snowflake_call(conn: Connection, name: str, statement: str, binds: dict[str, Any] | None) -> Any:
    """``CALL`` on Snowflake; a declared exception the procedure raised becomes ``ProcedureRaised``, as on DuckDB."""
    try:
        return conn.scalar(statement, binds)
    except Exception as exc:  # the connector's ProgrammingError
        raised = _SNOWFLAKE_RAISED.search(str(exc).strip().splitlines()[0] if str(exc).strip() else "")
        if raised is None:
            raise
        raise ProcedureRaised(name.upper(), raised.group("exception").upper(), raised.group("message")) from exc


def _evaluate(conn: Connection, select_sql: str) -> tuple[Any, ...]:
    row = conn.run_native(to_duckdb(select_sql)).fetchone()
    return tuple(row) if row else ()


@dataclass
class _DuckDBProcedure:
    conn: Connection
    name: str
    hooks: Hooks

    def run(self, args: list[Any]) -> Any:
        row = self.conn.run_native(
            f"SELECT definition FROM {META_SCHEMA}.PROCEDURES WHERE procedure_name = ?", [self.name]
        ).fetchone()
        if row is None:
            raise ProcedureError(f"procedure {self.name} does not exist; run the migrations first")
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
                raise ProcedureError(f"procedure {self.name} ended inside BEGIN TRANSACTION without COMMIT")
            return None
        except BaseException:
            if in_tx:
                self.conn.run_native("ROLLBACK")
            raise

    def _native(self, definition: dict[str, Any], args: list[Any]) -> Any:
        function = self.hooks.natives.get(definition["native"])
        if function is None:
            raise ProcedureError(
                f"procedure {self.name} runs the native procedure {definition['native']} on DuckDB, "
                "and none of that name is registered"
            )
        binds = self._bind({**definition, "variables": {}}, args)
        return function(self.conn, *binds.values())

    def _bind(self, definition: dict[str, Any], args: list[Any]) -> dict[str, Any]:
        params = definition["args"]
        if len(args) > len(params):
            raise ProcedureError(f"procedure {self.name} takes {len(params)} arguments, got {len(args)}")
        binds: dict[str, Any] = {}
        for i, param in enumerate(params):
            if i < len(args):
                binds[param["name"]] = args[i]
            elif param["default"] is not None:
                binds[param["name"]] = _evaluate(self.conn, f"SELECT {param['default']}")[0]
            else:
                raise ProcedureError(f"procedure {self.name}: missing argument {param['name']}")
        for variable, default in definition["variables"].items():
            binds[variable] = _evaluate(self.conn, f"SELECT {default}")[0] if default else None
        return binds

    def _sql(self, number: int, step: dict[str, Any], binds: dict[str, Any]) -> None:
        try:
            self.conn.run_native(step["duckdb"], used_params(step["duckdb"], binds, "$"))
        except Exception as exc:
            raise ProcedureError(f"{self.name} step {number} failed: {_first_line(exc)}") from exc

    def _scalar(self, number: int, step: dict[str, Any], binds: dict[str, Any]) -> Any:
        try:
            row = self.conn.run_native(step["duckdb"], used_params(step["duckdb"], binds, "$")).fetchone()
        except Exception as exc:
            raise ProcedureError(f"{self.name} step {number} failed: {_first_line(exc)}") from exc
        return row[0] if row else None

    def _commit(self, consumed: set[str], streams: dict[str, str]) -> None:
        for stream in sorted(consumed):
            self.conn.run_native(
                f"UPDATE {META_SCHEMA}.STREAMS SET consumed_seq = "
                f"COALESCE((SELECT MAX(load_seq) FROM {streams[stream]}), consumed_seq) WHERE stream_name = ?",
                [stream],
            )
        # between the write and the offset advance: a crash here must lose and duplicate nothing
        self.hooks.before_commit()
        self.conn.run_native("COMMIT")


def stream_has_data(conn: Connection, stream: str) -> bool:
    """Snowflake's SYSTEM$STREAM_HAS_DATA, on either target."""
    return bool(conn.scalar(f"SELECT SYSTEM$STREAM_HAS_DATA('{stream}')"))


def new_run_id() -> str:
    """A sortable, unique run id: UTC time plus randomness."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
