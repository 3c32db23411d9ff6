"""Parity: every staging and analytics transformation gives the same tables on Snowflake and on DuckDB.

The procedures are found by parsing the migrations (a procedure added later is covered without
touching this file), ordered by the tables they read and write, and called on both targets with the
raw rows of ``parity_fixture``:

* Snowflake: fakesnow (Snowflake's dialect emulated on DuckDB) behind a ``snowflake://`` warehouse.
  The schema comes from the V scripts' Snowflake DDL; fakesnow has no streams, so each stream is a
  view over its table past an offset that the procedure's commit advances (as Snowflake does), and
  the procedure's steps run in order through ``SnowflakeConnection`` with ``:name`` binds.
* DuckDB: the migrated embedded warehouse, where ``pipeline_sql.runtime.call`` runs the registered
  DuckDB form of the same steps.

After every call, every table the migrations create is compared (all columns but the wall-clock
ones), then every view. Where fakesnow falls short of Snowflake the test substitutes, and says so
next to ``fakesnow_text``. Snowflake-only (``duckdb-native``) procedures have no DuckDB SQL to
compare with; ``test_snowflake`` checks their statements.
"""

from __future__ import annotations

import graphlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlglot import exp

from c360.settings import Settings
from c360.warehouse import Warehouse, WarehouseConnection, task_parameters
from pipeline_sql import objects, runtime
from pipeline_sql.dialect import parse, tables_read
from pipeline_sql.emulation import bind_variables, quote
from pipeline_sql.errors import ProcedureRaised
from pipeline_sql.migrate import template_variables
from pipeline_sql.scripts import load_scripts
from tests.pipeline_sql import parity_fixture as fx

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")

# Columns that hold the time a row was written: they differ between any two runs.
WALL_CLOCK = frozenset({"staged_at", "updated_at", "built_at", "checked_at", "scored_at", "recorded_at", "trained_at"})

# Procedure arguments, by name, for each of the two daily runs. A procedure whose required argument
# is not here fails the test with a message saying so.
ARGUMENTS: tuple[Mapping[str, Any], ...] = tuple(
    {"as_of": as_of, "run_id": run_id} for as_of, run_id in zip(fx.AS_OF, fx.RUN_IDS, strict=True)
)

OFFSETS = "C360_META.PARITY_STREAM_OFFSETS"


# --- the migrations, read as Snowflake runs them ----------------------------------------------------


def statements() -> list[str]:
    """Every statement of every migration script both targets run, in the order they apply (Snowflake text).

    Not the Snowflake-only ones (V008's native loaders: no DuckDB form to compare with), nor the LANDED tables
    of V008, whose sequence default fakesnow cannot take (test_snowflake.FAKESNOW_NEXTVAL_DEFAULT); procedures
    never read them."""
    return [
        stmt
        for script in load_scripts(variables=template_variables(task_parameters(Settings())))
        for stmt, only in script.marked
        if only is None and not re.search(r"\bDEFAULT\s+[\w.]+\.NEXTVAL\b", stmt, re.I)
    ]


def procedures() -> list[objects.ProcedureDef]:
    """Every procedure the migrations define (the last definition of a name wins, as CREATE OR REPLACE)."""
    found = {p.name: p for p in map(objects.parse_procedure, _of_kind("procedure"))}
    return list(found.values())


def _of_kind(kind: objects.Kind) -> Iterator[str]:
    return (stmt for stmt in statements() if objects.classify(stmt) == kind)


def created(kind: str) -> list[str]:
    """Upper-case names of the tables (``kind='TABLE'``) or views the plain SQL statements create."""
    names = []
    for stmt in _of_kind("sql"):
        tree = parse(stmt)
        if isinstance(tree, exp.Create) and tree.kind == kind:
            table = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
            names.append(f"{table.db}.{table.name}".upper())
    return list(dict.fromkeys(names))


