"""``c360 ingest``: land source files in the raw tables, one transaction per file (the CSV's read into
DuckDB commits its rows first, unnumbered and so invisible, then numbers them: ``_Load.csv_in_duckdb``).

Each file reconciles (rows read = loaded + rejected) and is recorded in RAW_LOAD_HISTORY with its
checksum (BLAKE3); loading the same content again is a no-op unless forced, like COPY INTO's load metadata.
Rows get ``load_seq`` values above everything already in their table, which is what the DuckDB
stream emulation consumes.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import blake3
import duckdb

from c360 import failpoints
from c360.errors import C360Error, SourceFileError
from c360.sources.formats import CONTENT_ENGAGEMENT, RAW_TEXT_LIMIT, SUBSCRIPTION_EVENTS, Source, source_for
from c360.sources.records import Reject, clip, csv_select, inspect_csv, payload_problem
from c360.text import clean, first_problem
from c360.warehouse import DuckDBConnection, Warehouse, WarehouseConnection, ensure_migrated

# pyarrow, numpy and the Arrow readers are imported by the functions of the Arrow path: the CSV's load into
# DuckDB uses none of them, and importing them is 0.2 s of a `c360 ingest` process (c360.sources.records).
if TYPE_CHECKING:
    import pyarrow as pa

    from c360.sources.readers import Parsed

Status = Literal["loaded", "skipped", "failed"]
Progress = Callable[[str, int, int], None]

log = logging.getLogger(__name__)

_RAW_META = ("load_seq", "load_id", "source_file", "source_row", "loaded_at")
_CSV_REJECTS = "c360_csv_rejects"
# A file's checksum in RAW_LOAD_HISTORY names its hash: "blake3:" and 64 hex digits. Loads recorded before
# (2026-12-07) hold a SHA-256 alone, 64 hex digits; an API batch holds its batch id.
_CHECKSUM_PREFIX = "blake3:"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class LoadResult:
    """What happened to one file."""

    file: Path
    source: str
    status: Status
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    seconds: float = 0.0
    load_id: str | None = None
    message: str = ""


def ingest(
    warehouse: Warehouse,
    paths: Sequence[Path],
    *,
    force: bool = False,
    source: str | None = None,
    on_progress: Progress | None = None,
) -> list[LoadResult]:
    """Load every file; a file that fails is reported and loads nothing, the others still load."""
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise SourceFileError(
            f"{missing[0]}: {'is a directory' if missing[0].is_dir() else 'no such file'}"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
        )
    ensure_migrated(warehouse)
    results = []
    for i, path in enumerate(paths):
        if on_progress:
            on_progress(path.name, i, len(paths))
        started = datetime.now(UTC)
        try:
            spec = source_for(path, source)
            with warehouse.connect() as conn:
                result = _load_file(conn, path, spec, force=force)
        except C360Error as exc:
            if not isinstance(exc, SourceFileError):
                raise
            result = LoadResult(path, source or "?", "failed", message=exc.message)
            _record_failure(warehouse, path, source, exc.message)
        seconds = (datetime.now(UTC) - started).total_seconds()
        results.append(LoadResult(**{**result.__dict__, "seconds": seconds}))
    if on_progress:
        on_progress("done", len(paths), len(paths))
    return results


def _record_failure(warehouse: Warehouse, path: Path, source: str | None, reason: str) -> None:
    """A file refused whole, in RAW_LOAD_HISTORY (status failed) with its reason in RAW_LOAD_ERRORS (no row)."""
    try:
        name = source_for(path, source).name
    except SourceFileError:
        name = source or "unknown"
    load_id, now = uuid.uuid4().hex, datetime.now(UTC).replace(tzinfo=None)
    with warehouse.connect() as conn, conn.transaction():
        conn.execute(
            "INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_HISTORY (load_id, source, source_file, file_checksum, file_bytes, "
            "rows_read, rows_loaded, rows_rejected, status, started_at, finished_at) "
            "VALUES (:load_id, :source, :file, :checksum, :bytes, 0, 0, 0, 'failed', :now, :now)",
            {"load_id": load_id, "source": name, "file": str(path), "checksum": file_checksum(path),
             "bytes": path.stat().st_size, "now": now},
        )  # fmt: skip
        conn.execute(
            "INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_ERRORS (load_id, source, source_file, source_row, raw_text, reason, "
            "rejected_at) VALUES (:load_id, :source, :file, NULL, NULL, :reason, :now)",
            {"load_id": load_id, "source": name, "file": str(path), "reason": clean(reason), "now": now},
        )


def load_payloads(conn: WarehouseConnection, payloads: Sequence[str], *, batch_id: str, origin: str) -> LoadResult:
    """Land JSON subscription events that arrived by API (already validated) in RAW_SUBSCRIBER_EVENTS.

    ``batch_id`` plays the file checksum's part: a batch already loaded is skipped, so whoever moves
    batches can retry after a crash without duplicating them. Runs in the caller's connection.
    """
    import pyarrow as pa

    from c360.sources.readers import Parsed

    source = SUBSCRIPTION_EVENTS
    path = Path(origin)
    done = conn.scalar(
        "SELECT load_id FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY WHERE file_checksum = :batch AND source = :source "
        "AND status = 'loaded' LIMIT 1",
        {"batch": batch_id, "source": source.name},
    )
    if done:
        return LoadResult(path, source.name, "skipped", load_id=str(done), message=f"batch {batch_id} already loaded")
    numbers: list[int] = []
    good: list[str] = []
    rejects: list[Reject] = []
    for number, payload in enumerate(payloads, start=1):
        # the API judged these already; one stored before that (or by another writer) is set aside here
        # with its reason instead of failing the load, and so the inbox, for every event after it
        reason = payload_problem(payload)
        if reason:
            rejects.append(Reject(number, clip(clean(payload)), reason))
        else:
            numbers.append(number)
            good.append(payload)
    rows = pa.table({"source_row": pa.array(numbers, pa.int64()), "payload": pa.array(good, pa.string())})
    identity: Future[tuple[str, bool]] = Future()
    identity.set_result((batch_id, False))
    return _Load(conn, path, source, identity, size=sum(len(p) for p in payloads)).parsed(Parsed(rows, rejects))


def file_checksum(path: Path) -> str:
    """The file's checksum as RAW_LOAD_HISTORY records it: ``blake3:`` and the BLAKE3 of its bytes."""
    return _read_through(path)[0]


