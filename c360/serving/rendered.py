"""Health scores rendered once, at publish, exactly as the API's ``HealthScore`` schema renders them.

The change feed answers pages of hundreds of scores; validating and serializing each through pydantic
models on every request costs more than reading them. A publish therefore stores each scored row's JSON
(``served_subscribers.health_json``) and the feed joins the stored texts. The keys, their order and
their formats are those of ``api.schemas.HealthScore`` (a test renders the same rows both ways and
compares, and the API's contract tests validate every feed page against the schema).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pydantic_core
import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

HEALTH_FIELDS = (
    "subscriber_id", "churn_risk_score", "risk_tier", "previous_risk_tier", "score_date", "scored_at",
    "model_version", "drivers", "updated_at",
)  # fmt: skip


def health_json(row: dict[str, Any]) -> str:
    """A scored row (publish's values, after the carry-over) as the API's health score, not removed."""
    return pydantic_core.to_json(
        {**{name: row[name] for name in HEALTH_FIELDS}, "removed": False, "removal": None}
    ).decode()


def health_of(text: str) -> dict[str, Any]:
    """A stored ``health_json`` back as the health score's fields (dates and times as the API writes them)."""
    health: dict[str, Any] = pydantic_core.from_json(text)
    return health


def to_json(value: Any) -> bytes:
    """Anything JSON-ready (dates and datetimes as the API writes them)."""
    return pydantic_core.to_json(value)


class _Bytes(sa.types.UserDefinedType[bytes]):
    """The stored text as UTF-8 bytes: on SQLite the driver's bytes as they come (no processing per row); on
    PostgreSQL the driver's text, encoded here. A ``bytea`` from the server would cost more: in the text
    protocol it travels hex-encoded, twice its size, and a page of 500 took 3.8-4.3 ms to fetch that way
    against 1.6-1.8 ms as text (psycopg 3, loopback; docs/benchmarks.md)."""

    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return "BLOB"

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        return _encoded if dialect.name == "postgresql" else None


def _encoded(text: str | None) -> bytes | None:
    return None if text is None else text.encode()


class upsert_json(FunctionElement[bytes]):
    """A stored health score (``health_json``) as the feed's upsert, in UTF-8 bytes: the page is assembled from what
    the store returns, without parsing or re-serializing each row."""

    type = _Bytes()
    inherit_cache = True
    name = "upsert_json"


@compiles(upsert_json, "sqlite")
def _upsert_sqlite(element: upsert_json, compiler: SQLCompiler, **kw: Any) -> str:
    text = compiler.process(element.clauses.clauses[0], **kw)
    return f"CAST({text} AS BLOB)"


@compiles(upsert_json, "postgresql")
def _upsert_postgresql(element: upsert_json, compiler: SQLCompiler, **kw: Any) -> str:
    text = compiler.process(element.clauses.clauses[0], **kw)
    return text  # encoded by _Bytes
