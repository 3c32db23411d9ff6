"""Option parsing shared by commands."""

from __future__ import annotations

from datetime import date

import typer

from c360.errors import UsageError


def parse_date(value: str | None, option: str = "--as-of") -> date | None:
    """A YYYY-MM-DD option value, or a one-line error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"invalid {option} {value!r}: expected a date as YYYY-MM-DD") from None


AS_OF = typer.Option("--as-of", help="Day to build as of (YYYY-MM-DD); default: yesterday (UTC).")
