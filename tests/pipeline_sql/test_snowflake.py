"""Snowflake, as far as a machine without an account can test it.

* The dry-run output of both targets is golden: any change in what runs, or in its DuckDB translation,
  shows in review. ``C360_UPDATE_GOLDEN=1 pytest tests/pipeline_sql/test_snowflake.py`` rewrites them.
* Every statement of every script parses with sqlglot's Snowflake dialect. Streams, tasks and
  procedures are opaque to sqlglot, so their parts (task condition and CALL arguments, every step of
  a procedure body) are parsed too; Snowflake ML statements are checked against a small grammar.
* A ``snowflake://`` warehouse on fakesnow connects, binds, and takes the migrations' DDL; an
  unreachable account fails fast with one line.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from c360.errors import WarehouseUnavailable
from c360.settings import Settings, get_settings
from c360.sources.ingest import load_payloads
from c360.warehouse import Warehouse, task_parameters
from pipeline_sql import objects
from pipeline_sql.dialect import split_statements
from pipeline_sql.errors import MigrationError
from pipeline_sql.migrate import HISTORY, dry_run, migrate, pending_scripts, template_variables
from pipeline_sql.scripts import Script, load_scripts
from tests.pipeline_sql.conftest import SNOWFLAKE_URL

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")

GOLDEN = Path(__file__).parent / "golden"
# read when the module is imported: the `home` fixture clears every C360_* variable
UPDATE_GOLDEN = os.environ.get("C360_UPDATE_GOLDEN") == "1"


# --- golden dry runs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["snowflake", "duckdb"])
def test_dry_run_matches_the_golden_file(settings: Settings, target: str) -> None:
    rendered = dry_run(target, task_parameters(settings))  # type: ignore[arg-type]
    path = GOLDEN / f"{target}_migrations.sql"
    if UPDATE_GOLDEN:
        path.write_text(rendered)
    assert path.exists(), f"{path} is missing: C360_UPDATE_GOLDEN=1 pytest tests/pipeline_sql/test_snowflake.py"
    golden = path.read_text()
    if rendered != golden:
        diff = difflib.unified_diff(golden.splitlines(), rendered.splitlines(), str(path), "dry_run", lineterm="")
        shown = [line if len(line) <= 240 else line[:237] + "..." for line in list(diff)[:80]]
        pytest.fail(
            f"`c360 migrate --dry-run --target {target}` changed. If the change is meant, rewrite the golden file "
            "with C360_UPDATE_GOLDEN=1 pytest tests/pipeline_sql/test_snowflake.py and review its diff.\n"
            + "\n".join(shown)
        )


def test_every_task_runs_in_utc() -> None:
    """Task bodies take CURRENT_DATE() - 1 as their day: a child task in the account's zone would score the
    day before the one its root built (at 03:00 UTC it is still the previous day in Los Angeles)."""
    tasks = [
        statement
        for script in scripts()
        for statement in split_statements(script.text)
        if re.match(r"\s*(--[^\n]*\n\s*)*CREATE\s+OR\s+REPLACE\s+TASK", statement, re.I)
        and "CURRENT_DATE()" in statement.upper()
    ]
    assert any("sfe_daily_churn_scoring_task" in text for text in tasks)
    for text in tasks:
        assert re.search(r"^\s*TIMEZONE\s*=\s*'UTC'\s*$", text, re.M | re.I), text


# --- every statement parses as Snowflake ------------------------------------------------------------------


def scripts() -> list[Script]:
    return load_scripts(variables=template_variables(task_parameters(Settings())))


def parsed(sql: str) -> exp.Expr:
    """sqlglot's Snowflake parse of ``sql``; a ParseError fails the test with the statement."""
    try:
        return sqlglot.parse_one(sql, read="snowflake")
    except sqlglot.errors.ParseError as exc:
        pytest.fail(f"sqlglot cannot parse this as Snowflake: {exc.errors[0]['description']}\n{sql}")


def assert_real(sql: str, what: str) -> None:
    """``sql`` parses to a real expression, not sqlglot's opaque Command (which accepts anything)."""
    tree = parsed(sql)
    if isinstance(tree, exp.Command) and not ml_statement(sql):
        pytest.fail(f"{what}: sqlglot parses this only as an opaque Command (not Snowflake it knows):\n{sql}")
    for method in re.findall(r"!\s*(\w+)\s*\(", sql):
        assert method.upper() in ML_METHODS, f"{what}: unknown Snowflake ML method !{method}"


