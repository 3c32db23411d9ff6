"""Snowflake text in, DuckDB text out: the only place where a statement changes dialect.

sqlglot does most of the work; the rewrites below fix what it leaves wrong for our statements:

* ``payload:field::string`` parses to ``CAST(payload -> '$.field' AS TEXT)``, which keeps the JSON
  quotes on DuckDB; a cast of a JSON path becomes a cast of ``->>`` (the unquoted scalar).
* ``VARIANT``, ``OBJECT`` and ``ARRAY`` column types become DuckDB's ``JSON``.
* ``seq.NEXTVAL`` becomes ``nextval('seq')``.
* ``SYSTEM$STREAM_HAS_DATA('s')`` becomes ``EXISTS (SELECT 1 FROM s)`` (streams are views on DuckDB,
  see ``pipeline_sql.emulation``).

Statements sqlglot cannot translate (it falls back to an opaque ``Command``) raise ``DialectError``
instead of passing through untranslated; STREAM, TASK and PROCEDURE statements never reach this
module, ``pipeline_sql.emulation`` handles them.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.dialects.snowflake import Snowflake
from sqlglot.errors import ParseError
from sqlglot.tokenizer_core import TokenType

from pipeline_sql.errors import MigrationError

# sqlglot warns on every statement it parses as an opaque Command; we detect those ourselves
logging.getLogger("sqlglot").setLevel(logging.ERROR)

_JSON_TYPES = {exp.DataType.Type.VARIANT, exp.DataType.Type.OBJECT, exp.DataType.Type.ARRAY}


class DialectError(MigrationError):
    """A Snowflake statement has no DuckDB form."""


SNOWFLAKE_ONLY = re.compile(r"^\s*--\s*c360:snowflake-only\b[ \t]*(?P<reason>.*)$")


def split_statements(text: str) -> list[str]:
    """Split SQL text on top-level semicolons (quotes, ``$$`` blocks and comments respected)."""
    return [statement for statement, _ in split_marked(text)]


def split_marked(text: str) -> list[tuple[str, str | None]]:
    """``split_statements``, each statement with the reason of its ``-- c360:snowflake-only <reason>`` marker
    (a comment line among those just before it), or None when it has none."""
    return list(_split_marked(text))


@lru_cache(maxsize=256)
def _split_marked(text: str) -> tuple[tuple[str, str | None], ...]:
    """Cached by text: every migrate and dry run tokenizes the same scripts again."""
    try:
        tokens = Snowflake().tokenize(text) if text.strip() else []
    except Exception as exc:  # sqlglot raises TokenError with the position
        raise MigrationError(f"cannot tokenize SQL: {exc}") from None
    statements: list[str] = []
    start = 0
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            statements.append(text[start : token.start])
            start = token.end + 1
    statements.append(text[start:])
    return tuple((_strip_leading_comments(s), _marker(s)) for s in statements if _has_code(s))


def _marker(text: str) -> str | None:
    for line in text.strip().splitlines():
        if line.strip() and not line.lstrip().startswith("--"):
            return None
        if marked := SNOWFLAKE_ONLY.match(line):
            return marked.group("reason").strip() or "Snowflake-only"
    return None


def _strip_leading_comments(text: str) -> str:
    """Drop comment lines before the statement itself (they stay in the migration file)."""
    lines = text.strip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    return "\n".join(lines).strip()


def _has_code(text: str) -> bool:
    lines = [ln.split("--", 1)[0].strip() for ln in text.strip().splitlines()]
    return any(lines)


@lru_cache(maxsize=2048)
def to_duckdb(sql: str) -> str:
    """The DuckDB form of one Snowflake statement."""
    try:
        tree = sqlglot.parse_one(sql, read="snowflake")
    except ParseError as exc:
        raise DialectError(f"cannot parse statement: {_short(sql)}: {exc.errors[0]['description']}") from None
    if isinstance(tree, exp.Command):
        raise DialectError(f"no DuckDB form for statement: {_short(sql)}")
    return tree.transform(_rewrite).sql(dialect="duckdb")


def parse(sql: str) -> exp.Expr:
    """Parse one Snowflake statement (for inspection, e.g. which tables it reads)."""
    return sqlglot.parse_one(sql, read="snowflake")


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.ColumnDef) and _is_integer_number(node.args.get("kind")):
        # NUMBER(38, 0) columns are Snowflake's integers; DuckDB's DECIMAL(38, 0) is a slow 128-bit type
        node.set("kind", exp.DataType.build("BIGINT"))
        return node
    if isinstance(node, exp.Cast) and isinstance(node.this, exp.JSONExtract):
        extract = node.this
        scalar = exp.JSONExtractScalar(this=extract.this, expression=extract.expression)
        if node.to.is_type(*exp.DataType.TEXT_TYPES):
            return scalar
        return exp.Cast(this=scalar, to=node.to)
    if isinstance(node, exp.DataType) and node.this in _JSON_TYPES:
        return exp.DataType.build("JSON")
    if isinstance(node, exp.DateAdd) and _is_date(node.this) and node.unit and node.unit.name.upper() in _DATE_UNITS:
        # Snowflake's DATEADD of days (or more) to a DATE is a DATE; DuckDB's date + interval a TIMESTAMP
        return exp.Cast(this=node.copy(), to=exp.DataType.build("DATE"))
    if isinstance(node, exp.Column) and node.name.upper() == "NEXTVAL" and node.table:
        # Snowflake's seq.NEXTVAL is DuckDB's nextval('seq')
        sequence = ".".join(p for p in (node.args.get("catalog") and node.catalog, node.db, node.table) if p)
        return exp.Anonymous(this="nextval", expressions=[exp.Literal.string(sequence)])
    if isinstance(node, exp.Anonymous) and node.name.upper() == "SYSTEM$STREAM_HAS_DATA":
        stream = node.expressions[0].name
        return exp.Exists(this=exp.select("1").from_(stream))
    return node


_DATE_UNITS = {"DAY", "DAYS", "WEEK", "WEEKS", "MONTH", "MONTHS", "YEAR", "YEARS"}


def _is_date(node: exp.Expression) -> bool:
    if isinstance(node, exp.CurrentDate):
        return True
    return isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.DATE)


def _is_integer_number(kind: object) -> bool:
    if not isinstance(kind, exp.DataType) or kind.this != exp.DataType.Type.DECIMAL:
        return False
    params = [p.name for p in kind.expressions]
    return params == ["38", "0"]


def tables_read(sql: str) -> set[str]:
    """Upper-case qualified names of the tables a statement references."""
    tree = parse(sql)
    names = set()
    for table in tree.find_all(exp.Table):
        parts = [p for p in (table.catalog, table.db, table.name) if p]
        names.add(".".join(parts).upper())
    return names


def _short(sql: str) -> str:
    flat = " ".join(sql.split())
    return flat if len(flat) <= 90 else flat[:87] + "..."