def _read_through(path: Path) -> tuple[str, bool]:
    """The file's checksum, and whether any of its bytes is NUL: one read for both.

    BLAKE3 on one thread (it releases the GIL for long inputs): the read runs beside DuckDB's, which uses every
    core, and it hashed 4.5 GB/s here against SHA-256's 1.0 GB/s (SHA-NI included), 0.7 s of CPU instead of 3 s
    for a 3 GB CSV (docs/benchmarks.md).
    A CSV with no NUL byte cannot have a field holding NUL, so its load skips the scan of every
    loaded field for one (a full pass over the raw table: 46 M rows at scale 10).
    """
    digest = blake3.blake3()
    has_nul = False
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            has_nul = has_nul or b"\x00" in chunk
    return _CHECKSUM_PREFIX + digest.hexdigest(), has_nul


def _sha256(path: Path) -> str:
    """The file's SHA-256, the checksum of the loads recorded before BLAKE3."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _load_file(conn: WarehouseConnection, path: Path, source: Source, *, force: bool) -> LoadResult:
    # The checksum (a whole read of the file) runs in a thread beside the load, as the hash releases the GIL.
    # Only a file as long as one already loaded can be a repeat, so only then must the load wait for it to know
    # whether to skip.
    size = path.stat().st_size
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="c360-checksum") as pool:
        identity = pool.submit(_read_through, path)
        same_size = [] if force else _loads_of_size(conn, source, size)
        if same_size:
            previous = _same_content(path, identity.result()[0], same_size)
            if previous:
                return LoadResult(
                    path,
                    source.name,
                    "skipped",
                    load_id=previous["load_id"],
                    message=f"already loaded as {previous['load_id']} at "
                    f"{previous['finished_at']:%Y-%m-%d %H:%M}; --force loads it again",
                )
        load = _Load(conn, path, source, identity, size)
        if source is CONTENT_ENGAGEMENT and isinstance(conn, DuckDBConnection):
            return load.csv_in_duckdb()
        return load.parsed(_parse(path, source))


def _loads_of_size(conn: WarehouseConnection, source: Source, size: int) -> list[dict[str, Any]]:
    """The loads of ``source`` with ``size`` bytes, latest first: only these can be the same content."""
    return conn.query(
        "SELECT load_id, finished_at, file_checksum FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY "
        "WHERE source = :source AND file_bytes = :size AND status = 'loaded' ORDER BY finished_at DESC",
        {"source": source.name, "size": size},
    )


def _same_content(path: Path, checksum: str, loads: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest of ``loads`` whose checksum is this file's: its BLAKE3, or for a load recorded with a SHA-256
    (before checksums were BLAKE3) its SHA-256, computed only then, so upgrading never loads a file twice."""
    sha256: str | None = None
    for load in loads:
        recorded = load["file_checksum"]
        if recorded == checksum:
            return load
        if _SHA256_HEX.fullmatch(recorded):
            sha256 = sha256 or _sha256(path)
            if recorded == sha256:
                return load
    return None


