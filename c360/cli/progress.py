"""Rich progress bars for long steps (on stderr, so stdout stays machine-readable) and tables on stdout."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

stderr = Console(stderr=True)
stdout = Console()


@contextmanager
def progress_bar(title: str) -> Iterator[Callable[[str, int, int], None]]:
    """A callback ``(step, done, total)`` drawing one bar; the bar disappears when done."""
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[step]}"),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    ) as bar:
        task = bar.add_task(title, total=None, step="")

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None, step=step)

        yield update


def show(table: Table, *, min_width: int = 0) -> None:
    """A table on stdout: drawn for a terminal, plain aligned text otherwise (a pipe, a file, a test).

    Without a terminal rich would lay the table out in 80 columns and cut long cells (``var/demo-s…``);
    plain text keeps every character, at whatever width the rows need, and greps cleanly."""
    if stdout.is_terminal:
        (Console(width=min_width) if stdout.width < min_width else stdout).print(table)
        return
    typer.echo(plain(table))


def plain(table: Table) -> str:
    """The table as text: its title, then header and rows in columns two spaces apart (none cut)."""
    columns = [[_text(c.header), *(_text(cell) for cell in c.cells)] for c in table.columns]
    rows = list(zip(*columns, strict=True)) if columns else []
    if not table.show_header:
        rows = rows[1:]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(len(columns))]
    lines = [_text(table.title)] if table.title else []
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)


def _text(value: object) -> str:
    return value.plain if isinstance(value, Text) else str(value)