def written(sql: str) -> str | None:
    """The table a DML statement writes, or None."""
    tree = parse(sql)
    if not isinstance(tree, exp.Insert | exp.Merge | exp.Update | exp.Delete):
        return None
    target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
    return f"{target.db}.{target.name}".upper()


def run_order(procs: Sequence[objects.ProcedureDef]) -> list[objects.ProcedureDef]:
    """Writers before readers: a procedure runs after every one that writes a table it reads."""
    writes = {p.name: {w for s in p.steps if s.kind == "sql" and (w := written(s.sql))} for p in procs}
    reads = {
        p.name: {t for s in p.steps if s.kind not in ("begin", "commit") for t in _reads(s)} - writes[p.name]
        for p in procs
    }
    graph = graphlib.TopologicalSorter(
        {p.name: {q.name for q in procs if q.name != p.name and writes[q.name] & reads[p.name]} for p in procs}
    )
    by_name = {p.name: p for p in procs}
    return [by_name[name] for name in graph.static_order()]


def _reads(step: objects.Step) -> set[str]:
    return tables_read(step.sql if step.kind == "sql" else f"SELECT {step.sql}")


def arguments(proc: objects.ProcedureDef, run: int) -> list[Any]:
    """The positional arguments of one call (trailing arguments with defaults are left out)."""
    values: list[Any] = []
    for arg in proc.args:
        if arg.name in ARGUMENTS[run]:
            values.append(ARGUMENTS[run][arg.name])
        elif arg.default is None:
            pytest.fail(f"{proc.name}: the parity test has no value for argument {arg.name}; add it to ARGUMENTS")
        else:
            break
    return values


# --- one call, and its outcome ------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a call did: returned a value, or raised one of the procedure's exceptions."""

    kind: str  # returned | raised
    value: Any


def call_duckdb(conn: WarehouseConnection, proc: objects.ProcedureDef, args: list[Any]) -> Outcome:
    """The DuckDB form: the runtime runs the steps registered by the migrations."""
    try:
        return Outcome("returned", runtime.call(conn, proc.name, args))
    except ProcedureRaised as exc:
        return Outcome("raised", exc.exception)


# Statements fakesnow cannot run although Snowflake can: (pattern of fakesnow's error, why). A match
# turns the test into an xfail that says so; none is known for the current migrations.
FAKESNOW_GAPS: list[tuple[str, str]] = []

# Where fakesnow 0.12.1 runs a statement differently from Snowflake, the test substitutes instead:
#
# 1. fakesnow runs MERGE through a temporary table, and cannot create one inside BEGIN … COMMIT (its
#    bookkeeping writes a second attached DuckDB database, which one DuckDB transaction refuses).
#    Snowflake can, so a transaction holding a MERGE runs its statements one by one on fakesnow;
#    stream offsets still move only at its COMMIT, which is what the procedures see.
# 2. fakesnow re-generates a MERGE's source in sqlglot's default dialect, which turns
#    TRY_PARSE_JSON(x) into JSON(x): invalid JSON then fails the statement instead of giving NULL.
#    In a MERGE, TRY_PARSE_JSON(column) is rewritten to its Snowflake equivalent
#    IFF(CHECK_JSON(column) IS NULL, PARSE_JSON(NULLIF(column, '')), NULL), which survives that.
#
# test_fakesnow_still_needs_each_substitution fails once a fakesnow upgrade makes one unnecessary.
_TRY_PARSE_JSON = re.compile(r"\bTRY_PARSE_JSON\(\s*([A-Za-z_][\w.$]*)\s*\)", re.I)


def fakesnow_text(sql: str) -> str:
    """The statement fakesnow is given: the Snowflake text, with substitution 2 in a MERGE."""
    if isinstance(parse(sql), exp.Merge):
        return _TRY_PARSE_JSON.sub(r"IFF(CHECK_JSON(\1) IS NULL, PARSE_JSON(NULLIF(\1, '')), NULL)", sql)
    return sql