def _parse(path: Path, source: Source) -> Parsed:
    from c360.sources.readers import read_jsonl, read_parquet

    if source is SUBSCRIPTION_EVENTS:
        return read_jsonl(path)
    if source is CONTENT_ENGAGEMENT:
        return _csv_to_arrow(path)
    return read_parquet(path)


def _csv_to_arrow(path: Path) -> Parsed:
    """Parse a CSV with an in-memory DuckDB (for warehouses other than DuckDB itself)."""
    import pyarrow as pa

    from c360.sources.readers import Parsed

    layout = inspect_csv(path)
    scratch = duckdb.connect()
    scratch.execute(f"CREATE TABLE scan AS {csv_select(path, layout, _CSV_REJECTS)}")  # rowids in file order
    rejects = _csv_rejects(scratch)
    _refuse_truncated_csv(path, layout.ends_with_newline, rejects)
    rows = scratch.sql(
        f"SELECT {_record_line_sql('(rowid + 1)', rejects)} AS source_row, * FROM scan ORDER BY rowid"
    ).to_arrow_table()
    # the text policy (c360.text): a record with a NUL in a field is rejected alone, with the field
    keep, unstorable = [], []
    for i, record in enumerate(rows.to_pylist()):
        line = record.pop("source_row")
        reason = first_problem(record)
        if reason:
            unstorable.append(Reject(line, clip(clean(",".join(str(v or "") for v in record.values()))), reason))
        else:
            keep.append(i)
    if unstorable:
        rows = rows.take(pa.array(keep, pa.int64()))
        rejects = sorted([*rejects, *unstorable], key=lambda r: r.source_row or 0)
    return Parsed(rows, rejects)


def _record_line_sql(k: str, rejects: list[Reject]) -> str:
    """SQL for the file line of the ``k``-th loaded record (header = line 1), given the rejected records.

    The rejected record on file line L precedes the k-th loaded record when L - 1 - j < k, j being its rank
    among the rejects; their count is found by a binary search written as nested CASEs (a join would sort
    millions of rows for this).
    """
    bounds = [line - 1 - rank for rank, line in enumerate(sorted(r.source_row or 0 for r in rejects), start=1)]

    def search(low: int, high: int) -> str:  # the answer is in [low, high]
        if low == high:
            return str(low)
        mid = (low + high + 1) // 2
        return f"(CASE WHEN {k} > {bounds[mid - 1]} THEN {search(mid, high)} ELSE {search(low, mid - 1)} END)"

    return f"{k} + {search(0, len(bounds))} + 1"