# Snowflake ML classification, which sqlglot does not know: the statements the project may use.
_NAME = r"[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)*"
ML_METHODS = {
    "PREDICT",
    "SHOW_EVALUATION_METRICS",
    "SHOW_GLOBAL_EVALUATION_METRICS",
    "SHOW_THRESHOLD_METRICS",
    "SHOW_CONFUSION_MATRIX",
    "SHOW_FEATURE_IMPORTANCE",
    "SHOW_TRAINING_LOGS",
}
_STRING = r"'(?:[^']|'')*'"
_ML_CREATE = re.compile(
    rf"^CREATE\s+(?:OR\s+REPLACE\s+)?SNOWFLAKE\.ML\.CLASSIFICATION\s+(?:IF\s+NOT\s+EXISTS\s+)?{_NAME}\s*"
    rf"\((?P<args>.*)\)(?:\s+(?:WITH\s+)?TAG\s*\(.*\))?(?:\s+COMMENT\s*=\s*{_STRING})?$",
    re.I | re.S,
)
_ML_ARGS = {"INPUT_DATA", "TARGET_COLNAME", "CONFIG_OBJECT"}
_ML_OTHER = [
    re.compile(rf"^CALL\s+{_NAME}\s*!\s*(?:{'|'.join(sorted(ML_METHODS - {'PREDICT'}))})\s*\(\s*\)$", re.I),
    re.compile(rf"^DROP\s+SNOWFLAKE\.ML\.CLASSIFICATION\s+(?:IF\s+EXISTS\s+)?{_NAME}$", re.I),
    re.compile(
        rf"^ALTER\s+SNOWFLAKE\.ML\.CLASSIFICATION\s+(?:IF\s+EXISTS\s+)?{_NAME}\s+"
        rf"(?:RENAME\s+TO\s+{_STRING}|SET\s+COMMENT\s*=\s*{_STRING}|UNSET\s+COMMENT|(?:SET|UNSET)\s+TAG\s+.+)$",
        re.I,
    ),
    re.compile(rf"^SHOW\s+SNOWFLAKE\.ML\.CLASSIFICATION(?:\s+LIKE\s+'[^']*')?(?:\s+IN\s+\w+\s+{_NAME})?$", re.I),
]


def ml_statement(sql: str) -> bool:
    """Whether ``sql`` is a Snowflake ML statement of the grammar above (its arguments parsed too)."""
    text = " ".join(sql.split())
    create = _ML_CREATE.match(text)
    if create:
        # the arguments are `NAME => expression`, which sqlglot parses as keyword arguments of a call
        call = parsed(f"SELECT F({create.group('args')})").find(exp.Anonymous)
        assert call is not None
        names = set()
        for arg in call.expressions:
            assert isinstance(arg, exp.Kwarg) and arg.this.name.upper() in _ML_ARGS, f"bad argument {arg}: {sql}"
            names.add(arg.this.name.upper())
        assert {"INPUT_DATA", "TARGET_COLNAME"} <= names, f"INPUT_DATA and TARGET_COLNAME are required: {sql}"
        return True
    return any(pattern.match(text) for pattern in _ML_OTHER)


def procedure_parts(statement: str) -> Iterator[tuple[str, str]]:
    """``(what, SQL)`` for each part of a procedure body that sqlglot can check."""
    proc = objects.parse_procedure(statement)
    if proc.native:
        # a Snowflake-only body: no DuckDB steps were derived from it, so walk its statements here
        yield from native_parts(proc.name, statement[statement.find("$$") + 2 : statement.rfind("$$")])
        return
    for number, step in enumerate(proc.steps, start=1):
        what = f"{proc.name} step {number} ({step.kind})"
        if step.kind == "sql":
            yield what, step.sql
        elif step.kind in ("assign", "raise_if", "return"):
            yield what, f"SELECT {step.sql}"


