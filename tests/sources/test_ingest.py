"""`c360 ingest`: every file reconciles, bad records are rejected visibly, bad files load nothing."""

from __future__ import annotations

import hashlib
import json
import signal
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import blake3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c360 import failpoints
from c360.errors import C360Error, SourceFileError
from c360.pipeline.status import summarize
from c360.sources import ingest as ingest_module
from c360.sources.inbox import SUBSCRIBER_TASK_PROCEDURE
from c360.sources.ingest import LoadResult, ingest
from c360.warehouse import Warehouse
from pipeline_sql import runtime
from tests.conftest import examples, run_cli
from tests.hostile import hostile_event, hostile_text

HEADER = (
    "event_id,subscriber_id,article_id,event_timestamp,time_spent_seconds,device_type,user_agent,referrer,"
    "article_metadata"
)


def event(i: int, **extra: Any) -> str:
    return json.dumps(
        {
            "event_id": f"e{i}",
            "subscriber_id": "s1",
            "event_type": "payment",
            "event_timestamp": "2026-10-01T10:00:00Z",
            "payment_amount": 9.99,
            **extra,
        }
    )


def csv_row(i: int) -> str:
    return f'c{i},s1,ART-0001,2026-10-01T10:00:00Z,60,mobile,Mozilla/5.0,google,"{{""section"": ""world""}}"'


def only(results: list[LoadResult]) -> LoadResult:
    assert len(results) == 1
    return results[0]


def count(wh: Warehouse, sql: str) -> int:
    with wh.connect() as conn:
        return int(conn.scalar(sql))


def rejects(wh: Warehouse) -> list[dict[str, Any]]:
    with wh.connect() as conn:
        return conn.query(
            "SELECT source, source_row, raw_text, reason FROM SFE_RAW_MEDIA.RAW_LOAD_ERRORS ORDER BY source_row"
        )


def file_refused(source: str, message: str) -> dict[str, Any]:
    """The reject row of a file refused whole: no row number, no raw text, the reason."""
    return {"source": source, "source_row": None, "raw_text": None, "reason": message}


# --- JSON lines ---------------------------------------------------------------------------------


def test_jsonl_rejects_bad_lines_and_loads_the_rest(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    lines = [event(1), "{not json", "", "[1, 2]", event(2, client_version="9.1"), '{"a": NaN}', event(3)]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'\xff\xfe{"bad": "utf8"}\n')
    result = only(ingest(warehouse, [path]))
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_rejected) == ("loaded", 7, 3, 4)
    reasons = {r["source_row"]: r["reason"] for r in rejects(warehouse)}
    assert reasons[2].startswith("malformed JSON")
    assert reasons[4] == "not a JSON object but a list"
    assert reasons[6].startswith("malformed JSON") and "NaN" in reasons[6]
    assert reasons[8].startswith("invalid UTF-8")
    with warehouse.connect() as conn:
        rows = conn.query("SELECT source_row, payload FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS ORDER BY load_seq")
    assert [r["source_row"] for r in rows] == [1, 5, 7]
    assert json.loads(rows[1]["payload"])["client_version"] == "9.1"  # unknown fields kept, not rejected


def test_jsonl_with_a_byte_order_mark_and_a_line_nested_too_deeply(warehouse: Warehouse, tmp_path: Path) -> None:
    """An editor's BOM is not part of the first event; a line nested deeper than the parser's stack (200 kB,
    under the record limit) is rejected alone, not an internal error that stops the file and its batch."""
    path = tmp_path / "events.jsonl"
    deep = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join([event(1), deep, event(2)]).encode() + b"\n")
    later = tmp_path / "later.jsonl"
    later.write_text(event(3) + "\n")
    first, second = ingest(warehouse, [path, later])
    assert (first.status, first.rows_read, first.rows_loaded, first.rows_rejected) == ("loaded", 3, 2, 1)
    assert second.status == "loaded"
    assert [(r["source_row"], r["reason"]) for r in rejects(warehouse)] == [(2, "malformed JSON: nested too deeply")]
    with warehouse.connect() as conn:
        ids = [json.loads(r["payload"])["event_id"] for r in conn.query(
            "SELECT payload FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS ORDER BY load_seq"
        )]  # fmt: skip
    assert ids == ["e1", "e2", "e3"]


