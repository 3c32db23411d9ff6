"""One error hierarchy for the whole service.

Every failure a user can cause or meet is a ``C360Error`` with a one-line message. The CLI prints
``error: <message>`` and exits with ``exit_code``; the API maps the same classes to RFC 9457
``application/problem+json`` responses with ``status`` and ``slug``. Nothing else is shown to users:
no traceback, no SQL, no secret.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pipeline_sql import errors as sql


class C360Error(Exception):
    """Base class: a failure with a message fit for the user."""

    status: int = 500
    slug: str = "internal-error"
    title: str = "Internal error"
    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(C360Error):
    """A setting is missing, malformed or unsafe."""

    slug = "configuration-error"
    title = "Configuration error"
    exit_code = 2


class UsageError(C360Error):
    """A command or request asked for something that cannot be done as asked (exit 2, like a bad option)."""

    status = 422
    slug = "usage-error"
    title = "Cannot be done as asked"
    exit_code = 2


class DateOutOfRange(UsageError):
    """An --as-of or --score-date outside what is loaded (or scored); nothing was written."""

    slug = "date-out-of-range"
    title = "Date out of range"


class WarehouseUnavailable(C360Error):
    """The warehouse URL is well formed but the warehouse cannot be reached."""

    status = 503
    slug = "warehouse-unavailable"
    title = "Warehouse unavailable"


class WarehouseBusy(C360Error):
    """The embedded warehouse file is held by another process for longer than we wait."""

    status = 503
    slug = "warehouse-busy"
    title = "Warehouse busy"
    exit_code = 75  # EX_TEMPFAIL: try again


class MigrationError(C360Error):
    """A migration script cannot be applied (bad file name, changed checksum, failing statement)."""

    slug = "migration-error"
    title = "Migration error"


class SourceFileError(C360Error):
    """A source file is missing, empty, truncated or not in its format; nothing of it was loaded."""

    status = 422
    slug = "source-file-error"
    title = "Source file rejected"


class QualityCheckFailed(C360Error):
    """A data quality check failed; the steps after it did not run."""

    slug = "quality-check-failed"
    title = "Data quality check failed"

    def __init__(self, message: str, checks: list[str]) -> None:
        super().__init__(message)
        self.checks = checks


class PipelineError(C360Error):
    """A pipeline task or procedure failed."""

    slug = "pipeline-error"
    title = "Pipeline error"


class TaskDefinitionError(PipelineError):
    """A task's definition (its SCHEDULE, say) is not one the scheduler can run."""

    slug = "task-definition-error"
    title = "Unsupported task definition"


class ProcedureRaised(PipelineError):
    """A procedure raised one of its declared exceptions (``exception``, e.g. ``DQ_CHECK_FAILED``)."""

    def __init__(self, message: str, procedure: str, exception: str) -> None:
        super().__init__(message)
        self.procedure = procedure
        self.exception = exception


class NotFound(C360Error):
    """The requested object does not exist."""

    status = 404
    slug = "not-found"
    title = "Not found"


@contextmanager
def from_pipeline_sql() -> Iterator[None]:
    """The migration module's errors (``pipeline_sql.errors``) as this hierarchy's, where c360 calls it."""
    try:
        yield
    except sql.ProcedureRaised as exc:
        raise ProcedureRaised(exc.message, exc.procedure, exc.exception) from exc
    except sql.MigrationError as exc:
        raise MigrationError(exc.message) from exc
    except sql.SqlError as exc:
        raise PipelineError(exc.message) from exc


def summary(exc: BaseException, limit: int = 200) -> str:
    """``Type: first line`` of an unexpected exception, for a message or a log line.

    Only the first line, clipped and cleaned (c360.text): a driver's message goes on with the statement and
    its parameters (SQLAlchemy's ``[parameters: ...]``, DuckDB's ``Input: ...``), which hold subscriber data.
    """
    from c360.text import clean

    lines = str(exc).strip().splitlines()
    first = lines[0].split(" Input: ")[0] if lines else ""
    first = clean(first if len(first) <= limit else first[: limit - 1] + "…")
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def redacted_traceback(exc: BaseException) -> str:
    """The stack of ``exc`` (where it happened) and its ``summary``: a traceback fit for a log, without the
    driver's full message (rows, parameters, PostgreSQL's "Failing row contains ...")."""
    import traceback

    return "".join(traceback.format_tb(exc.__traceback__)) + summary(exc)