_SKIPPED = re.compile(r"^(?:BEGIN|BEGIN\s+TRANSACTION|COMMIT|ROLLBACK|END(?:\s+IF|\s+FOR|\s+LOOP)?|RAISE\s+\w+)$", re.I)
_ASSIGN = re.compile(r"^(?:LET\s+)?[A-Za-z_]\w*(?:\s+[A-Za-z_]\w*)?\s*:=\s*(?P<expr>.+)$", re.I | re.S)
_RETURN = re.compile(r"^RETURN\s+(?P<expr>.+)$", re.I | re.S)
_BRANCH = re.compile(r"^(?:(?:IF|ELSEIF)\s*(?=\()|ELSE\b)", re.I)


def native_parts(name: str, body: str) -> Iterator[tuple[str, str]]:
    """The SQL inside a Snowflake Scripting body: statements, and the expressions around them."""
    declaring = False
    for number, chunk in enumerate(split_statements(body), start=1):
        text = chunk.strip()
        declaring = declaring or bool(re.match(r"DECLARE\b", text, re.I))
        if declaring and not re.match(r"BEGIN\b(?!\s+TRANSACTION\b)", text, re.I):
            continue  # a declaration: a variable, an exception, a cursor
        declaring = False
        what = f"{name} statement {number}"
        text = _after(text, r"BEGIN\s+(?!TRANSACTION\b)")  # the block's BEGIN, before its first statement
        while _BRANCH.match(text):  # IF (condition) THEN statement, ELSE statement
            if re.match(r"ELSE\b", text, re.I):
                text = _after(text, r"ELSE\b")
                continue
            close = _closing_paren(text, text.index("("))
            yield f"{what} (condition)", f"SELECT {text[text.index('(') + 1 : close]}"
            text = _after(text[close + 1 :], r"\s*THEN\b")
        if not text or _SKIPPED.match(text):
            continue
        expression = _ASSIGN.match(text) or _RETURN.match(text)
        yield what, f"SELECT {expression.group('expr')}" if expression else text


def _after(text: str, keyword: str) -> str:
    """``text`` without a leading ``keyword`` and the comment lines after it."""
    rest = re.sub(rf"^{keyword}", "", text, count=1, flags=re.I | re.S)
    return (split_statements(rest) or [""])[0] if rest != text else text