def _csv_rejects(conn: duckdb.DuckDBPyConnection) -> list[Reject]:
    rows = conn.sql(
        # DuckDB reports one error per surplus or missing column; the first names the real count
        f"SELECT line, any_value(csv_line), arg_min(error_type || ': ' || error_message, column_idx) "
        f"FROM {_CSV_REJECTS} GROUP BY line ORDER BY line"
    ).fetchall()
    return [Reject(int(line), (text or "")[:RAW_TEXT_LIMIT], reason) for line, text, reason in rows]


def _refuse_truncated_csv(path: Path, ends_with_newline: bool, rejects: list[Reject]) -> None:
    if ends_with_newline or not rejects:
        return
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) + 1
    if rejects[-1].source_row == lines:
        raise SourceFileError(f"{path} looks truncated: its last line ({lines}) is incomplete and has no line end")


class _Load:
    """One file's load: rows, rejects and the history row, committed together (the CSV's rows read
    into DuckDB are committed first, invisible until numbered: ``csv_in_duckdb``)."""

    def __init__(
        self, conn: WarehouseConnection, path: Path, source: Source, identity: Future[tuple[str, bool]], size: int
    ) -> None:
        """``identity``: the file's checksum and whether it holds a NUL byte (c360.sources.ingest._read_through),
        still being computed when the load starts."""
        self.conn, self.path, self.source, self.identity, self.size = conn, path, source, identity, size
        self.load_id = uuid.uuid4().hex
        self.started = datetime.now(UTC).replace(tzinfo=None)

    def parsed(self, parsed: Parsed) -> LoadResult:
        import numpy as np
        import pyarrow as pa

        with self.conn.transaction():
            base = self._base_seq()
            rows = parsed.rows
            n = rows.num_rows
            meta = {
                "load_seq": pa.array(np.arange(base + 1, base + n + 1, dtype=np.int64)),
                "load_id": pa.array([self.load_id] * n, pa.string()),
                "source_file": pa.array([str(self.path)] * n, pa.string()),
                "loaded_at": pa.array([self.started] * n, pa.timestamp("us")),
            }
            table = rows
            for name, column in meta.items():
                table = table.append_column(name, column)
            columns = [c for c in _RAW_META] + [c for c in rows.column_names if c != "source_row"]
            _insert(
                self.conn, self.source.table, table.select(columns), json_columns=frozenset({"payload", "extra_fields"})
            )
            return self._finish(n, parsed.rejects, base)

    def csv_in_duckdb(self) -> LoadResult:
        """The embedded fast path: one parallel read of the CSV straight into the raw table, then its numbering.

        The rows land in file order (DuckDB preserves insertion order), so their rowids are consecutive in
        file order; load_seq and source_row are set from them once the read has found the rejected lines.
        Numbering during the read (row_number() OVER ()) would force it onto one thread, and finding the
        rejects first would read the file twice: at scale 10 (15 GB) each read is a minute of disk.

        Two transactions. The first reads the file with every load_seq 0, which no stream shows (a stream
        shows the rows past its offset, and offsets start at 0) and no history row records; the second
        numbers the rows and records the load. In one transaction the numbering cost 2-3 s of a 12 s load
        at scale 1: DuckDB rewrites at commit every row group of an uncommitted insert that an UPDATE
        touched, while an UPDATE of committed rows writes the two columns alone (0.3 s; docs/benchmarks.md).
        A load cut short between the two leaves rows numbered 0 and no history: the next CSV load deletes
        them, and the file, never recorded as loaded, loads again whole.
        """
        assert isinstance(self.conn, DuckDBConnection)
        native = self.conn.native
        layout = inspect_csv(self.path)
        select = csv_select(self.path, layout, _CSV_REJECTS)
        table, known = self.source.table, [*self.source.required, *self.source.optional]
        native.execute(f"DROP TABLE IF EXISTS {_CSV_REJECTS}; DROP TABLE IF EXISTS {_CSV_REJECTS}_scan")
        with self.conn.transaction():
            discarded = native.execute(f"DELETE FROM {table} WHERE load_seq = 0").fetchall()[0][0]
            if discarded:
                log.warning("%s: deleted %d rows of a load interrupted before its numbering", table, discarded)
            ((inserted,),) = native.execute(
                f"INSERT INTO {table} ({', '.join(_RAW_META)}, {', '.join(known)}, extra_fields) "
                f"SELECT 0, ?, ?, 0, ?, {', '.join('c.' + k for k in known)}, c.extra_fields FROM ({select}) AS c",
                [self.load_id, str(self.path), self.started],
            ).fetchall()
            rejects = _csv_rejects(native)
            _refuse_truncated_csv(self.path, layout.ends_with_newline, rejects)
        failpoints.hit("ingest.before_numbering")  # the rows committed, numbered 0, no history row
        try:
            with self.conn.transaction():
                return self._number_csv_rows(known, rejects, int(inserted))
        except BaseException:
            try:  # nothing of this load stays
                with self.conn.transaction():
                    native.execute(f"DELETE FROM {table} WHERE load_id = ? AND load_seq = 0", [self.load_id])
            except Exception:
                log.warning("%s: load %s left unnumbered rows; the next CSV load deletes them", table, self.load_id)
            raise

    def _number_csv_rows(self, known: list[str], rejects: list[Reject], inserted: int) -> LoadResult:
        """Number the ``inserted`` rows ``csv_in_duckdb`` committed (load_seq past every row of the table,
        source_row the file line), set aside those the text policy refuses, and record the load."""
        assert isinstance(self.conn, DuckDBConnection)
        native, table = self.conn.native, self.source.table
        base = self._base_seq()
        # fetchall, not fetchone: DuckDB keeps a result that was not read to its end open, and the next
        # statement on the connection (with no rows loaded, registering the rejects) then fails
        ((first, last, loaded),) = native.execute(
            f"SELECT MIN(rowid), MAX(rowid), COUNT(*) FROM {table} WHERE load_seq = 0 AND load_id = ?",
            [self.load_id],
        ).fetchall()
        if loaded != inserted:  # another load in this process deleted them as interrupted: say so, never record 0
            gone = inserted - loaded
            raise C360Error(f"{self.path}: {gone} of its rows went before their numbering; nothing was loaded")
        if loaded and last - first + 1 != loaded:
            raise C360Error(f"{self.path}: the loaded rows' rowids are not consecutive; nothing was loaded")
        span = None
        if loaded:
            k = f"(rowid - {first} + 1)"  # the record's rank among the loaded ones, in file order
            native.execute(
                f"UPDATE {table} SET load_seq = {base} + {k}, "
                f"source_row = {_record_line_sql(k, rejects)} "
                "WHERE load_seq = 0 AND load_id = ?",
                [self.load_id],
            )
            _, has_nul = self.identity.result()
            unstorable = self._set_aside_unstorable(known) if has_nul else []
            if unstorable:
                rejects = sorted([*rejects, *unstorable], key=lambda r: r.source_row or 0)
                loaded -= len(unstorable)
                span = native.execute(
                    f"SELECT MIN(load_seq), MAX(load_seq) FROM {table} WHERE load_id = ?", [self.load_id]
                ).fetchall()[0]
        return self._finish(int(loaded), rejects, base, span)

    def _set_aside_unstorable(self, columns: list[str]) -> list[Reject]:
        """Move the just-loaded records with a NUL in any field to the rejects (the text policy, c360.text):
        DuckDB keeps NUL in text, but nothing downstream of raw should meet it."""
        assert isinstance(self.conn, DuckDBConnection)
        table, native = self.source.table, self.conn.native
        fields = [*columns, "extra_fields"]
        has_nul = " OR ".join(f"contains({c}::VARCHAR, chr(0))" for c in fields)
        rows = native.execute(
            f"SELECT source_row, {', '.join(f'{c}::VARCHAR' for c in fields)} FROM {table} "
            f"WHERE load_id = ? AND ({has_nul}) ORDER BY source_row",
            [self.load_id],
        ).fetchall()
        if not rows:
            return []
        native.execute(f"DELETE FROM {table} WHERE load_id = ? AND ({has_nul})", [self.load_id])
        rejects = []
        for source_row, *values in rows:
            reason = first_problem(dict(zip(fields, values, strict=True)))
            raw = clip(clean(",".join(v or "" for v in values)))
            rejects.append(Reject(int(source_row), raw, reason or "contains a NUL character"))
        return rejects

    def _base_seq(self) -> int:
        return int(self.conn.scalar(f"SELECT COALESCE(MAX(load_seq), 0) FROM {self.source.table}"))

    def _finish(self, loaded: int, rejects: list[Reject], base: int, span: tuple[int, int] | None = None) -> LoadResult:
        """Rejects and the history row; ``span``: the first and last load_seq when they are not base + 1..n."""
        if rejects:
            n = len(rejects)
            _insert_rejects(
                self.conn,
                {
                    "load_id": [self.load_id] * n,
                    "source": [self.source.name] * n,
                    "source_file": [str(self.path)] * n,
                    "source_row": [r.source_row for r in rejects],
                    "raw_text": [r.raw_text for r in rejects],
                    "reason": [r.reason for r in rejects],
                    "rejected_at": [self.started] * n,
                },
            )
        self.conn.execute(
            "INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_HISTORY (load_id, source, source_file, file_checksum, file_bytes, "
            "rows_read, rows_loaded, rows_rejected, first_load_seq, last_load_seq, status, started_at, finished_at) "
            "VALUES (:load_id, :source, :file, :checksum, :bytes, :read, :loaded, :rejected, :first, :last, "
            "'loaded', :started, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
            {
                "load_id": self.load_id,
                "source": self.source.name,
                "file": str(self.path),
                "checksum": self.identity.result()[0],
                "bytes": self.size,
                "read": loaded + len(rejects),
                "loaded": loaded,
                "rejected": len(rejects),
                "first": (span[0] if span else base + 1) if loaded else None,
                "last": (span[1] if span else base + loaded) if loaded else None,
                "started": self.started,
            },
        )
        failpoints.hit("ingest.before_commit")  # rows, rejects and history written, not yet committed
        return LoadResult(
            self.path,
            self.source.name,
            "loaded",
            rows_read=loaded + len(rejects),
            rows_loaded=loaded,
            rows_rejected=len(rejects),
            load_id=self.load_id,
        )


