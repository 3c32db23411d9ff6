"""Option parsing shared by commands."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import typer

from c360.errors import UsageError

if TYPE_CHECKING:
    from c360.warehouse import Warehouse


def parse_date(value: str | None, option: str = "--as-of") -> date | None:
    """A YYYY-MM-DD option value, or a one-line error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"invalid {option} {value!r}: expected a date as YYYY-MM-DD") from None


AS_OF = typer.Option("--as-of", help="Day to build as of (YYYY-MM-DD); default: yesterday (UTC).")


def open_warehouse() -> Warehouse:
    """The configured warehouse. Imported here, not at the top of the command modules, so that `c360 --help`,
    `--version` and every command that never opens the warehouse don't pay for DuckDB, SQLAlchemy and sqlglot."""
    from c360.warehouse import Warehouse

    return Warehouse.from_settings()
