"""The warehouse behind one SQLAlchemy URL: embedded DuckDB (default) or Snowflake.

All SQL in this project is written in Snowflake's dialect. ``WarehouseConnection.execute`` takes that
text and, on DuckDB, runs the form derived by ``pipeline_sql.dialect`` (cached), so callers never
write a statement twice. Parameters are written ``:name`` in the Snowflake text, as in Snowflake
Scripting.

DuckDB allows one writing process per file. ``Warehouse.connect`` therefore opens the file only for
the duration of a unit of work, and waits up to ``C360_WAREHOUSE_LOCK_TIMEOUT`` seconds when another
process (normally ``c360 worker`` running a task) holds it, then fails naming that process.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from c360 import failpoints
from c360.errors import ConfigError, WarehouseBusy, WarehouseUnavailable, from_pipeline_sql
from c360.settings import Settings, get_settings
from c360.text import masked_url
from pipeline_sql.connection import Params, Target, TaskParameters, used_params

if TYPE_CHECKING:
    import sqlalchemy as sa

    from pipeline_sql.runtime import Hooks, NativeProcedures

# the connector logs every retry of an unreachable account as a warning; our error says it once
logging.getLogger("snowflake.connector").setLevel(logging.ERROR)

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<exe>\S+) \(PID (?P<pid>\d+)\)")
_PLACEHOLDER = re.compile(r"(?<![:\w$]):([A-Za-z_]\w*)")
_PLAIN_DUCKDB_URL = re.compile(r"duckdb:///(?P<database>[^?#%@:]+)")


def parse_url(raw: str, variable: str = "C360_WAREHOUSE_URL") -> sa.URL:
    """Parse a SQLAlchemy URL, with a one-line error naming the variable when it is malformed."""
    import sqlalchemy as sa
    from sqlalchemy.exc import ArgumentError

    try:
        return sa.make_url(raw)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise ConfigError(f"{variable} is not a valid SQLAlchemy URL: {masked_url(raw)!r}") from None


@dataclass(frozen=True)
class WarehouseURL:
    """What a configured warehouse URL says: the dialect, the database (DuckDB's file), and how to show it."""

    target: Target
    database: str | None
    display: str  # without the password


def read_url(raw: str) -> WarehouseURL:
    """Read ``C360_WAREHOUSE_URL``. `duckdb:///` and a path of plain characters, as the default URL and most
    configured ones are, is read here: SQLAlchemy's import is 0.13-0.16 s of every `c360` process
    (docs/benchmarks.md, 2026-12-07 21:26), and the embedded warehouse needs nothing else of it. Any other URL
    (a query, an escape, a password, another scheme) goes through sqlalchemy.make_url; the same database either
    way (tests/test_warehouse.py)."""
    plain = _PLAIN_DUCKDB_URL.fullmatch(raw)
    if plain:
        return WarehouseURL("duckdb", plain["database"], raw)
    url = parse_url(raw)
    return WarehouseURL(target_of(url), url.database, masked_url(url.render_as_string(hide_password=True)))


def target_of(url: sa.URL) -> Target:
    """``duckdb`` or ``snowflake``, from the URL's scheme."""
    backend = url.get_backend_name()
    if backend in ("duckdb", "snowflake"):
        return backend  # type: ignore[return-value]
    raise ConfigError(
        f"C360_WAREHOUSE_URL must be duckdb:///path or snowflake://..., not {backend}:// "
        f"({masked_url(url.render_as_string(hide_password=True))})"
    )


def _describe_pid(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return f"PID {pid}"
    # "…/python …/c360 worker" reads better as "c360 worker"
    match = re.search(r"c360\S*\s+(.*)$", cmd)
    return f"PID {pid} ({'c360 ' + match.group(1) if match else cmd[:80]})"


class WarehouseConnection:
    """An open connection to the warehouse; SQL in, rows (dicts with lower-case keys) out."""

    target: Target

    def execute(self, sql: str, params: Params | None = None) -> None:
        """Run one Snowflake-dialect statement."""
        self._run(sql, params)

    def query(self, sql: str, params: Params | None = None) -> list[dict[str, Any]]:
        """Run one Snowflake-dialect query and return its rows."""
        cursor = self._run(sql, params)
        names = [d[0].lower() for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def tuples(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Run one Snowflake-dialect query and return its rows as tuples, in select order: for reads of
        millions of rows, where building a dict per row is most of the cost."""
        return [tuple(row) for row in self._run(sql, params).fetchall()]

    def scalar(self, sql: str, params: Params | None = None) -> Any:
        """The first column of the first row, or None."""
        rows = self.query(sql, params)
        return next(iter(rows[0].values())) if rows else None

    def run_native(self, sql: str, params: Params | Sequence[Any] | None = None) -> Any:
        """Run a statement already in this target's dialect; returns the DB-API cursor."""
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN … COMMIT, or ROLLBACK when the block raises."""
        self.run_native("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.run_native("ROLLBACK")
            raise
        self.run_native("COMMIT")

    def _run(self, sql: str, params: Params | None) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class DuckDBConnection(WarehouseConnection):
    """A native DuckDB connection (DB-API cursor semantics, autocommit unless BEGIN)."""

    target: Target = "duckdb"

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.native = conn

    def _run(self, sql: str, params: Params | None) -> Any:
        from pipeline_sql.dialect import to_duckdb

        translated = to_duckdb(sql)
        return self.run_native(translated, used_params(translated, params, "$"))

    def run_native(self, sql: str, params: Params | Sequence[Any] | None = None) -> Any:
        return self.native.execute(sql, params) if params else self.native.execute(sql)

    def close(self) -> None:
        self.native.close()


class SnowflakeConnection(WarehouseConnection):
    """A DB-API connection from snowflake-connector-python (through SQLAlchemy's engine)."""

    target: Target = "snowflake"

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def _run(self, sql: str, params: Params | None) -> Any:
        used = used_params(sql, params, ":")
        if not used:
            return self.run_native(sql)
        # the connector's default paramstyle is pyformat, applied client-side as `sql % params`: our text uses
        # Snowflake Scripting's :name, and a literal % (LIKE '%x%') must be doubled to survive the formatting
        native = _PLACEHOLDER.sub(
            lambda m: f"%({m.group(1)})s" if m.group(1) in used else m.group(0), sql.replace("%", "%%")
        )
        return self.run_native(native, used)

    def run_native(self, sql: str, params: Params | Sequence[Any] | None = None) -> Any:
        cursor = self.raw.cursor()
        cursor.execute(sql, params) if params else cursor.execute(sql)
        return cursor

    def close(self) -> None:
        self.raw.close()


@dataclass
class Warehouse:
    """The configured warehouse: where it is, which dialect, and how to open it."""

    url: str  # as configured: C360_WAREHOUSE_URL, or the embedded DuckDB file's
    settings: Settings
    _read: WarehouseURL = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._read = read_url(self.url)  # a URL that does not parse, or of another dialect, fails here

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Warehouse:
        """The warehouse named by ``C360_WAREHOUSE_URL`` (default: the embedded DuckDB file)."""
        settings = settings or get_settings()
        return cls(url=settings.resolved_warehouse_url, settings=settings)

    @property
    def target(self) -> Target:
        """``duckdb`` or ``snowflake``, from the URL's scheme."""
        return self._read.target

    @property
    def display(self) -> str:
        """The URL without its password, for messages."""
        return self._read.display

    @property
    def task_parameters(self) -> TaskParameters:
        """What the migrations write into Snowflake's tasks, from the settings."""
        return task_parameters(self.settings)

    @property
    def duckdb_path(self) -> Path:
        """The DuckDB file (DuckDB targets only)."""
        database = self._read.database
        if not database or database == ":memory:":
            raise ConfigError("C360_WAREHOUSE_URL must name a DuckDB file, e.g. duckdb:///var/warehouse.duckdb")
        try:
            database.encode()
        except UnicodeEncodeError:  # bytes of no UTF-8 in the environment: DuckDB would fail with a bare bad_cast
            raise ConfigError(f"C360_WAREHOUSE_URL names a file that is not valid UTF-8: {database!r}") from None
        return Path(database)

    @contextmanager
    def connect(self) -> Iterator[WarehouseConnection]:
        """Open the warehouse for one unit of work, and close it (releasing DuckDB's file lock) after."""
        conn: WarehouseConnection = self._open_duckdb() if self.target == "duckdb" else self._open_snowflake()
        try:
            yield conn
        finally:
            conn.close()

    def _open_duckdb(self) -> DuckDBConnection:
        path = self.duckdb_path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseUnavailable(f"cannot create {path.parent}: {exc.strerror}") from None
        config: dict[str, Any] = {
            "memory_limit": self.settings.duckdb_memory_limit,
            "temp_directory": str(path.parent / "duckdb_tmp"),
        }
        if self.settings.duckdb_threads:
            config["threads"] = self.settings.duckdb_threads
        deadline = time.monotonic() + self.settings.warehouse_lock_timeout
        delay = 0.02
        while True:
            try:
                native = duckdb.connect(str(path), config=config)
                # every timestamp in the warehouse is UTC; set after connect, once ICU is loaded
                native.execute("SET TimeZone = 'UTC'")
                return DuckDBConnection(native)
            except duckdb.IOException as exc:
                holder = _LOCK_HOLDER.search(str(exc))
                if not holder:
                    raise WarehouseUnavailable(f"cannot open {path}: {_first_line(exc)}") from None
                if time.monotonic() >= deadline:
                    who = _describe_pid(int(holder.group("pid")))
                    raise WarehouseBusy(
                        f"warehouse {path} is held by {who}; waited "
                        f"{self.settings.warehouse_lock_timeout:g} s (C360_WAREHOUSE_LOCK_TIMEOUT)"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.25)
            except duckdb.Error as exc:
                raise WarehouseUnavailable(f"cannot open {path}: {_first_line(exc)}") from None

    def _open_snowflake(self) -> SnowflakeConnection:
        import sqlalchemy as sa
        from sqlalchemy.exc import NoSuchModuleError

        try:
            engine = sa.create_engine(
                parse_url(self.url),
                poolclass=sa.pool.NullPool,
                # snowflake-sqlalchemy turns the connector's autocommit off and nothing here commits, so every
                # DML statement would open a transaction that is rolled back when the connection closes.
                # Statements autocommit, as on DuckDB; BEGIN … COMMIT is written where a transaction is meant.
                isolation_level="AUTOCOMMIT",
                connect_args={
                    "session_parameters": {"TIMEZONE": "UTC", "QUERY_TAG": "c360"},
                    "login_timeout": self.settings.warehouse_connect_timeout,
                },
            )
            raw = engine.raw_connection()
        except NoSuchModuleError:
            raise ConfigError("snowflake:// URLs need snowflake-sqlalchemy installed") from None
        except Exception as exc:  # DBAPIError, or the connector's own errors raised before SQLAlchemy wraps them
            raise WarehouseUnavailable(f"cannot reach {self.display}: {_first_line(exc)}") from None
        return SnowflakeConnection(raw)


def task_parameters(settings: Settings) -> TaskParameters:
    """The settings the migration templates write into Snowflake's tasks."""
    return TaskParameters(
        task_warehouse=settings.snowflake_task_warehouse,
        risk_tier_high=settings.risk_tier_high,
        risk_tier_medium=settings.risk_tier_medium,
        model_min_test_auc=settings.model_min_test_auc,
        model_psi_alert=settings.model_psi_alert,
        model_max_calibration_error=settings.model_max_calibration_error,
        model_gate_bootstrap=settings.model_gate_bootstrap,
    )


def call(
    conn: WarehouseConnection, name: str, args: Sequence[Any] = (), *, natives: NativeProcedures | None = None
) -> Any:
    """Run a procedure (``pipeline_sql.runtime.call``) with this service's failpoint, failing as a ``C360Error``.

    ``natives``: the native procedures it may run on DuckDB (``c360.model.procedures.native_procedures``).
    """
    from pipeline_sql import runtime

    with from_pipeline_sql():
        return runtime.call(conn, name, args, _hooks(natives))


def call_statement(conn: WarehouseConnection, statement: str, *, natives: NativeProcedures | None = None) -> Any:
    """Run a task's ``CALL proc(expr, ...)`` body, as ``call`` does."""
    from pipeline_sql import runtime

    with from_pipeline_sql():
        return runtime.call_statement(conn, statement, _hooks(natives))


def ensure_migrated(warehouse: Warehouse) -> None:
    """``MigrationError`` unless every migration of this code has been applied to ``warehouse``."""
    from pipeline_sql import migrate

    with from_pipeline_sql():
        migrate.ensure_migrated(warehouse)


def _hooks(natives: NativeProcedures | None) -> Hooks:
    from pipeline_sql.runtime import Hooks

    return Hooks(natives=natives or {}, before_commit=lambda: failpoints.hit("stream.before_commit"))


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
