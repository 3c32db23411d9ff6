"""Scheduled loads from landing folders: ready files load on their schedule, then move to archive/ or
refused/; half-written files wait; a kill -9 at the worst moment loses and duplicates nothing."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from c360.errors import WarehouseBusy
from c360.ops.landing import LandingJob, folder, landing_jobs, ready_files
from c360.settings import Settings
from c360.sources.formats import CONTENT_ENGAGEMENT, SUBSCRIPTION_EVENTS, SUPPORT_TICKETS
from c360.warehouse import Warehouse
from tests.conftest import run_cli

HEADER = "event_id,subscriber_id,article_id,event_timestamp,time_spent_seconds"


def content(name: str, ids: range, subscriber: str = "s1") -> str:
    lines = [HEADER, *(f"c{i},{subscriber},ART-1,2026-10-01T10:00:00Z,60" for i in ids)]
    return "\n".join(lines) + "\n"


def events(ids: range, subscriber: str = "s1") -> str:
    rows = [
        {"event_id": f"e{i}", "subscriber_id": subscriber, "event_type": "signup" if i == ids[0] else "payment",
         "event_timestamp": "2026-10-01T09:00:00Z", "plan": "basic", "payment_amount": 9.99}
        for i in ids
    ]  # fmt: skip
    return "\n".join(json.dumps(r) for r in rows) + "\n"


def drop(path: Path, text: str, *, age: float = 10.0) -> Path:
    """A complete file, last written ``age`` seconds ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def count(wh: Warehouse, sql: str) -> int:
    with wh.connect() as conn:
        return int(conn.scalar(sql))


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@contextlib.contextmanager
def holding(warehouse: Warehouse) -> Iterator[None]:
    """Another process holds the warehouse file (DuckDB's lock) until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(warehouse.duckdb_path)!r}); "
         "print('held', flush=True); sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdin and holder.stdout and holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_ready_files_skip_temporary_hidden_and_still_changing_ones(tmp_path: Path) -> None:
    drop(tmp_path / "a.csv", "x\n")
    drop(tmp_path / "b.csv.tmp", "x\n")
    drop(tmp_path / ".c.csv", "x\n")
    drop(tmp_path / "d.csv", "x\n", age=0.0)  # written just now: maybe not finished
    (tmp_path / "archive").mkdir()
    assert [p.name for p in ready_files(tmp_path, settle=2.0)] == ["a.csv"]


def test_a_file_that_does_not_end_complete_waits_for_its_writer(tmp_path: Path) -> None:
    """A writer that paused mid-line (or before a Parquet footer) longer than the settle time is not done."""
    drop(tmp_path / "whole.jsonl", events(range(1, 3)))
    drop(tmp_path / "cut.jsonl", events(range(1, 3))[:-30])  # stopped mid-line: no line end
    drop(tmp_path / "long-ago.csv", content("c", range(1, 3)).rstrip("\n"), age=400)
    table = pa.table({"ticket_id": ["t1"], "subscriber_id": ["s1"]})
    pq.write_table(table, tmp_path / "tickets.parquet")
    whole = (tmp_path / "tickets.parquet").read_bytes()
    (tmp_path / "tickets-cut.parquet").write_bytes(whole[: len(whole) // 2])
    for name in ("tickets.parquet", "tickets-cut.parquet"):
        os.utime(tmp_path / name, (time.time() - 10, time.time() - 10))
    ready = {p.name for p in ready_files(tmp_path, settle=2.0, incomplete_grace=300)}
    # past the grace a file is loaded whatever its end (a CSV may end without a line end): refused if cut
    assert ready == {"whole.jsonl", "long-ago.csv", "tickets.parquet"}
    assert len(ready_files(tmp_path, settle=2.0)) == 5  # no grace: every settled file


def test_a_file_written_to_while_it_loads_stays_to_load_again(settings: Settings, warehouse: Warehouse) -> None:
    """Its load saw part of it, or a cut end it refused: moving it would archive, or refuse, a file whose end
    was never loaded. It stays; the next tick loads it whole, then archives it."""
    path = drop(folder(settings, SUBSCRIPTION_EVENTS) / "events.jsonl", events(range(1, 3)))
    job = LandingJob(settings.model_copy(update={"warehouse_lock_timeout": 30}), SUBSCRIPTION_EVENTS, warehouse)
    ticking = threading.Thread(target=job.tick)
    with holding(warehouse):  # so the job's load waits once it has looked at the file
        ticking.start()
        time.sleep(1.5)  # the job has found the file ready and waits for the warehouse
        with path.open("a", encoding="utf-8") as handle:  # the source writes more meanwhile
            handle.write(events(range(3, 5)).replace("signup", "payment"))
    ticking.join(timeout=60)
    assert path.exists() and not list((path.parent / "archive").iterdir())  # it stayed
    os.utime(path, (time.time() - 10, time.time() - 10))  # settled since
    job.next_due = None
    job.tick()  # loaded whole already (the load read it after the write): its checksum is in, so archived
    assert not path.exists() and [p.name for p in (path.parent / "archive").iterdir()] == ["events.jsonl"]
    assert count(warehouse, "SELECT COUNT(DISTINCT payload->>'event_id') FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS") == 4


def test_content_batches_load_archive_and_count_orphans(settings: Settings, warehouse: Warehouse) -> None:
    lines: list[str] = []
    job = LandingJob(settings, SUBSCRIPTION_EVENTS, warehouse, report=lines.append)
    drop(folder(settings, SUBSCRIPTION_EVENTS) / "events-1.jsonl", events(range(1, 4)))
    job.tick()
    content_dir = folder(settings, CONTENT_ENGAGEMENT)
    drop(content_dir / "batch-1.csv", content("batch-1", range(1, 6)))
    drop(content_dir / "batch-2.csv", content("batch-2", range(6, 9), subscriber="ghost"))
    drop(content_dir / "batch-3.csv.tmp", content("batch-3", range(9, 12)))
    LandingJob(settings, CONTENT_ENGAGEMENT, warehouse, report=lines.append).tick()

    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT") == 8
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT") == 8  # staged at once
    assert sorted(p.name for p in (content_dir / "archive").iterdir()) == ["batch-1.csv", "batch-2.csv"]
    assert [p.name for p in content_dir.iterdir() if p.is_file()] == ["batch-3.csv.tmp"]
    with warehouse.connect() as conn:
        orphans = {
            Path(r["source_file"]).name: r["orphaned_rows"]
            for r in conn.query("SELECT source_file, orphaned_rows FROM SFE_RAW_MEDIA.V_LOAD_ORPHANS")
        }
    assert orphans == {"batch-1.csv": 0, "batch-2.csv": 3}  # ghost has no subscription events
    assert any("landing:content_engagement: 2 loaded (8 rows, 0 rejected)" in line for line in lines)


def test_a_file_refused_whole_goes_to_refused_with_its_reason(settings: Settings, warehouse: Warehouse) -> None:
    content_dir = folder(settings, CONTENT_ENGAGEMENT)
    drop(content_dir / "broken.csv", "not,a,content,file\n1,2,3,4\n")
    LandingJob(settings, CONTENT_ENGAGEMENT, warehouse).tick()
    refused = content_dir / "refused"
    assert sorted(p.name for p in refused.iterdir()) == ["broken.csv", "broken.csv.reason.txt"]
    assert "event_id" in (refused / "broken.csv.reason.txt").read_text()
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY WHERE status = 'failed'") == 1


def test_the_same_content_twice_loads_once_and_both_are_archived(settings: Settings, warehouse: Warehouse) -> None:
    content_dir = folder(settings, CONTENT_ENGAGEMENT)
    job = LandingJob(settings, CONTENT_ENGAGEMENT, warehouse, clock=Clock(datetime(2026, 12, 1, 10, 0)))
    drop(content_dir / "batch.csv", content("b", range(1, 4)))
    job.tick()
    drop(content_dir / "batch.csv", content("b", range(1, 4)))  # re-sent under the same name
    assert isinstance(job.clock, Clock)
    job.clock.now += timedelta(minutes=1)
    job.tick()
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT") == 3
    assert len(list((content_dir / "archive").iterdir())) == 2


def test_tickets_load_at_their_daily_time(settings: Settings, warehouse: Warehouse) -> None:
    clock = Clock(datetime(2026, 12, 1, 10, 0))
    job = LandingJob(settings, SUPPORT_TICKETS, warehouse, clock=clock)
    job.tick()  # the catch-up look when the worker starts: nothing yet
    assert job.next_due == datetime(2026, 12, 2, 2, 30)
    path = folder(settings, SUPPORT_TICKETS) / "tickets-2026-12-02.parquet"
    table = pa.table({"ticket_id": ["t1", "t2"], "subscriber_id": ["s1", "s2"],
                      "created_at": pa.array([datetime(2026, 12, 1, 8), datetime(2026, 12, 1, 9)])})  # fmt: skip
    pq.write_table(table, path)
    os.utime(path, (time.time() - 10, time.time() - 10))
    clock.now = datetime(2026, 12, 2, 2, 0)
    job.tick()
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS") == 0
    clock.now = datetime(2026, 12, 2, 2, 30)
    job.tick()
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS") == 2
    assert job.next_due == datetime(2026, 12, 3, 2, 30)


def test_a_daily_load_that_meets_a_busy_warehouse_is_due_again_next_tick(
    settings: Settings, warehouse: Warehouse
) -> None:
    # it was due again only at the next day's 02:30: a day's ticket export left waiting for 24 hours
    clock = Clock(datetime(2026, 12, 1, 10, 0))
    job = LandingJob(settings.model_copy(update={"warehouse_lock_timeout": 0.5}), SUPPORT_TICKETS, warehouse,
                     clock=clock)  # fmt: skip
    job.tick()  # the look at start-up
    path = folder(settings, SUPPORT_TICKETS) / "tickets.parquet"
    pq.write_table(pa.table({"ticket_id": ["t1"], "subscriber_id": ["s1"],
                             "created_at": pa.array([datetime(2026, 12, 1, 8)])}), path)  # fmt: skip
    os.utime(path, (time.time() - 10, time.time() - 10))
    with holding(warehouse):  # an operator's command holds the warehouse at 02:30
        clock.now = datetime(2026, 12, 2, 2, 30, 5)
        with pytest.raises(WarehouseBusy):
            job.tick()
    clock.now = datetime(2026, 12, 2, 2, 30, 6)
    job.tick()
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS") == 1
    assert job.next_due == datetime(2026, 12, 3, 2, 30)


def test_the_worker_has_a_job_per_landing_folder(settings: Settings, warehouse: Warehouse) -> None:
    names = [job.name for job in landing_jobs(settings, warehouse)]
    assert names == ["landing:subscription_events", "landing:content_engagement", "landing:support_tickets"]
    assert (settings.resolved_landing_dir / "support_tickets" / "refused").is_dir()


@pytest.mark.parametrize("failpoint", ["ingest.before_numbering", "ingest.before_commit", "landing.before_archive"])
def test_a_worker_killed_mid_load_loses_and_duplicates_nothing(
    settings: Settings, warehouse: Warehouse, failpoint: str
) -> None:
    content_dir = folder(settings, CONTENT_ENGAGEMENT)
    drop(content_dir / "batch-1.csv", content("b1", range(1, 101)))
    drop(content_dir / "batch-2.csv", content("b2", range(101, 151)))
    crashed = run_cli("worker", "--jobs", "landing", "--once", env={"C360_FAILPOINTS": failpoint})
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert (content_dir / "batch-1.csv").exists()  # not moved: the kill came first
    again = run_cli("worker", "--jobs", "landing", "--once")
    assert again.returncode == 0, again.stderr
    assert count(warehouse, "SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT") == 150
    assert count(warehouse, "SELECT COUNT(DISTINCT event_id) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT") == 150
    assert sorted(p.name for p in (content_dir / "archive").iterdir()) == ["batch-1.csv", "batch-2.csv"]
    loaded = "SELECT COALESCE(SUM(rows_loaded), 0) FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY WHERE status = 'loaded'"
    assert count(warehouse, loaded) == 150


def test_status_shows_tasks_landing_orphans_alerts_served_run_and_model(settings: Settings) -> None:
    assert run_cli("migrate").returncode == 0
    warehouse = Warehouse.from_settings(settings)
    drop(folder(settings, CONTENT_ENGAGEMENT) / "batch-1.csv", content("b1", range(1, 4), subscriber="ghost"))
    drop(folder(settings, SUPPORT_TICKETS) / "waiting.parquet", "not yet", age=0.0)
    LandingJob(settings, CONTENT_ENGAGEMENT, warehouse).tick()
    shown = run_cli("status", env={"COLUMNS": "250"})
    assert shown.returncode == 0, shown.stderr
    out = " ".join(shown.stdout.split())
    assert "sfe_daily_build_task" in out.lower() and "after sfe_daily_churn_scoring_task" in out.lower()
    assert "landing folders" in out and "USING CRON 30 2 * * * UTC" in out
    assert "orphaned records" in out and "batch-1.csv" in out
    assert "open alerts: none" in out and "served run: none" in out and "current model: none" in out