class FakesnowFailure(Exception):
    """A statement failed on fakesnow."""


@dataclass
class Fakesnow:
    """The Snowflake text on fakesnow: tables and views from the DDL, streams as offset views."""

    conn: WarehouseConnection
    streams: dict[str, str] = field(default_factory=dict)  # stream -> its table
    steps_run: set[tuple[str, int]] = field(default_factory=set)

    def create_objects(self) -> None:
        """Run the migrations' plain SQL; streams become views; tasks and procedures are not objects here."""
        self.conn.execute(f"CREATE SCHEMA IF NOT EXISTS {OFFSETS.split('.')[0]}")
        self.conn.execute(f"CREATE TABLE {OFFSETS} (stream_name VARCHAR, consumed_seq NUMBER(38, 0))")
        for stmt in statements():
            kind = objects.classify(stmt)
            if kind == "sql":
                self.execute(stmt)
            elif kind == "stream":
                self.create_stream(objects.parse_stream(stmt))

    def create_stream(self, stream: objects.StreamDef) -> None:
        """A view with the stream's columns (METADATA$ACTION, …) over the rows past its offset."""
        self.streams[stream.name] = stream.table
        start = "0" if stream.show_initial_rows else f"COALESCE((SELECT MAX(load_seq) FROM {stream.table}), 0)"
        self.conn.execute(f"INSERT INTO {OFFSETS} SELECT {quote(stream.name)}, {start}")
        self.conn.execute(
            f"CREATE OR REPLACE VIEW {stream.name} AS SELECT src.*, 'INSERT' AS METADATA$ACTION, "
            "FALSE AS METADATA$ISUPDATE, src.load_seq::VARCHAR AS METADATA$ROW_ID "
            f"FROM {stream.table} AS src WHERE src.load_seq > "
            f"(SELECT consumed_seq FROM {OFFSETS} WHERE stream_name = {quote(stream.name)})"
        )

    def call(self, proc: objects.ProcedureDef, args: list[Any]) -> Outcome:
        """Run the procedure's steps in order, as Snowflake Scripting would."""
        binds: dict[str, Any] = dict(zip((a.name for a in proc.args), args, strict=False))
        for arg in proc.args[len(args) :]:
            binds[arg.name] = self.scalar(bind_variables(f"SELECT {arg.default}", set(binds)), binds)
        for variable, default in proc.variables.items():  # a default may use the arguments, as in Snowflake
            binds[variable] = self.scalar(bind_variables(f"SELECT {default}", set(binds)), binds) if default else None
        known = set(binds)
        consumed: set[str] = set()
        in_transaction = merge_inside = False
        for number, step in enumerate(proc.steps, start=1):
            self.steps_run.add((proc.name, number))
            if step.kind == "begin":
                merge_inside = _holds_merge(proc.steps[number:])
                if not merge_inside:
                    self.execute("BEGIN TRANSACTION")
                in_transaction = True
            elif step.kind == "commit":
                if not merge_inside:
                    self.execute("COMMIT")
                self.advance(consumed)
                consumed, in_transaction = set(), False
            elif step.kind == "sql":
                self.execute(fakesnow_text(step.sql), binds)
                reads = {t for t in tables_read(step.sql) if t in self.streams} if written(step.sql) else set()
                if in_transaction:
                    consumed |= reads
                else:
                    self.advance(reads)  # an autocommitted DML statement consumes the stream it read
            else:
                value = self.scalar(bind_variables(f"SELECT {step.sql}", known), binds)
                if step.kind == "assign":
                    binds[step.target] = value
                elif step.kind == "raise_if" and value:
                    if in_transaction and not merge_inside:
                        self.execute("ROLLBACK")
                    return Outcome("raised", step.target)
                elif step.kind == "return":
                    if in_transaction:
                        if not merge_inside:
                            self.execute("COMMIT")
                        self.advance(consumed)
                    return Outcome("returned", value)
        return Outcome("returned", None)

    def advance(self, streams: set[str]) -> None:
        """Snowflake moves a stream's offset when the transaction that read it in DML commits."""
        for stream in sorted(streams):
            self.conn.execute(
                f"UPDATE {OFFSETS} SET consumed_seq = COALESCE((SELECT MAX(load_seq) FROM {self.streams[stream]}), "
                f"consumed_seq) WHERE stream_name = {quote(stream)}"
            )

    def execute(self, sql: str, binds: Mapping[str, Any] | None = None) -> None:
        try:
            self.conn.execute(sql, binds)
        except Exception as exc:
            raise FakesnowFailure(_describe_failure(sql, exc)) from exc

    def scalar(self, sql: str, binds: Mapping[str, Any]) -> Any:
        try:
            return self.conn.scalar(sql, binds)
        except Exception as exc:
            raise FakesnowFailure(_describe_failure(sql, exc)) from exc