def _closing_paren(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    raise AssertionError(f"unbalanced parentheses: {text[:80]}")


def check_call(statement: str, procedures: dict[str, objects.ProcedureDef], what: str) -> None:
    """A ``CALL`` of a procedure the migrations create, with as many arguments as it takes."""
    call = objects.parse_call(statement)
    for arg in call.args:
        assert_real(f"SELECT {arg}", f"{what} CALL argument")
    proc = procedures.get(call.name)
    assert proc is not None, f"{what} calls {call.name}, which no script creates"
    required = sum(a.default is None for a in proc.args)
    assert required <= len(call.args) <= len(proc.args), f"{what}: {call.name} takes {len(proc.args)} arguments"


def created_names(kind: str) -> set[str]:
    """Upper-case names of the objects the plain SQL statements create (kind TABLE or VIEW)."""
    names = set()
    for script in scripts():
        for stmt in script.statements:
            tree = parsed(stmt)
            if isinstance(tree, exp.Create) and tree.kind == kind:
                table = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
                names.add(f"{table.db}.{table.name}".upper())
    return names


_PROPERTY = re.compile(r"\s*(?P<name>[A-Za-z_]\w*)\s*=\s*(?:'(?:[^']|'')*'|[\w.$]+)")
_TASK_PROPERTIES = {
    "WAREHOUSE",
    "SCHEDULE",
    "TIMEZONE",
    "COMMENT",
    "ALLOW_OVERLAPPING_EXECUTION",
    "USER_TASK_TIMEOUT_MS",
    "SUSPEND_TASK_AFTER_NUM_FAILURES",
    "TASK_AUTO_RETRY_ATTEMPTS",
    "ERROR_INTEGRATION",
    "USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE",
    "QUERY_TAG",
}
_STREAM_PROPERTIES = {"APPEND_ONLY", "SHOW_INITIAL_ROWS", "INSERT_ONLY", "COMMENT"}
_SCHEDULE = re.compile(r"^(?:\d+\s+(?:MINUTE|MINUTES|SECOND|SECONDS|HOUR|HOURS)|USING CRON(?: \S+){5} [\w/+-]+)$", re.I)


def properties(text: str, allowed: set[str], what: str, end: str = r"$") -> None:
    """``NAME = value`` pairs until ``end``: each of a known name."""
    while not re.match(rf"\s*(?:{end})", text, re.I | re.S):
        prop = _PROPERTY.match(text)
        assert prop, f"{what}: not a property: {text.strip()[:60]}"
        assert prop.group("name").upper() in allowed, f"{what}: unknown property {prop.group('name')}"
        text = text[prop.end() :]


def check_stream(statement: str, tables: set[str]) -> None:
    stream = objects.parse_stream(statement)
    assert stream.table in tables, f"{stream.name} is on {stream.table}, which no script creates"
    after_table = re.split(rf"\bON\s+TABLE\s+{_NAME}", statement, maxsplit=1, flags=re.I)[1]
    properties(after_table, _STREAM_PROPERTIES, stream.name)


def check_task(statement: str, procedures: dict[str, objects.ProcedureDef], tasks: set[str]) -> None:
    task = objects.parse_task(statement)
    head = re.match(rf"^CREATE\s+(?:OR\s+REPLACE\s+)?TASK\s+(?:IF\s+NOT\s+EXISTS\s+)?{_NAME}", statement.strip(), re.I)
    assert head is not None
    properties(statement.strip()[head.end() :], _TASK_PROPERTIES, task.name, end=r"AFTER\b|WHEN\b|AS\b")
    assert task.schedule is None or _SCHEDULE.match(task.schedule), f"{task.name}: bad schedule {task.schedule!r}"
    assert task.schedule or task.after, f"{task.name}: a task needs a SCHEDULE or AFTER"
    assert set(task.after) <= tasks, f"{task.name}: AFTER names unknown tasks {set(task.after) - tasks}"
    if task.condition:
        assert_real(f"SELECT {task.condition}", f"{task.name} WHEN")
    check_call(task.body, procedures, task.name)


_PIPE = re.compile(
    rf"^CREATE\s+(?:OR\s+REPLACE\s+)?PIPE\s+(?:IF\s+NOT\s+EXISTS\s+)?{_NAME}\s+"
    r"(?P<props>.*?)\s+AS\s+(?P<copy>COPY\s.*)$",
    re.I | re.S,
)
_PIPE_PROPERTIES = {"AUTO_INGEST", "ERROR_INTEGRATION", "AWS_SNS_TOPIC", "INTEGRATION", "COMMENT"}


def snowflake_only() -> list[str]:
    return [stmt for script in scripts() for stmt, only in script.marked if only is not None]


def check_snowflake_only(statement: str) -> None:
    """A statement DuckDB skips: sqlglot knows it (a pipe: its properties and its COPY; a procedure: its body)."""
    pipe = _PIPE.match(statement.strip())
    if pipe:
        properties(pipe.group("props"), _PIPE_PROPERTIES, "pipe")
        assert isinstance(parsed(pipe.group("copy")), exp.Copy), statement
    elif objects.classify(statement) == "procedure":
        body = statement[statement.find("$$") + 2 : statement.rfind("$$")]
        for what, sql in native_parts(objects.parse_procedure(statement).name, body):
            assert_real(sql, what)
    elif objects.classify(statement) not in ("task", "alter_task"):  # tasks: checked with the others
        assert_real(statement, "snowflake-only statement")


def test_snowflake_only_statements_are_snowflake_sqlglot_knows_and_duckdb_skips(settings: Settings) -> None:
    only = snowflake_only()
    for statement in only:
        check_snowflake_only(statement)
    heads = {" ".join(s.split()[:3]).upper() for s in only}
    assert {"CREATE FILE FORMAT", "CREATE STAGE IF", "CREATE PIPE IF"} <= heads, heads
    copies = [s for s in only if re.search(r"\bCOPY INTO\b", s)]
    assert len(copies) == 3 and all("ON_ERROR = CONTINUE" in s for s in copies)  # the pipe and two procedures
    assert "AUTO_INGEST = TRUE" in next(s for s in only if s.upper().startswith("CREATE PIPE"))
    tickets = objects.parse_task(next(s for s in only if "sfe_load_support_tickets_task" in s and "TASK" in s[:30]))
    assert tickets.schedule == "USING CRON 30 2 * * * UTC"
    duckdb = dry_run("duckdb", task_parameters(settings))
    run = "\n".join(line for line in duckdb.splitlines() if not line.startswith("--"))
    for name in ("FILE FORMAT", "SFE_LANDING_STAGE", "SFE_CONTENT_PIPE", "COPY INTO", "SFE_LOAD_", "sfe_load_"):
        assert name not in run, name
    assert duckdb.count("-- not run on DuckDB (") == len(only)


def test_every_statement_parses_as_snowflake(settings: object) -> None:
    statements = [stmt for script in scripts() for stmt in script.statements]
    procedures = {p.name: p for p in map(objects.parse_procedure, of_kind(statements, "procedure"))}
    tasks = {objects.parse_task(s).name for s in of_kind(statements, "task")}
    tables = created_names("TABLE")
    only = set(snowflake_only())
    checked: dict[str, int] = {}
    for stmt in statements:
        kind = objects.classify(stmt)
        checked[kind] = checked.get(kind, 0) + 1
        parsed(stmt)  # every statement, Command or not, goes through sqlglot's Snowflake parser
        if stmt in only and kind not in ("task", "alter_task"):
            check_snowflake_only(stmt)
        elif kind == "sql":
            assert_real(stmt, "statement")
        elif kind == "stream":
            check_stream(stmt, tables)
        elif kind == "task":
            check_task(stmt, procedures, tasks)
        elif kind == "alter_task":
            name, _ = objects.parse_alter_task(stmt)
            assert name in tasks, f"ALTER TASK {name}: no script creates it"
        elif kind == "procedure":
            assert isinstance(parsed(stmt), exp.Create)
            for what, sql in procedure_parts(stmt):
                if objects.classify(sql) == "call" and "!" not in sql:
                    check_call(sql, procedures, what)
                else:
                    assert_real(sql, what)
        else:
            pytest.fail(f"a {kind} statement in a migration script: {stmt}")
    assert checked.keys() >= {"sql", "stream", "task", "alter_task", "procedure"}, checked


def of_kind(statements: list[str], kind: objects.Kind) -> list[str]:
    return [stmt for stmt in statements if objects.classify(stmt) == kind]


NATIVE_EXAMPLE = """CREATE OR REPLACE PROCEDURE SFE_ANALYTICS_MEDIA.SFE_TRAIN_EXAMPLE(AS_OF DATE, RUN_ID VARCHAR)
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
-- c360:duckdb-native train_example
DECLARE
    trained INTEGER DEFAULT 0;
    no_rows EXCEPTION (-20002, 'nothing to score');
BEGIN
    CREATE OR REPLACE SNOWFLAKE.ML.CLASSIFICATION SFE_ANALYTICS_MEDIA.CHURN_CLASSIFIER(
        INPUT_DATA => SYSTEM$REFERENCE('VIEW', 'SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING'),
        TARGET_COLNAME => 'CHURNED',
        CONFIG_OBJECT => {'ON_ERROR': 'SKIP'}
    );
    CALL SFE_ANALYTICS_MEDIA.CHURN_CLASSIFIER!SHOW_EVALUATION_METRICS();
    INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES (subscriber_id, score_date, churn_risk_score)
    SELECT subscriber_id, :as_of,
        SFE_ANALYTICS_MEDIA.CHURN_CLASSIFIER!PREDICT(INPUT_DATA => OBJECT_CONSTRUCT(*)):probability:"True"::FLOAT
    FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING;
    trained := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES WHERE run_id = :run_id);
    IF (trained = 0) THEN RAISE no_rows; END IF;
    RETURN 'scored ' || trained;
END;
$$"""


def test_snowflake_only_bodies_are_checked_against_the_ml_grammar() -> None:
    parts = list(procedure_parts(NATIVE_EXAMPLE))
    assert [sql.split()[0] for _, sql in parts] == ["CREATE", "CALL", "INSERT", "SELECT", "SELECT", "SELECT"]
    for what, sql in parts:
        assert_real(sql, what)
    for typo in [
        "CREATE SNOWFLAKE.ML.CLASIFICATION m(INPUT_DATA => SYSTEM$REFERENCE('VIEW', 'v'), TARGET_COLNAME => 'y')",
        "CREATE SNOWFLAKE.ML.CLASSIFICATION m(INPUT_DATA => SYSTEM$REFERENCE('VIEW', 'v'))",
        "CALL m!SHOW_ACCURACY()",
    ]:
        with pytest.raises((AssertionError, pytest.fail.Exception)):
            assert_real(typo, "typo")


# --- a snowflake:// warehouse on fakesnow ------------------------------------------------------------------


@pytest.fixture
def snowflake_env(home: Path, monkeypatch: pytest.MonkeyPatch, fakesnow_warehouse: Warehouse) -> Warehouse:
    """``C360_WAREHOUSE_URL=snowflake://…`` in the environment, answered by fakesnow."""
    monkeypatch.setenv("C360_WAREHOUSE_URL", SNOWFLAKE_URL)
    get_settings.cache_clear()
    return Warehouse.from_settings()


def test_a_snowflake_url_connects_and_binds_parameters(snowflake_env: Warehouse) -> None:
    assert snowflake_env.target == "snowflake" and snowflake_env.display == "snowflake://u:***@acct/db/public"
    with snowflake_env.connect() as conn:
        assert conn.target == "snowflake"
        assert conn.query("SELECT :x AS x", {"x": 1}) == [{"x": 1}]
        # the connector formats :name binds client-side (pyformat): a literal % must survive it
        assert conn.scalar("SELECT 'a%b' LIKE :pattern AND '%' = '%'", {"pattern": "a%"}) is True
        conn.execute("CREATE TABLE PUBLIC.WRITES (x NUMBER(38, 0))")
        conn.execute("INSERT INTO PUBLIC.WRITES (x) VALUES (:x)", {"x": 7})
    with snowflake_env.connect() as conn:  # what one connection wrote is committed
        assert conn.scalar("SELECT SUM(x) FROM PUBLIC.WRITES") == 7


def test_raw_rows_load_through_a_snowflake_connection(fakesnow_warehouse: Warehouse) -> None:
    events = [json.dumps({"event_id": f"evt-{i}", "subscriber_id": "sub-1", "event_type": "signup"}) for i in range(3)]
    events.append("{not json")
    with fakesnow_warehouse.connect() as conn:
        for stmt in next(s for s in scripts() if s.name.startswith("V001")).statements:
            conn.execute(stmt)
        loaded = load_payloads(conn, events, batch_id="batch-1", origin="api")
    with fakesnow_warehouse.connect() as conn:  # rows, history and their transaction were committed
        assert conn.scalar("SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS") == 3
        assert conn.scalar(
            "SELECT payload:event_id::VARCHAR FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS WHERE load_seq = 3"
        )
        rejected = conn.query("SELECT source_row, raw_text, reason FROM SFE_RAW_MEDIA.RAW_LOAD_ERRORS")
        again = load_payloads(conn, events, batch_id="batch-1", origin="api")
    assert (loaded.status, loaded.rows_loaded, loaded.rows_rejected, again.status) == ("loaded", 3, 1, "skipped")
    assert [(r["source_row"], r["raw_text"]) for r in rejected] == [(4, "{not json")]
    assert "JSON" in rejected[0]["reason"]


# fakesnow 0.12.1 translates `DEFAULT seq.NEXTVAL` to `DEFAULT NEXTVAL('seq') AS NEXTVAL`, which DuckDB refuses:
# the LANDED tables (V008) are checked by sqlglot and on DuckDB, not on fakesnow
FAKESNOW_NEXTVAL_DEFAULT = re.compile(r"\bDEFAULT\s+[\w.]+\.NEXTVAL\b", re.I)


def test_fakesnow_cannot_take_a_sequence_default_yet(fakesnow_warehouse: Warehouse) -> None:
    """When this fails, fakesnow has learnt sequence defaults: drop FAKESNOW_NEXTVAL_DEFAULT's exception."""
    with fakesnow_warehouse.connect() as conn:
        conn.execute("CREATE SEQUENCE PUBLIC.S")
        with pytest.raises(Exception, match="syntax error"):
            conn.execute("CREATE TABLE PUBLIC.T (n NUMBER(38, 0) DEFAULT PUBLIC.S.NEXTVAL, x VARCHAR)")


def test_every_table_and_view_statement_is_accepted_by_fakesnow(fakesnow_warehouse: Warehouse) -> None:
    with fakesnow_warehouse.connect() as conn:
        for script in scripts():
            for stmt, only in script.marked:
                if objects.classify(stmt) == "sql" and only is None and not FAKESNOW_NEXTVAL_DEFAULT.search(stmt):
                    conn.execute(stmt)
        for name in sorted(created_names("TABLE") | created_names("VIEW")):
            if name.startswith("SFE_RAW_MEDIA.RAW_LANDED_"):
                continue  # the sequence default: FAKESNOW_NEXTVAL_DEFAULT
            conn.query(f"SELECT * FROM {name} LIMIT 1")  # exists, and a view's query runs


def test_fakesnow_takes_the_file_formats_and_the_stage(fakesnow_warehouse: Warehouse) -> None:
    """What fakesnow 0.12.1 runs of the Snowflake-only statements: CREATE FILE FORMAT and CREATE STAGE. It refuses
    COPY ... ON_ERROR = CONTINUE ("not implemented"), CREATE PIPE, COPY_HISTORY, tasks and procedures: those are
    checked by sqlglot only (test_snowflake_only_statements_are_snowflake_sqlglot_knows_and_duckdb_skips)."""
    ran = []
    with fakesnow_warehouse.connect() as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS SFE_RAW_MEDIA")
        for stmt in snowflake_only():
            if re.match(r"CREATE\s+(FILE\s+FORMAT|STAGE)\b", stmt, re.I):
                conn.execute(stmt)
                ran.append(" ".join(stmt.split()[:6]))
    assert len(ran) == 4, ran  # three file formats and the stage


def test_landed_rows_take_load_seq_from_the_sequence(warehouse: Warehouse) -> None:
    """The LANDED tables' load_seq defaults to SFE_RAW_MEDIA.RAW_LOAD_SEQ (COPY leaves it out of its column list):
    sqlglot's DuckDB form of the default runs on DuckDB (fakesnow cannot take it, above)."""
    now = "CURRENT_TIMESTAMP()::TIMESTAMP_NTZ"
    insert = (
        "INSERT INTO SFE_RAW_MEDIA.RAW_LANDED_CONTENT_ENGAGEMENT (source_file, source_row, loaded_at, event_id) "
        f"VALUES ('f.csv', 1, {now}, 'a'), ('f.csv', 2, {now}, 'b')"
    )
    migrate(warehouse)  # DuckDB, every script
    with warehouse.connect() as conn:
        conn.execute(insert)
        duck = [r["load_seq"] for r in conn.query(
            "SELECT load_seq FROM SFE_RAW_MEDIA.RAW_LANDED_CONTENT_ENGAGEMENT ORDER BY source_row")]  # fmt: skip
    assert len(duck) == 2 and duck[0] < duck[1], duck


def test_migrate_on_snowflake_records_history_up_to_the_first_stream(snowflake_env: Warehouse) -> None:
    # fakesnow has no streams, tasks or procedures: migrate applies V001-V003 and stops at V004
    with pytest.raises(MigrationError, match=r"V004__streams.sql failed at statement 1: .*STREAM"):
        migrate(snowflake_env)
    with snowflake_env.connect() as conn:
        history = [
            (r["script"], r["status"]) for r in conn.query(f"SELECT script, status FROM {HISTORY} ORDER BY script")
        ]
        rows = conn.scalar("SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP")
    assert history == [
        ("V001__raw_layer.sql", "SUCCESS"),
        ("V002__staging_layer.sql", "SUCCESS"),
        ("V003__analytics_layer.sql", "SUCCESS"),
        ("V004__streams.sql", "FAILED"),
    ]
    assert rows == 6  # V003's seed INSERT ran, and was committed
    # the history is read back like on DuckDB: what succeeded is not pending any more
    assert [s.name for s in pending_scripts(snowflake_env)][:1] == ["V004__streams.sql"]


def test_an_unreachable_account_fails_fast_with_one_line(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("C360_WAREHOUSE_URL", "snowflake://u:secret@c360-no-such-account/db?warehouse=WH")
    monkeypatch.setenv("C360_WAREHOUSE_CONNECT_TIMEOUT", "1")
    get_settings.cache_clear()
    started = time.monotonic()
    with pytest.raises(WarehouseUnavailable) as failure, Warehouse.from_settings().connect():
        pass
    assert time.monotonic() - started < 20
    message = str(failure.value)
    assert "\n" not in message and "secret" not in message
    assert message.startswith("cannot reach snowflake://u:***@c360-no-such-account/db")
