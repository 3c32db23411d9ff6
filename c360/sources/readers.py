"""Read one source file into good rows (Arrow) and rejected records, or refuse the whole file.

A file-level problem (missing, empty, truncated, not in its format) raises ``SourceFileError`` and
nothing of the file is loaded. A record-level problem (a malformed JSON line, a CSV line with the
wrong number of columns, a ticket without subscriber) rejects that record alone, with its row number,
raw text and reason, while the rest of the file loads: COPY INTO's ``ON_ERROR = CONTINUE``.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from c360.errors import SourceFileError
from c360.sources.formats import (
    MAX_RECORD_BYTES,
    RAW_TEXT_LIMIT,
    SUPPORT_TICKETS,
)
from c360.sources.records import Reject, clip, payload_problem
from c360.text import clean, first_problem


@dataclass
class Parsed:
    """A file's good rows (with ``source_row``) and its rejects."""

    rows: pa.Table
    rejects: list[Reject] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return int(self.rows.num_rows) + len(self.rejects)


def read_jsonl(path: Path) -> Parsed:
    """Subscription events: one JSON object per line; unknown fields are kept in the payload."""
    rows: list[int] = []
    payloads: list[str] = []
    rejects: list[Reject] = []
    last_line_complete = True
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            last_line_complete = raw.endswith(b"\n")
            line = raw.rstrip(b"\r\n")
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)  # a byte order mark some editors write: not the event's
            if not line.strip():
                continue  # blank lines are not records
            if len(line) > MAX_RECORD_BYTES:
                rejects.append(
                    Reject(
                        number,
                        clip(line[:RAW_TEXT_LIMIT].decode(errors="replace")),
                        f"record larger than {MAX_RECORD_BYTES} bytes",
                    )
                )
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                rejects.append(Reject(number, clip(line.decode(errors="replace")), f"invalid UTF-8: {exc.reason}"))
                continue
            reason = payload_problem(text)
            if reason:
                rejects.append(Reject(number, clip(clean(text)), reason))
                continue
            rows.append(number)
            payloads.append(text.strip())
    if not rows and not rejects:
        raise SourceFileError(f"{path} is empty: no JSON lines in it")
    if not rows:
        raise SourceFileError(
            f"{path} is not JSON lines: none of its {len(rejects)} records is a JSON object "
            f"(line {rejects[0].source_row}: {rejects[0].reason})"
        )
    if not last_line_complete and rejects[-1:] and rejects[-1].source_row == number:
        raise SourceFileError(f"{path} looks truncated: its last line ({number}) is incomplete JSON with no line end")
    table = pa.table({"source_row": pa.array(rows, pa.int64()), "payload": pa.array(payloads, pa.string())})
    return Parsed(table, rejects)


_TICKET_TYPES: dict[str, pa.DataType] = {
    "ticket_id": pa.string(),
    "subscriber_id": pa.string(),
    "created_at": pa.timestamp("us"),
    "resolved_at": pa.timestamp("us"),
    "channel": pa.string(),
    "category": pa.string(),
    "priority": pa.string(),
    "satisfaction_score": pa.int64(),
    "status": pa.string(),
}


def read_parquet(path: Path, now: datetime | None = None) -> Parsed:
    """Support tickets: typed columns, each row checked; unknown columns kept in extra_fields."""
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        reason = str(exc).splitlines()[0].replace(f"'{path}'", "it")
        raise SourceFileError(
            f"{path} is not a readable Parquet file (truncated, or another format): {reason}"
        ) from None
    missing = [c for c in SUPPORT_TICKETS.required if c not in table.column_names]
    if missing:
        raise SourceFileError(f"{path} is not a {SUPPORT_TICKETS.label} file: it lacks {', '.join(missing)}")
    if table.num_rows == 0:
        raise SourceFileError(f"{path} has no rows")
    columns = {}
    for name, dtype in _TICKET_TYPES.items():
        if name not in table.column_names:
            columns[name] = pa.nulls(table.num_rows, dtype)
            continue
        columns[name] = _cast_column(path, name, table.column(name), dtype)
    extras = [c for c in table.column_names if c not in _TICKET_TYPES]
    records = table.to_pylist()
    cutoff = (now or datetime.now(UTC)).replace(tzinfo=None) + timedelta(days=1)
    keep: list[int] = []
    rejects: list[Reject] = []
    created = columns["created_at"].to_pylist()
    resolved = columns["resolved_at"].to_pylist()
    ticket_ids = columns["ticket_id"].to_pylist()
    subscriber_ids = columns["subscriber_id"].to_pylist()
    scores = columns["satisfaction_score"].to_pylist()
    for i in range(table.num_rows):
        problem = _ticket_problem(ticket_ids[i], subscriber_ids[i], created[i], resolved[i], scores[i], cutoff)
        problem = problem or first_problem(records[i])  # the text policy (c360.text), extra columns included
        if problem:
            rejects.append(Reject(i + 1, clip(clean(json.dumps(records[i], default=str))), problem))
        else:
            keep.append(i)
    indices = pa.array(keep, pa.int64())
    out = {"source_row": pc.add(indices, 1)}
    for name in _TICKET_TYPES:
        out[name] = columns[name].take(indices)
    out["extra_fields"] = pa.array(
        [json.dumps({c: records[i][c] for c in extras}, default=str) if extras else None for i in keep],
        pa.string(),
    )
    return Parsed(pa.table(out), rejects)


def _cast_column(path: Path, name: str, column: pa.ChunkedArray, dtype: pa.DataType) -> pa.ChunkedArray:
    """Cast to the raw type; timestamps with a zone become naive UTC."""
    try:
        if pa.types.is_timestamp(column.type) and column.type.tz is not None:
            column = pc.cast(column, pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us", tz=None))
        elif pa.types.is_string(column.type) and pa.types.is_timestamp(dtype):
            column = pc.cast(pc.strptime(column, format="%Y-%m-%dT%H:%M:%S", unit="us", error_is_null=True), dtype)
        return pc.cast(column, dtype)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise SourceFileError(
            f"{path}: column {name} of type {column.type} cannot be read as {dtype}: {str(exc).splitlines()[0]}"
        ) from None


def _ticket_problem(
    ticket_id: str | None,
    subscriber_id: str | None,
    created: datetime | None,
    resolved: datetime | None,
    score: int | None,
    cutoff: datetime,
) -> str | None:
    if not ticket_id or not ticket_id.strip():
        return "missing ticket_id"
    if not subscriber_id or not subscriber_id.strip():
        return "missing subscriber_id"
    if created is None:
        return "missing or unparseable created_at"
    if created > cutoff:
        return "created_at in the future"
    if resolved is not None and resolved < created:
        return "resolved_at before created_at"
    if score is not None and not 1 <= score <= 5:
        return "satisfaction_score outside 1-5"
    return None
