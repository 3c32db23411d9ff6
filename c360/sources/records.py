"""What the readers share that needs no Arrow: a rejected record, the check of a JSON event, and the CSV's
header and the DuckDB SQL that reads it.

The CSV's load into DuckDB (``c360.sources.ingest``) needs nothing else from the readers, and a process that
imports pyarrow and numpy spends 0.2 s on them (``python -X importtime``), about 3 % of a bare read of the
scale-1 CSV: so they live here, apart from the Arrow readers (``c360.sources.readers``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from c360.errors import SourceFileError
from c360.sources.formats import CONTENT_ENGAGEMENT, MAX_RECORD_BYTES, RAW_TEXT_LIMIT, Source
from c360.text import first_problem


@dataclass(frozen=True)
class Reject:
    """A record that was not loaded, and why."""

    source_row: int | None
    raw_text: str
    reason: str


def clip(text: str) -> str:
    """The start of a rejected record, as the reject table keeps it."""
    return text if len(text) <= RAW_TEXT_LIMIT else text[:RAW_TEXT_LIMIT] + "…"


def _reject_constant(value: str) -> Any:
    raise ValueError(f"{value} is not valid JSON")


def parse_payload(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """One JSON event: the object, or None and why it cannot be loaded (the text policy included)."""
    try:
        value = json.loads(text, parse_constant=_reject_constant)
        if not isinstance(value, dict):
            return None, f"not a JSON object but a {type(value).__name__}"
        reason = first_problem(value)
    except ValueError as exc:
        return None, f"malformed JSON: {exc}"
    except RecursionError:  # a record of a few hundred kB can nest deeper than the parser's stack
        return None, "malformed JSON: nested too deeply"
    return (None, reason) if reason else (value, None)


def payload_problem(text: str) -> str | None:
    """Why a JSON event cannot be loaded, or None."""
    return parse_payload(text)[1]


@dataclass(frozen=True)
class CsvLayout:
    """A CSV file's header, checked against its source."""

    columns: list[str]
    extras: list[str]
    ends_with_newline: bool


def inspect_csv(path: Path, source: Source = CONTENT_ENGAGEMENT) -> CsvLayout:
    """Read and check the header line; refuse files that are empty or not this source's CSV (a header with no
    records after it is an empty batch, loaded as such)."""
    with path.open("rb") as handle:
        head = handle.readline(MAX_RECORD_BYTES + 1)
        handle.seek(0, io.SEEK_END)
        size = handle.tell()
        handle.seek(max(size - 1, 0))
        ends_with_newline = handle.read(1) == b"\n"
    if not head.strip():
        raise SourceFileError(f"{path} is empty")
    try:
        header_text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceFileError(f"{path} is not a CSV file: its first line is not UTF-8 text") from None
    columns = [c.strip() for c in next(csv.reader([header_text]))]
    missing = [c for c in source.required if c not in columns]
    if missing:
        raise SourceFileError(f"{path} is not a {source.label} file: its header lacks {', '.join(missing)}")
    duplicates = sorted({c for c in columns if columns.count(c) > 1})
    if duplicates:
        raise SourceFileError(f"{path}: duplicate column(s) in the header: {', '.join(duplicates)}")
    if "" in columns:
        raise SourceFileError(f"{path}: the header has an empty column name")
    known = set(source.required) | set(source.optional)
    return CsvLayout(columns, [c for c in columns if c not in known], ends_with_newline)


def csv_select(path: Path, layout: CsvLayout, rejects_table: str, source: Source = CONTENT_ENGAGEMENT) -> str:
    """DuckDB SQL reading the CSV: the known columns and extra_fields JSON, in file order.

    Each column is read as text (raw keeps what the file said); DuckDB records the records it cannot
    split into the header's columns in ``rejects_table``. The rows come in file order (DuckDB preserves
    insertion order for a single-table read) but are not numbered here: a ``row_number() OVER ()``
    would force the whole read onto one thread.
    """

    def q(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def lit(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    spec = ", ".join(f"{lit(c)}: 'VARCHAR'" for c in layout.columns)
    known = [*source.required, *source.optional]
    select = [f"{q(c)} AS {c}" if c in layout.columns else f"NULL::VARCHAR AS {c}" for c in known]
    extras = (
        "json_object(" + ", ".join(f"{lit(c)}, {q(c)}" for c in layout.extras) + ")::JSON"
        if layout.extras
        else "NULL::JSON"
    )
    return (
        f"SELECT {', '.join(select)}, {extras} AS extra_fields "
        f"FROM read_csv({lit(str(path))}, header = true, auto_detect = false, delim = ',', quote = '\"', "
        f"escape = '\"', columns = {{{spec}}}, max_line_size = {MAX_RECORD_BYTES}, "
        f"store_rejects = true, rejects_table = {lit(rejects_table)}, "
        f"rejects_scan = {lit(rejects_table + '_scan')}, strict_mode = true)"
    )