def _holds_merge(steps: Sequence[objects.Step]) -> bool:
    """Whether the transaction that starts with ``steps`` (up to its COMMIT) holds a MERGE."""
    for step in steps:
        if step.kind == "commit":
            return False
        if step.kind == "sql" and isinstance(parse(step.sql), exp.Merge):
            return True
    return False


def _describe_failure(sql: str, exc: Exception) -> str:
    error = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    for pattern, reason in FAKESNOW_GAPS:
        if re.search(pattern, error):
            pytest.xfail(f"fakesnow lacks what Snowflake has: {reason} ({error})")
    return f"{error}\n--- statement (Snowflake text) ---\n{sql}"


# --- comparing what the two targets hold -----------------------------------------------------------------


def table_rows(conn: WarehouseConnection, name: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and sorted, normalised rows of a table or view, wall-clock columns left out."""
    rows = conn.query(f"SELECT * FROM {name}")
    columns = sorted(c for c in (rows[0] if rows else _columns(conn, name)) if c not in WALL_CLOCK)
    values = [tuple(normalise(row[c]) for c in columns) for row in rows]
    return columns, sorted(values, key=lambda r: [(v is None, repr(v)) for v in r])


def _columns(conn: WarehouseConnection, name: str) -> list[str]:
    schema, table = name.split(".")
    rows = conn.query(
        "SELECT column_name FROM information_schema.columns WHERE UPPER(table_schema) = :schema "
        "AND UPPER(table_name) = :table",
        {"schema": schema, "table": table},
    )
    return [r["column_name"].lower() for r in rows]


def normalise(value: Any) -> Any:
    """One representation per value: numbers as rounded floats, timestamps naive UTC, JSON parsed."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return round(float(value), 6)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.dumps(json.loads(value), sort_keys=True)
        except ValueError:
            return value
    return value


def differences(snow: WarehouseConnection, duck: WarehouseConnection, names: list[str]) -> list[str]:
    """A readable line per table whose contents differ between the two targets."""
    problems = []
    for name in names:
        snow_columns, snow_rows = table_rows(snow, name)
        duck_columns, duck_rows = table_rows(duck, name)
        if snow_columns != duck_columns:
            problems.append(f"{name}: columns differ: snowflake {snow_columns}, duckdb {duck_columns}")
            continue
        only_snow = [r for r in snow_rows if r not in duck_rows]
        only_duck = [r for r in duck_rows if r not in snow_rows]
        if only_snow or only_duck or len(snow_rows) != len(duck_rows):
            problems.append(
                f"{name}: {len(snow_rows)} rows on snowflake, {len(duck_rows)} on duckdb; columns {snow_columns}\n"
                f"  only on snowflake: {only_snow[:3]}\n  only on duckdb: {only_duck[:3]}"
            )
    return problems


# --- the tests ----------------------------------------------------------------------------------------


@dataclass
class Run:
    """Both targets, loaded with the same raw rows."""

    snow: Fakesnow
    duck: WarehouseConnection
    calls: list[tuple[str, Outcome, Outcome]] = field(default_factory=list)

    def load(self, inserts: Iterator[str]) -> None:
        for sql in inserts:
            self.snow.execute(sql)
            self.duck.execute(sql)

    def call_all(self, run: int, tables: list[str]) -> None:
        """Call every procedure once, comparing every table after each call."""
        for proc in run_order(procedures_under_test()):
            args = arguments(proc, run)
            duck = call_duckdb(self.duck, proc, args)
            snow = self.snow.call(proc, args)
            self.calls.append((proc.name, snow, duck))
            assert snow == duck, f"{proc.name} (run {run + 1}): snowflake {snow}, duckdb {duck}"
            problems = differences(self.snow.conn, self.duck, tables)
            assert not problems, f"after {proc.name} (run {run + 1}):\n" + "\n".join(problems)


def procedures_under_test() -> list[objects.ProcedureDef]:
    """Procedures with a SQL body (a Snowflake-only body has no DuckDB form to compare with)."""
    return [p for p in procedures() if p.native is None]


@pytest.fixture
def both(warehouse: Warehouse, fakesnow_warehouse: Warehouse) -> Iterator[Run]:
    with fakesnow_warehouse.connect() as snow_conn, warehouse.connect() as duck_conn:
        snow = Fakesnow(snow_conn)
        snow.create_objects()
        yield Run(snow, duck_conn)


@pytest.mark.slow  # fakesnow translates every statement of every transformation
def test_every_transformation_gives_the_same_tables_on_both_targets(both: Run) -> None:
    tables, views = created("TABLE"), created("VIEW")
    both.load(fx.insert_statements(0))
    assert not differences(both.snow.conn, both.duck, tables), "the raw rows differ before any transformation"
    both.call_all(0, tables)
    both.load(fx.insert_statements(1))
    both.call_all(1, tables)
    problems = differences(both.snow.conn, both.duck, views)
    assert not problems, "views differ:\n" + "\n".join(problems)
    # the fixture is rich enough: every step of every procedure ran (none stopped early on both)
    expected = {(p.name, n) for p in procedures_under_test() for n in range(1, len(p.steps) + 1)}
    missed = sorted(expected - both.snow.steps_run)
    raised = [(name, duck.value) for name, _, duck in both.calls if duck.kind == "raised"]
    assert not missed, f"steps never run: {missed}; calls that raised: {raised}; extend parity_fixture"
    assert_the_dirt_was_exercised(both.duck)
    # outcome monitoring measured the closed score date, cancellations included (so its ROC AUC too)
    realised = {
        r["metric"]: r["value"]
        for r in both.duck.query(
            "SELECT metric, value FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE WHERE name = 'all' "
            "AND score_date = '2025-01-25'"
        )
    }
    assert realised["rows"] == len(fx.SUBSCRIBERS) and 0 < realised["positives"] < realised["rows"]
    assert 0 <= realised["roc_auc"] <= 1


INVALID_REASONS = {
    "missing event_id",
    "missing subscriber_id",
    "unknown event_type",
    "unparseable event_timestamp",
    "event_timestamp in the future",
    "event_timestamp before 1900",
    "non-positive payment_amount",
}
DROPPED_VIEWS = {"cv-bot-google", "cv-bot-requests", "cv-bot-curl", "cv-bot-headless", "cv-bad-ts", "cv-future"}


def assert_the_dirt_was_exercised(conn: WarehouseConnection) -> None:
    """The fixture reaches the paths it is meant to: each kind of invalid event, each cleaning rule."""
    events = {r["event_id"]: r for r in conn.query("SELECT * FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS")}
    assert {e["invalid_reason"] for e in events.values()} == INVALID_REASONS | {None}
    assert events["evt-sub-002-pay-2"]["payment_amount"] == Decimal("19.99")  # the later correction won
    assert events["evt-sub-003-pay-2"]["source_load_seq"] < 2000  # the stale copy lost
    assert events["evt-sub-004-pay-2"]["source_load_seq"] >= 2000  # the same-time resend of a later load won
    assert events["evt-dirty-bad-ts"]["is_valid"]  # fixed by the source in the second load
    views = {r["event_id"]: r for r in conn.query("SELECT * FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT")}
    assert not DROPPED_VIEWS & set(views)
    assert views["cv-dup"]["time_spent_seconds"] == 20 and views["cv-time-fraction"]["time_spent_seconds"] == 13
    assert views["cv-meta-invalid"]["section"] == "unknown"
    assert views["cv-late-evening"]["event_date"] == date(2025, 3, 1)  # 22:30 at -05:00 is the next day in UTC
    assert conn.scalar("SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS WHERE status = 'cancelled'")
    assert conn.scalar("SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY")


@pytest.mark.slow  # fakesnow translates every statement of the load and the build
def test_a_failed_quality_check_stops_both_targets_alike(both: Run) -> None:
    # the dirt of the first load without its clean majority: more than 10% of the events are invalid
    # (the views are loaded, so the build's day is in range and the quality check is what stops it)
    both.load(
        iter(
            [
                fx.insert_sql("SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS", fx.dirty_subscriber_events()),
                fx.insert_sql("SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT", fx.content_rows(0)),
            ]
        )
    )
    both.call_all(0, created("TABLE"))
    outcomes = {name: duck for name, _, duck in both.calls}
    assert outcomes["SFE_ANALYTICS_MEDIA.SFE_BUILD_DAILY"] == Outcome("raised", "DQ_CHECK_FAILED")
    assert not both.duck.scalar("SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS")


def test_procedures_are_found_and_ordered_from_the_migrations(settings: object) -> None:
    names = [p.name for p in run_order(procedures_under_test())]
    assert {"SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS", "SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT"} <= set(names)
    daily = names.index("SFE_ANALYTICS_MEDIA.SFE_BUILD_DAILY")
    assert daily > names.index("SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS")
    assert daily > names.index("SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT")


def test_fakesnow_still_needs_each_substitution(fakesnow_warehouse: Warehouse) -> None:
    """Each substitution above works around a fakesnow gap; when an upgrade closes one, remove it."""
    with fakesnow_warehouse.connect() as conn:
        conn.execute("CREATE TABLE PUBLIC.T (id NUMBER(38, 0), doc VARCHAR)")
        merge = (
            "MERGE INTO PUBLIC.T AS tgt USING (SELECT 1 AS id, {doc} AS doc FROM (SELECT :d AS d)) AS src "
            "ON tgt.id = src.id WHEN NOT MATCHED THEN INSERT (id, doc) VALUES (src.id, src.doc)"
        )
        conn.execute("BEGIN TRANSACTION")
        with pytest.raises(Exception, match="single attached database"):  # substitution 1
            conn.execute(merge.format(doc="d"), {"d": "x"})
        conn.execute("ROLLBACK")
        with pytest.raises(Exception, match="Malformed JSON"):  # substitution 2
            conn.execute(merge.format(doc="TRY_PARSE_JSON(d):a::VARCHAR"), {"d": "{x"})
        # and the replacement of substitution 2 is TRY_PARSE_JSON, where fakesnow gets that right
        source = fakesnow_text(merge.format(doc="TRY_PARSE_JSON(d)")).split("USING ")[1].split(" AS src")[0]
        for text in ["{x", "", "  ", '{"a": 1}', "[1, 2]", "null", None]:
            row = conn.query(f"SELECT TRY_PARSE_JSON(:d) AS expected, s.doc FROM {source} AS s", {"d": text})[0]
            assert normalise(row["doc"]) == normalise(row["expected"]), f"the substitute differs for {text!r}"
