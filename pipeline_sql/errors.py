"""The migration module's own errors; ``c360`` maps them to its hierarchy where it calls in.

Each carries a one-line message fit for a user: no traceback, no SQL parameters.
"""

from __future__ import annotations


class SqlError(Exception):
    """Base class: a failure of a migration, a dialect translation or a procedure."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MigrationError(SqlError):
    """A migration script cannot be applied (bad file name, changed checksum, failing statement)."""


class ProcedureError(SqlError):
    """A procedure or task failed."""


class ProcedureRaised(ProcedureError):
    """A procedure raised one of its declared exceptions (e.g. ``DQ_CHECK_FAILED``, a failed quality check)."""

    def __init__(self, procedure: str, exception: str, message: str) -> None:
        super().__init__(f"{procedure} raised {exception}: {message}")
        self.procedure = procedure
        self.exception = exception
