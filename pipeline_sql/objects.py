"""Parse the Snowflake statements that sqlglot cannot: streams, tasks, procedures, CALL.

These are read from the same migration text that Snowflake runs. The grammar accepted is the part
of Snowflake's that this project uses, and anything outside it is refused with a message rather
than guessed at:

* ``CREATE [OR REPLACE] STREAM [IF NOT EXISTS] s ON TABLE t [APPEND_ONLY = ...] [SHOW_INITIAL_ROWS = ...]``
* ``CREATE [OR REPLACE] TASK [IF NOT EXISTS] t [WAREHOUSE = w] [SCHEDULE = '...'] [AFTER a, b]
  [WHEN cond] AS CALL proc(args)``
* ``ALTER TASK [IF EXISTS] t RESUME | SUSPEND``
* ``CREATE [OR REPLACE] PROCEDURE p(arg TYPE [DEFAULT expr], ...) RETURNS type LANGUAGE SQL AS $$
  [DECLARE ...] BEGIN ... END $$`` whose body holds SQL statements, ``BEGIN TRANSACTION``/``COMMIT``,
  ``var := (query)``, ``IF (cond) THEN RAISE exc; END IF`` and ``RETURN expr``.
* A body marked ``-- c360:duckdb-native NAME`` is Snowflake-only (it uses Snowflake ML, say); on DuckDB
  the native procedure registered under ``NAME`` runs instead (``pipeline_sql.runtime.NativeProcedures``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from sqlglot.dialects.snowflake import Snowflake
from sqlglot.tokenizer_core import TokenType

from pipeline_sql.dialect import split_statements
from pipeline_sql.errors import MigrationError

_NAME = r"[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)*"
_STREAM = re.compile(
    rf"^CREATE\s+(?P<replace>OR\s+REPLACE\s+)?STREAM\s+(?P<ine>IF\s+NOT\s+EXISTS\s+)?(?P<name>{_NAME})"
    rf"\s+ON\s+TABLE\s+(?P<table>{_NAME})(?P<props>.*)$",
    re.I | re.S,
)
_TASK_HEAD = re.compile(
    rf"^CREATE\s+(?P<replace>OR\s+REPLACE\s+)?TASK\s+(?P<ine>IF\s+NOT\s+EXISTS\s+)?(?P<name>{_NAME})(?P<props>.*)$",
    re.I | re.S,
)
_ALTER_TASK = re.compile(rf"^ALTER\s+TASK\s+(?:IF\s+EXISTS\s+)?(?P<name>{_NAME})\s+(?P<action>RESUME|SUSPEND)$", re.I)
_PROC_HEAD = re.compile(
    rf"^CREATE\s+(?:OR\s+REPLACE\s+)?PROCEDURE\s+(?P<name>{_NAME})\s*\((?P<args>.*?)\)\s*RETURNS\s",
    re.I | re.S,
)
_NATIVE = re.compile(r"--\s*c360:duckdb-native\s+(?P<target>\w+)\s*$", re.M)
_CALL = re.compile(rf"^CALL\s+(?P<name>{_NAME})\s*\((?P<args>.*)\)$", re.I | re.S)
_ASSIGN = re.compile(r"^(?P<var>[A-Za-z_]\w*)\s*:=\s*(?P<expr>.+)$", re.S)
_IF_RAISE = re.compile(r"^IF\s*\((?P<cond>.+)\)\s*THEN\s+RAISE\s+(?P<exc>[A-Za-z_]\w*)$", re.I | re.S)
_DECLARE_EXC = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+EXCEPTION\s*\(\s*(?P<code>-?\d+)\s*,\s*'(?P<msg>(?:[^']|'')*)'\s*\)$", re.I
)
_DECLARE_VAR = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>[A-Za-z_][\w(), ]*?)(?:\s+DEFAULT\s+(?P<default>.+))?$", re.I | re.S
)

Kind = Literal["stream", "task", "alter_task", "procedure", "call", "sql"]


def classify(statement: str) -> Kind:
    """Which family a statement belongs to."""
    head = " ".join(statement.split()[:6]).upper()
    if re.match(r"CREATE (OR REPLACE )?STREAM\b", head):
        return "stream"
    if re.match(r"CREATE (OR REPLACE )?TASK\b", head):
        return "task"
    if re.match(r"ALTER TASK\b", head):
        return "alter_task"
    if re.match(r"CREATE (OR REPLACE )?PROCEDURE\b", head):
        return "procedure"
    if head.startswith("CALL "):
        return "call"
    return "sql"


def _qualified(name: str) -> str:
    return name.upper()


@dataclass(frozen=True)
class StreamDef:
    name: str
    table: str
    replace: bool
    if_not_exists: bool
    show_initial_rows: bool


def parse_stream(statement: str) -> StreamDef:
    """Parse ``CREATE STREAM``."""
    m = _STREAM.match(statement.strip())
    if not m:
        raise MigrationError(f"unsupported CREATE STREAM form: {_flat(statement)}")
    props = m.group("props").upper()
    return StreamDef(
        name=_qualified(m.group("name")),
        table=_qualified(m.group("table")),
        replace=bool(m.group("replace")),
        if_not_exists=bool(m.group("ine")),
        show_initial_rows=bool(re.search(r"SHOW_INITIAL_ROWS\s*=\s*TRUE", props)),
    )


@dataclass(frozen=True)
class TaskDef:
    name: str
    schedule: str | None
    after: tuple[str, ...]
    condition: str | None
    body: str


def parse_task(statement: str) -> TaskDef:
    """Parse ``CREATE TASK``; the body must be a single ``CALL``."""
    text = statement.strip()
    m = _TASK_HEAD.match(text)
    as_at = _top_level_as(text)
    if not m or as_at is None:
        raise MigrationError(f"unsupported CREATE TASK form: {_flat(statement)}")
    props = text[m.start("props") : as_at]
    body = text[as_at + 2 :].strip()
    if classify(body) != "call":
        raise MigrationError(f"task {m.group('name')}: the body must be one CALL statement")
    schedule = re.search(r"\bSCHEDULE\s*=\s*'([^']*)'", props, re.I)
    after = re.search(rf"\bAFTER\s+({_NAME}(?:\s*,\s*{_NAME})*)", props, re.I)
    when = re.search(r"\bWHEN\s+(.+)$", props, re.I | re.S)
    return TaskDef(
        name=_qualified(m.group("name")),
        schedule=schedule.group(1) if schedule else None,
        after=tuple(_qualified(a.strip()) for a in after.group(1).split(",")) if after else (),
        condition=when.group(1).strip() if when else None,
        body=body,
    )


def _top_level_as(text: str) -> int | None:
    """Offset of the first AS keyword outside strings (the task body follows it)."""
    for token in Snowflake().tokenize(text):
        if token.token_type == TokenType.ALIAS:
            return token.start
    return None


def parse_alter_task(statement: str) -> tuple[str, str]:
    """``(task name, 'RESUME' | 'SUSPEND')``."""
    m = _ALTER_TASK.match(" ".join(statement.split()))
    if not m:
        raise MigrationError(f"unsupported ALTER TASK form: {_flat(statement)}")
    return _qualified(m.group("name")), m.group("action").upper()


@dataclass(frozen=True)
class Arg:
    name: str
    type: str
    default: str | None


@dataclass(frozen=True)
class Step:
    """One step of a procedure body."""

    kind: Literal["sql", "begin", "commit", "assign", "raise_if", "return"]
    sql: str = ""  # the statement, assigned expression, condition or returned expression (Snowflake text)
    target: str = ""  # variable for assign, exception for raise_if


@dataclass(frozen=True)
class ProcedureDef:
    name: str
    args: tuple[Arg, ...]
    variables: dict[str, str | None] = field(default_factory=dict)  # name -> default expression
    exceptions: dict[str, str] = field(default_factory=dict)  # name -> message
    steps: tuple[Step, ...] = ()
    native: str | None = None  # the name of the native procedure that implements it on DuckDB


def parse_procedure(statement: str) -> ProcedureDef:
    """Parse ``CREATE PROCEDURE … LANGUAGE SQL AS $$ … $$`` into steps."""
    text = statement.strip()
    m = _PROC_HEAD.match(text)
    if not m or not re.search(r"\bLANGUAGE\s+SQL\b", text, re.I):
        raise MigrationError(f"unsupported CREATE PROCEDURE form (LANGUAGE SQL only): {_flat(statement)}")
    name = _qualified(m.group("name"))
    body = _dollar_body(text)
    if body is None:
        raise MigrationError(f"procedure {name}: the body must be a $$ … $$ block")
    args = tuple(_parse_arg(a) for a in _split_commas(m.group("args")) if a.strip())
    native = _NATIVE.search(body)
    if native:
        # a Snowflake-only body (e.g. Snowflake ML); DuckDB runs the native procedure of that name instead
        return ProcedureDef(name=name, args=args, native=native.group("target"))
    variables: dict[str, str | None] = {}
    exceptions: dict[str, str] = {}
    steps: list[Step] = []
    chunks = split_statements(body)
    in_declare = False
    for chunk in chunks:
        chunk = chunk.strip()
        upper = chunk.upper()
        if upper.startswith("DECLARE"):
            in_declare = True
            chunk = _after_keyword(chunk, "DECLARE")
            upper = chunk.upper()
        if in_declare and re.match(r"^BEGIN\b(?!\s+TRANSACTION)", upper):
            in_declare = False
        if in_declare:
            _declare(name, chunk, variables, exceptions)
            continue
        if re.match(r"^BEGIN\b(?!\s+(TRANSACTION|WORK)\b)", upper):
            chunk = _after_keyword(chunk, "BEGIN")
            upper = chunk.upper()
            if not chunk:
                continue
        steps.extend(_step(name, chunk, upper))
    return ProcedureDef(name=name, args=args, variables=variables, exceptions=exceptions, steps=tuple(steps))


def _after_keyword(chunk: str, keyword: str) -> str:
    """The chunk after its leading DECLARE or BEGIN, without the comment lines that follow that keyword."""
    rest = split_statements(chunk[len(keyword) :])
    return rest[0] if rest else ""


def _declare(proc: str, chunk: str, variables: dict[str, str | None], exceptions: dict[str, str]) -> None:
    exc = _DECLARE_EXC.match(chunk)
    if exc:
        exceptions[exc.group("name").upper()] = exc.group("msg").replace("''", "'")
        return
    var = _DECLARE_VAR.match(chunk)
    if not var:
        raise MigrationError(f"procedure {proc}: unsupported DECLARE item: {_flat(chunk)}")
    variables[var.group("name").lower()] = var.group("default")


def _step(proc: str, chunk: str, upper: str) -> list[Step]:
    if upper in ("END", "END IF"):
        return []
    if re.match(r"^BEGIN\s+(TRANSACTION|WORK)$", upper):
        return [Step("begin")]
    if upper in ("COMMIT", "COMMIT WORK"):
        return [Step("commit")]
    if upper.startswith("RETURN"):
        return [Step("return", sql=chunk[len("RETURN") :].strip())]
    raise_if = _IF_RAISE.match(chunk)
    if raise_if:
        return [Step("raise_if", sql=raise_if.group("cond").strip(), target=raise_if.group("exc").upper())]
    assign = _ASSIGN.match(chunk)
    if assign:
        return [Step("assign", sql=assign.group("expr").strip(), target=assign.group("var").lower())]
    if upper.startswith(("IF ", "IF(", "FOR ", "WHILE ", "LET ", "EXCEPTION", "CASE ")):
        raise MigrationError(f"procedure {proc}: unsupported Snowflake Scripting statement: {_flat(chunk)}")
    return [Step("sql", sql=chunk)]


def _dollar_body(text: str) -> str | None:
    start = text.find("$$")
    end = text.rfind("$$")
    return text[start + 2 : end] if start != -1 and end > start else None


def _parse_arg(text: str) -> Arg:
    m = re.match(r"^\s*([A-Za-z_]\w*)\s+(.+?)(?:\s+DEFAULT\s+(.+))?\s*$", text, re.I | re.S)
    if not m:
        raise MigrationError(f"unsupported procedure argument: {text.strip()!r}")
    return Arg(name=m.group(1).lower(), type=m.group(2).strip().upper(), default=m.group(3))


def _split_commas(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth, quote = 0, False
    for ch in text:
        if ch == "'":
            quote = not quote
        elif not quote and ch == "(":
            depth += 1
        elif not quote and ch == ")":
            depth -= 1
        elif not quote and ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[str, ...]  # argument expressions, Snowflake text


def parse_call(statement: str) -> Call:
    """Parse ``CALL proc(expr, ...)``."""
    m = _CALL.match(statement.strip())
    if not m:
        raise MigrationError(f"unsupported CALL form: {_flat(statement)}")
    args = tuple(a.strip() for a in _split_commas(m.group("args")) if a.strip())
    return Call(name=_qualified(m.group("name")), args=args)


def _flat(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 100 else flat[:97] + "..."
