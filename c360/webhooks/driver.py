"""The engine's hottest statements, run straight on the driver (``exec_driver_sql``), once per round.

Per delivery, SQLAlchemy's statement path (an expanding ``IN`` list, result rows, the ``UTCDateTime`` bind
processor) cost as much as SQLite's own work on the same rows (docs/benchmarks.md). These statements are
written with ``?`` marks, run with positional rows, and bind timestamps exactly as SQLAlchemy stores them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa


def sql(conn: sa.Connection, statement: str) -> str:
    """A statement written with ``?`` marks, in the driver's parameter style."""
    return statement if conn.dialect.paramstyle == "qmark" else statement.replace("?", "%s")


def stamper(dialect: sa.Dialect) -> Callable[[datetime], Any]:
    """A datetime as the driver is given it for a ``UTCDateTime`` column: naive UTC, and on SQLite the text
    SQLAlchemy stores (``2025-11-21 04:30:02.117000``), formatted here: its bind processor cost 7 µs a value."""
    if dialect.name == "sqlite":
        return _sqlite_text
    return _naive_utc


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _sqlite_text(moment: datetime) -> str:
    return _naive_utc(moment).isoformat(" ", "microseconds")


def store_now(conn: sa.Connection) -> datetime:
    """The serving store's clock, for what several workers compare: leases and due times. With each worker's
    own clock, one running ahead would find a message due whose lease another worker still holds (and send it
    beside that worker's attempt). SQLite serves one worker, on this machine: its clock is the store's."""
    if conn.dialect.name == "sqlite":
        return datetime.now(UTC)
    value = conn.exec_driver_sql("SELECT now()").scalar_one()  # timestamptz: an aware datetime
    return value.astimezone(UTC) if isinstance(value, datetime) else datetime.now(UTC)