def _insert(conn: WarehouseConnection, table: str, rows: pa.Table, json_columns: frozenset[str] = frozenset()) -> None:
    """Append an Arrow table to ``table`` (columns by name); JSON text columns become VARIANT."""
    if rows.num_rows == 0:
        return
    names = rows.column_names
    if isinstance(conn, DuckDBConnection):
        conn.native.register("c360_batch", rows)
        try:
            exprs = [f"{c}::JSON" if c in json_columns else c for c in names]
            conn.native.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(exprs)} FROM c360_batch")
        finally:
            conn.native.unregister("c360_batch")
        return
    _insert_records(conn, table, names, rows.to_pylist(), json_columns)


def _insert_rejects(conn: WarehouseConnection, columns: dict[str, list[Any]]) -> None:
    """Append rejected records to RAW_LOAD_ERRORS from plain lists, not an Arrow table: pyarrow imports pandas
    on its first array built from Python objects, 0.3 s of a CSV's load that needs neither."""
    table = "SFE_RAW_MEDIA.RAW_LOAD_ERRORS"
    if isinstance(conn, DuckDBConnection):
        types = {"source_row": "BIGINT", "rejected_at": "TIMESTAMP"}
        unnest = ", ".join(f"UNNEST(?::{types.get(c, 'VARCHAR')}[])" for c in columns)
        conn.native.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {unnest}", list(columns.values()))
        return
    records = [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]
    _insert_records(conn, table, list(columns), records)


def _insert_records(
    conn: WarehouseConnection,
    table: str,
    names: list[str],
    records: list[dict[str, Any]],
    json_columns: frozenset[str] = frozenset(),
) -> None:
    """One INSERT per record: for a warehouse with no bulk path from Python here (Snowflake)."""
    exprs = [f"PARSE_JSON(:{c})" if c in json_columns else f":{c}" for c in names]
    statement = f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(exprs)}"
    for record in records:
        conn.execute(statement, record)
