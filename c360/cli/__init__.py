"""The ``c360`` command line: one Typer app, one error mapping.

Every command is a thin layer over a service function that tests call directly; failures the user
can act on are ``C360Error`` and print one line (``error: …``) with the class's exit code.
"""

from __future__ import annotations

import logging
import sys
from importlib.metadata import version
from typing import Annotated

import typer

from c360.cli import dashboard, data, model, pipeline, serving
from c360.errors import C360Error, ConfigError, summary
from c360.settings import get_settings
from pipeline_sql.errors import SqlError

app = typer.Typer(
    name="c360",
    help="Customer 360: subscriber data to daily churn predictions, served to CRM and marketing systems.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"c360 {version('customer360')}")
        raise typer.Exit()


@app.callback()
def _options(
    _version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Customer 360: subscriber data to daily churn predictions, served to CRM and marketing systems."""


data.register(app)
pipeline.register(app)
model.register(app)
serving.register(app)
dashboard.register(app)


def main() -> None:
    """Entry point: run the app and turn errors into one line and an exit code."""
    debug = _configure_logging()
    try:
        app(standalone_mode=False)
    except C360Error as exc:
        typer.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except SqlError as exc:  # a migration-module error not mapped where it was called: still one line
        typer.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:  # usage errors (missing argument, bad option value, unknown command)
        show = getattr(exc, "show", None)
        if show is None:
            typer.echo(f"error: {exc}", err=True)
        else:
            show()
        sys.exit(getattr(exc, "exit_code", 2))
    except Exception as exc:
        if debug:
            raise
        typer.echo(f"internal error: {summary(exc)} (set C360_DEBUG=1 for the traceback)", err=True)
        sys.exit(70)


def _configure_logging() -> bool:
    """Log at C360_LOG_LEVEL; whether C360_DEBUG is set. Settings that do not load leave the defaults: the
    command that reads them reports the bad variable."""
    try:
        settings = get_settings()
    except ConfigError:
        level, debug = "WARNING", False
    else:
        level, debug = settings.log_level, settings.debug
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    return debug
