"""Streams on DuckDB: each task consumes only rows past its offset, and the offset moves with the write."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from c360.sources.ingest import ingest
from c360.warehouse import Warehouse
from pipeline_sql import runtime
from tests.conftest import run_cli

STREAM = "SFE_RAW_MEDIA.sfe_subscriber_events_stream"


def events_file(path: Path, ids: range, subscriber: str = "sub-1") -> Path:
    lines = [
        json.dumps(
            {
                "event_id": f"evt-{i}",
                "subscriber_id": subscriber,
                "event_type": "payment",
                "event_timestamp": f"2026-10-{1 + i % 28:02d}T12:00:00Z",
                "plan": "basic",
                "payment_amount": 9.99,
                "payment_status": "succeeded",
            }
        )
        for i in ids
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def staged(wh: Warehouse) -> int:
    with wh.connect() as conn:
        return int(conn.scalar("SELECT COUNT(*) FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS"))


def test_each_row_is_consumed_once(warehouse: Warehouse, tmp_path: Path) -> None:
    ingest(warehouse, [events_file(tmp_path / "a.jsonl", range(0, 5))])
    with warehouse.connect() as conn:
        assert runtime.stream_has_data(conn, STREAM)
        runtime.call(conn, "SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS")
        assert not runtime.stream_has_data(conn, STREAM)
        runtime.call(conn, "SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS")  # nothing new: nothing changes
    assert staged(warehouse) == 5
    # a later load with overlapping event ids: only the new rows reach the task, duplicates merge
    ingest(warehouse, [events_file(tmp_path / "b.jsonl", range(3, 8))])
    with warehouse.connect() as conn:
        assert conn.scalar(f"SELECT COUNT(*) FROM {STREAM}") == 5
        runtime.call(conn, "SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS")
        assert conn.scalar("SELECT valid_event_count FROM SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER") == 8
    assert staged(warehouse) == 8


@pytest.mark.slow  # worker-kill: a process killed and run again
def test_kill_between_write_and_offset_loses_and_duplicates_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    ingest(warehouse, [events_file(tmp_path / "a.jsonl", range(0, 20))])
    crashed = run_cli(
        "pipeline", "task", "sfe_process_subscribers_task", env={"C360_FAILPOINTS": "stream.before_commit"}
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    # the write died with the offset: staging is empty and the stream still holds every row
    assert staged(warehouse) == 0
    with warehouse.connect() as conn:
        assert conn.scalar(f"SELECT COUNT(*) FROM {STREAM}") == 20
    ok = run_cli("pipeline", "task", "sfe_process_subscribers_task")
    assert ok.returncode == 0, ok.stderr
    assert "SUCCEEDED" in ok.stdout
    assert staged(warehouse) == 20
    again = run_cli("pipeline", "task", "sfe_process_subscribers_task")
    assert "skipped" in again.stdout  # the WHEN condition: the stream is empty now
    assert staged(warehouse) == 20