def test_history_reconciles_and_reloading_is_a_noop_unless_forced(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(event(1) + "\n{oops\n" + event(2) + "\n")
    first = only(ingest(warehouse, [path]))
    again = only(ingest(warehouse, [path]))
    assert again.status == "skipped" and first.load_id and first.load_id in again.message
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS") == 2
    forced = only(ingest(warehouse, [path], force=True))
    assert forced.status == "loaded" and forced.load_id != first.load_id
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS") == 4
    with warehouse.connect() as conn:
        history = conn.query("SELECT * FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY ORDER BY started_at")
    assert len(history) == 2
    for h in history:
        assert h["rows_read"] == h["rows_loaded"] + h["rows_rejected"] == 3
        assert h["last_load_seq"] - h["first_load_seq"] + 1 == h["rows_loaded"]
    assert history[1]["first_load_seq"] == history[0]["last_load_seq"] + 1  # load_seq only grows


def test_a_file_as_long_as_a_loaded_one_is_only_skipped_when_its_bytes_are_the_same(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """The checksum runs beside the load; a file of a length already loaded is checked against it before."""
    first, twin, copy = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    first.write_text(event(1) + "\n")
    twin.write_text(event(2) + "\n")  # the same length, other bytes
    copy.write_bytes(first.read_bytes())
    assert first.stat().st_size == twin.stat().st_size
    results = ingest(warehouse, [first, twin, copy])
    assert [r.status for r in results] == ["loaded", "loaded", "skipped"]
    assert results[0].load_id is not None and results[0].load_id in results[2].message
    with warehouse.connect() as conn:
        recorded = conn.query(
            "SELECT source_file, file_checksum, file_bytes FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY ORDER BY started_at"
        )
    assert [(r["source_file"], r["file_checksum"], r["file_bytes"]) for r in recorded] == [
        (str(p), "blake3:" + blake3.blake3(p.read_bytes()).hexdigest(), p.stat().st_size) for p in (first, twin)
    ]


def test_a_file_recorded_with_a_sha256_before_checksums_were_blake3_is_still_skipped(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """Loads recorded before the checksum became BLAKE3 hold a SHA-256 alone: upgrading must not load them twice,
    while a file of the same length with other bytes still loads."""
    first, twin, copy, again = (tmp_path / f"{name}.jsonl" for name in ("a", "b", "c", "d"))
    first.write_text(event(1) + "\n")
    twin.write_text(event(2) + "\n")  # the same length, other bytes
    copy.write_bytes(first.read_bytes())
    again.write_bytes(first.read_bytes())
    loaded = only(ingest(warehouse, [first]))
    with warehouse.connect() as conn, conn.transaction():  # as the code before BLAKE3 recorded it
        conn.execute(
            "UPDATE SFE_RAW_MEDIA.RAW_LOAD_HISTORY SET file_checksum = :sha256 WHERE load_id = :load_id",
            {"sha256": hashlib.sha256(first.read_bytes()).hexdigest(), "load_id": loaded.load_id},
        )
    results = ingest(warehouse, [twin, copy])
    assert [r.status for r in results] == ["loaded", "skipped"]
    assert loaded.load_id is not None and loaded.load_id in results[1].message
    assert only(ingest(warehouse, [again], force=True)).status == "loaded"  # --force still loads it
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS") == 3


def test_the_csv_fast_path_records_the_files_checksum_and_skips_it_next_time(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    path = tmp_path / "views.csv"
    path.write_text(HEADER + "\n" + "\n".join(csv_row(i) for i in range(50)) + "\n")
    first = only(ingest(warehouse, [path]))
    assert first.status == "loaded" and first.rows_loaded == 50
    with warehouse.connect() as conn:
        checksum = conn.scalar("SELECT file_checksum FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY")
    assert checksum == "blake3:" + blake3.blake3(path.read_bytes()).hexdigest()
    assert only(ingest(warehouse, [path])).status == "skipped"


def test_a_csv_load_killed_before_its_numbering_shows_nothing_and_loads_again_once(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """The CSV's rows are committed before they are numbered: until then no stream may show them, and a
    load killed in between must leave nothing the next load of the file duplicates."""
    first, second = tmp_path / "views-1.csv", tmp_path / "views-2.csv"
    first.write_text(HEADER + "\n" + "\n".join(csv_row(i) for i in range(2, 12)) + "\n")  # lines 2-11
    second.write_text(HEADER + "\nbroken,line\n" + "\n".join(csv_row(i) for i in range(3, 23)) + "\n")  # 3-22
    assert only(ingest(warehouse, [first])).rows_loaded == 10
    killed = run_cli("ingest", str(second), env={"C360_FAILPOINTS": "ingest.before_numbering"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    raw = "SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT"
    assert count(warehouse, f"SELECT COUNT(*) FROM {raw} WHERE load_seq = 0") == 20  # committed, not numbered
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.sfe_content_stream") == 10  # the first file's
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY") == 1
    again = only(ingest(warehouse, [second]))  # not a repeat: the killed load was never recorded
    assert (again.status, again.rows_loaded, again.rows_rejected) == ("loaded", 20, 1)
    with warehouse.connect() as conn:
        rows = conn.tuples(f"SELECT event_id, load_seq, source_row FROM {raw} ORDER BY load_seq")
    assert rows == [(f"c{i}", i - 1, i) for i in range(2, 12)] + [(f"c{i}", 8 + i, i) for i in range(3, 23)]
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.sfe_content_stream") == 30
    assert [(r["source_row"], r["raw_text"]) for r in rejects(warehouse)] == [(2, "broken,line")]


def test_a_csv_load_whose_rows_go_before_their_numbering_fails_rather_than_recording_none(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another load in the same process takes unnumbered rows for an interrupted load's and deletes them: the
    load whose rows they were must fail loudly, not record a load of 0 rows."""
    path = tmp_path / "views.csv"
    path.write_text(HEADER + "\n" + "\n".join(csv_row(i) for i in range(2, 12)) + "\n")

    def another_load_cleans_up(name: str) -> None:
        if name == "ingest.before_numbering":
            with warehouse.connect() as other:
                other.execute("DELETE FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT WHERE load_seq = 0")

    monkeypatch.setattr(failpoints, "hit", another_load_cleans_up)
    with pytest.raises(C360Error, match="10 of its rows went before their numbering; nothing was loaded"):
        ingest(warehouse, [path])
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY") == 0


def test_a_csv_load_failing_in_its_numbering_leaves_nothing(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "views.csv"
    path.write_text(HEADER + "\n" + "\n".join(csv_row(i) for i in range(2, 12)) + "\n")

    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(ingest_module._Load, "_finish", full_disk)  # the history row's write, in the numbering
    with pytest.raises(OSError, match="No space left"):
        ingest(warehouse, [path])
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT") == 0
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY") == 0
    monkeypatch.undo()
    assert only(ingest(warehouse, [path])).rows_loaded == 10


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n\n  \n", "is empty"),
        (b"PAR1\x00\x01binary", "is not JSON lines"),
        (b"not json\nstill not\n", "is not JSON lines"),
    ],
)
def test_jsonl_file_errors_load_nothing(warehouse: Warehouse, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(content)
    result = only(ingest(warehouse, [path]))
    assert result.status == "failed" and message in result.message and str(path) in result.message
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY WHERE status = 'loaded'") == 0
    assert rejects(warehouse) == [file_refused("subscription_events", result.message)]  # recorded, with why


def test_truncated_jsonl_loads_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(event(1) + "\n" + event(2) + "\n" + event(3)[:25])  # cut mid-record, no line end
    result = only(ingest(warehouse, [path]))
    assert result.status == "failed" and "looks truncated" in result.message and "(3)" in result.message
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS") == 0


def test_oversized_record_is_rejected(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(event(1) + "\n" + event(2, blob="x" * (1 << 20)) + "\n")
    result = only(ingest(warehouse, [path]))
    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    [reject] = rejects(warehouse)
    assert "larger than" in reject["reason"] and len(reject["raw_text"]) <= 4097


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_rejects_broken_lines_with_their_line_numbers(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "views.csv"
    body = [
        HEADER + ",utm_campaign",
        csv_row(1) + ",spring",
        "broken,line",
        csv_row(2) + ",",
        csv_row(3) + ",x,too,many",
        csv_row(4) + ",",
    ]
    path.write_text("\n".join(body) + "\n")
    result = only(ingest(warehouse, [path]))
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 3, 2)
    assert [(r["source_row"], r["raw_text"]) for r in rejects(warehouse)] == [
        (3, "broken,line"),
        (5, csv_row(3) + ",x,too,many"),
    ]
    assert "MISSING COLUMNS" in rejects(warehouse)[0]["reason"]
    with warehouse.connect() as conn:
        rows = conn.query(
            "SELECT event_id, source_row, extra_fields:utm_campaign::VARCHAR AS utm FROM "
            "SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT ORDER BY load_seq"
        )
    assert [(r["event_id"], r["source_row"]) for r in rows] == [("c1", 2), ("c2", 4), ("c4", 6)]
    assert rows[0]["utm"] == "spring"  # an unknown column is kept in extra_fields


def test_large_csv_rows_keep_file_order_and_line_numbers(warehouse: Warehouse, tmp_path: Path) -> None:
    """A file far larger than DuckDB's CSV buffer is read by several threads: numbering stays exact."""
    path = tmp_path / "views.csv"
    broken = {7, 1_000, 123_457, 250_001, 399_998}  # file lines (the header is line 1)
    with path.open("w") as out:
        out.write(HEADER + "\n")
        for line in range(2, 400_001):
            out.write("broken,line\n" if line in broken else csv_row(line).replace("Mozilla/5.0", "M" * 80) + "\n")
    assert path.stat().st_size > 60 << 20  # several of DuckDB's read buffers (8-32 MB)
    loaded = only(ingest(warehouse, [path]))
    assert (loaded.rows_loaded, loaded.rows_rejected) == (400_000 - 1 - len(broken), len(broken))
    with warehouse.connect() as conn:
        wrong = conn.scalar(
            "SELECT COUNT(*) FROM (SELECT load_seq, source_row, event_id, "
            "ROW_NUMBER() OVER (ORDER BY load_seq) AS rank FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT) "
            "WHERE event_id <> 'c' || source_row::VARCHAR OR load_seq <> rank"
        )
    assert wrong == 0
    assert sorted(r["source_row"] for r in rejects(warehouse)) == sorted(broken)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("a,b,c\n1,2,3\n", "is not a content engagement (CSV) file: its header lacks event_id"),
        (
            HEADER.replace("referrer", "user_agent") + "\n" + csv_row(1) + "\n",
            "duplicate column(s) in the header: user_agent",
        ),
    ],
)
def test_csv_file_errors_load_nothing(warehouse: Warehouse, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "views.csv"
    path.write_text(content)
    result = only(ingest(warehouse, [path]))
    assert result.status == "failed" and message in result.message, result.message
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT") == 0


def test_a_csv_of_its_header_alone_is_an_empty_batch_loaded_not_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    # an exporter's minute with no views writes the header alone: a well-formed file with no records, not an
    # error to refuse (a refused file raises the load.refused alert); the same file again is skipped
    path = tmp_path / "views.csv"
    path.write_text(HEADER + "\n")
    first = only(ingest(warehouse, [path]))
    assert (first.status, first.rows_read, first.rows_loaded, first.rows_rejected) == ("loaded", 0, 0, 0)
    assert only(ingest(warehouse, [path])).status == "skipped"
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT") == 0
    assert rejects(warehouse) == []


def test_csv_with_blank_lines_after_its_header_loads_its_records(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "views.csv"
    path.write_text(HEADER + "\n\n\n" + csv_row(1) + "\n" + csv_row(2) + "\n")
    result = only(ingest(warehouse, [path]))
    assert (result.status, result.rows_loaded, result.rows_rejected) == ("loaded", 2, 0), result.message
    with warehouse.connect() as conn:
        rows = conn.query("SELECT event_id, source_row FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT ORDER BY load_seq")
    # blank lines hold no record: the rows are numbered as records (docs/pipeline.md), not as the file's lines
    assert [(r["event_id"], r["source_row"]) for r in rows] == [("c1", 2), ("c2", 3)]


def test_truncated_csv_loads_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "views.csv"
    path.write_text(HEADER + "\n" + csv_row(1) + "\n" + csv_row(2) + "\n" + "c3,s1,ART-00")
    result = only(ingest(warehouse, [path]))
    assert result.status == "failed" and "looks truncated" in result.message
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT") == 0
    assert rejects(warehouse) == [file_refused("content_engagement", result.message)]


def test_binary_file_named_csv_is_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "views.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    assert "not UTF-8 text" in only(ingest(warehouse, [path])).message


# --- Parquet -------------------------------------------------------------------------------------


def tickets(path: Path, rows: list[dict[str, Any]], **schema_extra: pa.DataType) -> Path:
    schema = pa.schema(
        [
            ("ticket_id", pa.string()),
            ("subscriber_id", pa.string()),
            ("created_at", pa.timestamp("us", tz="UTC")),
            ("resolved_at", pa.timestamp("us", tz="UTC")),
            ("category", pa.string()),
            ("satisfaction_score", pa.int8()),
            *schema_extra.items(),
        ]
    )
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return path


def ticket(i: int, **over: Any) -> dict[str, Any]:
    base = {
        "ticket_id": f"t{i}",
        "subscriber_id": "s1",
        "created_at": datetime(2026, 10, 1, 9, tzinfo=UTC),
        "resolved_at": None,
        "category": "billing",
        "satisfaction_score": 4,
        "agent_team": "tier1",
    }
    return {**base, **over}


def test_parquet_rejects_bad_rows(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [
        ticket(1),
        ticket(2, subscriber_id=None),
        ticket(3, created_at=datetime(2099, 1, 1, tzinfo=UTC)),
        ticket(4, resolved_at=datetime(2026, 9, 1, tzinfo=UTC)),
        ticket(5, satisfaction_score=9),
        ticket(6, ticket_id=""),
        ticket(7, resolved_at=datetime(2026, 10, 2, tzinfo=UTC)),
    ]
    path = tickets(tmp_path / "tickets.parquet", rows, agent_team=pa.string())
    result = only(ingest(warehouse, [path]))
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (7, 2, 5)
    assert [(r["source_row"], r["reason"]) for r in rejects(warehouse)] == [
        (2, "missing subscriber_id"),
        (3, "created_at in the future"),
        (4, "resolved_at before created_at"),
        (5, "satisfaction_score outside 1-5"),
        (6, "missing ticket_id"),
    ]
    with warehouse.connect() as conn:
        loaded = conn.query(
            "SELECT ticket_id, source_row, created_at, extra_fields:agent_team::VARCHAR AS team "
            "FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS ORDER BY source_row"
        )
    assert [(r["ticket_id"], r["source_row"], r["team"]) for r in loaded] == [("t1", 1, "tier1"), ("t7", 7, "tier1")]
    assert loaded[0]["created_at"] == datetime(2026, 10, 1, 9)  # stored as UTC, without zone


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"PAR1 definitely not parquet", "not a readable Parquet file"), (b"hello", "Parquet")],
)
def test_non_parquet_is_refused(warehouse: Warehouse, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "tickets.parquet"
    path.write_bytes(content)
    result = only(ingest(warehouse, [path]))
    assert result.status == "failed" and message in result.message


def test_truncated_parquet_is_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tickets(tmp_path / "tickets.parquet", [ticket(i) for i in range(50)], agent_team=pa.string())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = only(ingest(warehouse, [path]))
    assert result.status == "failed" and "Parquet" in result.message
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS") == 0


def test_parquet_without_required_columns_is_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "tickets.parquet"
    pq.write_table(pa.table({"ticket_id": ["t1"]}), path)
    assert "it lacks subscriber_id, created_at" in only(ingest(warehouse, [path])).message


# --- several files, and the command line ----------------------------------------------------------


def test_a_missing_file_stops_before_anything_loads(warehouse: Warehouse, tmp_path: Path) -> None:
    good = tmp_path / "events.jsonl"
    good.write_text(event(1) + "\n")
    with pytest.raises(SourceFileError, match="no such file"):
        ingest(warehouse, [good, tmp_path / "missing.jsonl"])
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS") == 0


def test_unknown_suffix_needs_a_source(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "events.txt"
    path.write_text(event(1) + "\n")
    assert "cannot tell its source" in only(ingest(warehouse, [path])).message
    assert only(ingest(warehouse, [path], source="subscription_events")).status == "loaded"


def test_cli_reports_each_file_and_fails_when_one_failed(warehouse: Warehouse, tmp_path: Path) -> None:
    good, bad = tmp_path / "events.jsonl", tmp_path / "views.csv"
    good.write_text(event(1) + "\n{bad\n")
    bad.write_text("")
    proc = run_cli("ingest", str(good), str(bad))
    assert proc.returncode == 1
    assert "error: 1 of 2 file(s) not loaded" in proc.stderr and "views.csv is empty" in proc.stderr
    assert "loaded" in proc.stdout and "failed" in proc.stdout
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS") == 1


def test_jsonl_lines_with_a_lone_surrogate_or_nul_are_rejected_and_the_rest_loads(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # issue 11 #1/#2: one "\ud800" failed the whole file (TransactionException, exit 70); NUL reached PostgreSQL
    path = tmp_path / "events.jsonl"
    lines = [event(1), event(2, note="\ud800"), event(3, plan="prem\u0000ium"), event(4, **{"k\ud800": 1}), event(5)]
    path.write_text("\n".join(lines) + "\n")
    result = only(ingest(warehouse, [path]))
    assert (result.status, result.rows_loaded, result.rows_rejected) == ("loaded", 2, 3)
    reasons = {r["source_row"]: r["reason"] for r in rejects(warehouse)}
    assert reasons == {
        2: "note: contains a lone surrogate (U+D800) at position 0",
        3: "plan: contains a NUL character (U+0000) at position 4",
        4: "a key of the object contains a lone surrogate (U+D800) at position 1",
    }


def test_a_csv_whose_every_record_is_rejected_loads_none_and_says_why(warehouse: Warehouse, tmp_path: Path) -> None:
    # issue 11 #12: this crashed with ResourceInUseException (exit 70)
    path = tmp_path / "views.csv"
    path.write_text(f"{HEADER}\na,b\nc,d,e\n")
    proc = run_cli("ingest", str(path))
    assert proc.returncode == 0, proc.stderr
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT") == 0
    assert [r["source_row"] for r in rejects(warehouse)] == [2, 3]


def test_status_shows_recent_loads_with_why_a_file_failed_and_the_tasks_last_runs(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # issue 11 #12: whole-file failures were recorded nowhere; status showed neither loads nor tasks
    good, empty = tmp_path / "events.jsonl", tmp_path / "views.csv"
    good.write_text(event(1) + "\n")
    empty.write_text("")
    assert run_cli("ingest", str(good), str(empty)).returncode == 1
    assert run_cli("pipeline", "task", "sfe_process_subscribers_task").returncode == 0
    proc = run_cli("status", env={"COLUMNS": "250"})
    assert proc.returncode == 0, proc.stderr
    assert "recent loads" in proc.stdout and "failed: " in proc.stdout
    assert "SFE_PROCESS_SUBSCRIBERS_TASK" in proc.stdout and "SUCCEEDED" in proc.stdout
    with warehouse.connect() as conn:
        summary = summarize(conn)  # what the table shows, unwrapped
    assert [(r["status"], r["reason"]) for r in summary.loads if r["status"] == "failed"] == [
        ("failed", f"{empty} is empty")
    ]
    with warehouse.connect() as conn:
        history = conn.query("SELECT source, status, rows_read FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY ORDER BY status")
    assert history == [
        {"source": "content_engagement", "status": "failed", "rows_read": 0},
        {"source": "subscription_events", "status": "loaded", "rows_read": 1},
    ]


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(hostile_event.map(json.dumps), hostile_text), min_size=1, max_size=8))
def test_property_every_jsonl_line_is_loaded_or_rejected_with_a_reason(warehouse: Warehouse, lines: list[str]) -> None:
    # the class of issue 11 #1/#2: whatever a line holds, the file loads (or is refused whole, with why)
    path = Path(tempfile.mkdtemp()) / "events.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass"))
    result = only(ingest(warehouse, [path], force=True))
    if result.status == "failed":
        assert result.message
        return
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    with warehouse.connect() as conn:
        runtime.call(conn, SUBSCRIBER_TASK_PROCEDURE)  # staging takes whatever was loaded
        reasons = conn.query(
            "SELECT reason FROM SFE_RAW_MEDIA.RAW_LOAD_ERRORS WHERE load_id = :id", {"id": result.load_id}
        )
    assert len(reasons) == result.rows_rejected and all(r["reason"] for r in reasons)


def test_parquet_rows_with_nul_in_any_text_are_rejected_with_the_column(warehouse: Warehouse, tmp_path: Path) -> None:
    # the text policy at the Parquet reader: a NUL in any string column (extras too) rejects that row alone
    path = tickets(
        tmp_path / "tickets.parquet",
        [ticket(1), ticket(2, category="bil\x00ling"), ticket(3, agent_team="t\x00"), ticket(4)],
        agent_team=pa.string(),
    )
    result = only(ingest(warehouse, [path]))
    assert (result.rows_loaded, result.rows_rejected) == (2, 2)
    reasons = {r["source_row"]: r["reason"] for r in rejects(warehouse)}
    assert reasons == {
        2: "category: contains a NUL character (U+0000) at position 3",
        3: "agent_team: contains a NUL character (U+0000) at position 1",
    }


def test_csv_records_with_nul_in_a_field_are_rejected_alone(warehouse: Warehouse, tmp_path: Path) -> None:
    # the text policy at the CSV reader: the record with the NUL goes to the rejects, with its field
    path = tmp_path / "views.csv"
    bad = csv_row(2).replace("mobile", "mob\x00ile")
    path.write_text("\n".join([HEADER, csv_row(1), bad, csv_row(3), "x,y", csv_row(5)]) + "\n")
    result = only(ingest(warehouse, [path]))
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 3, 2)
    reasons = {r["source_row"]: r["reason"] for r in rejects(warehouse)}
    assert reasons[3] == "device_type: contains a NUL character (U+0000) at position 3"
    assert reasons[5].startswith("MISSING COLUMNS")
    with warehouse.connect() as conn:
        rows = conn.query("SELECT source_row, load_seq FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT ORDER BY source_row")
        history = conn.query("SELECT first_load_seq, last_load_seq FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY")
    assert [r["source_row"] for r in rows] == [2, 4, 6]
    assert history == [{"first_load_seq": rows[0]["load_seq"], "last_load_seq": rows[-1]["load_seq"]}]


def test_csv_nul_past_the_first_megabyte_is_still_found(warehouse: Warehouse, tmp_path: Path) -> None:
    # the load looks for NUL fields only when the file has a NUL byte, which it finds while
    # checksumming in 1 MiB chunks: a NUL far from the start must still send its record to the rejects
    path = tmp_path / "views.csv"
    rows = [csv_row(i) for i in range(1, 30_001)]
    rows[-2] = rows[-2].replace("mobile", "mob\x00ile")
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    assert path.stat().st_size > 2 * (1 << 20)
    result = only(ingest(warehouse, [path]))
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (30_000, 29_999, 1)
    assert [(r["source_row"], r["reason"]) for r in rejects(warehouse)] == [
        (30_000, "device_type: contains a NUL character (U+0000) at position 3")
    ]
