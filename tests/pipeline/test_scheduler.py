"""`c360 worker`'s scheduler: Snowflake task semantics on DuckDB, with a controllable clock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from c360.errors import TaskDefinitionError
from c360.pipeline.scheduler import ABANDONED, Schedule, Scheduler
from c360.sources.ingest import ingest
from c360.warehouse import Warehouse
from tests.conftest import run_cli

SUBSCRIBERS = "SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS_TASK"
ENGAGEMENT = "SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT_TASK"
DAILY = "SFE_ANALYTICS_MEDIA.SFE_DAILY_BUILD_TASK"
SCORING = "SFE_ANALYTICS_MEDIA.SFE_DAILY_CHURN_SCORING_TASK"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_schedules() -> None:
    minute = Schedule.parse("1 MINUTE")
    assert minute.next_after(datetime(2026, 1, 1, 10, 0, 30)) == datetime(2026, 1, 1, 10, 1, 30)
    daily = Schedule.parse("USING CRON 0 3 * * * UTC")
    assert daily.next_after(datetime(2026, 1, 1, 3, 0)) == datetime(2026, 1, 2, 3, 0)
    assert daily.next_after(datetime(2026, 1, 1, 2, 59)) == datetime(2026, 1, 1, 3, 0)
    with pytest.raises(TaskDefinitionError, match="unsupported task schedule"):
        Schedule.parse("every day")
    with pytest.raises(TaskDefinitionError, match="only UTC"):
        Schedule.parse("USING CRON 0 3 * * * America/New_York")


def events(path: Path, n: int) -> Path:
    path.write_text(
        "".join(
            json.dumps(
                {
                    "event_id": f"e{i}",
                    "subscriber_id": f"s{i % 3}",
                    "event_type": "signup" if i < 3 else "payment",
                    "event_timestamp": "2026-10-01T10:00:00Z",
                    "plan": "basic",
                    "payment_amount": 5,
                    "age_band": "25-34",
                }
            )
            + "\n"
            for i in range(n)
        )
    )
    return path


def history(wh: Warehouse) -> list[tuple[str, str]]:
    with wh.connect() as conn:
        return [
            (r["task_name"], r["state"])
            for r in conn.query("SELECT task_name, state FROM C360_META.TASK_HISTORY ORDER BY started_at")
        ]


def test_stream_tasks_run_when_due_and_their_stream_has_data(warehouse: Warehouse, tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 25, 10, 0, 0))
    scheduler = Scheduler(warehouse, clock=clock)
    scheduler.load()
    assert scheduler.tick() == []  # due, but no data: the WHEN condition is false, nothing runs
    ingest(warehouse, [events(tmp_path / "e.jsonl", 10)])
    clock.now += timedelta(seconds=30)
    assert scheduler.tick() == []  # not due again before a minute has passed
    clock.now += timedelta(seconds=31)
    runs = scheduler.tick()
    assert [(r.task, r.state) for r in runs] == [(SUBSCRIBERS, "SUCCEEDED")]
    assert history(warehouse) == [(SUBSCRIBERS, "SUCCEEDED")]
    with warehouse.connect() as conn:
        assert conn.scalar("SELECT COUNT(*) FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS") == 10


def test_daily_task_runs_at_its_cron_time_and_a_missed_run_once(warehouse: Warehouse, tmp_path: Path) -> None:
    ingest(warehouse, [events(tmp_path / "e.jsonl", 10)])
    with warehouse.connect() as conn:  # a view yesterday: the build's day (CURRENT_DATE() - 1) has data
        conn.execute(
            "INSERT INTO SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT (event_id, subscriber_id, article_id, section, "
            "event_timestamp, event_date, time_spent_seconds, engagement_score, source_load_seq, staged_at) "
            "VALUES ('v1', 's1', 'a1', 'news', CURRENT_DATE() - 1, CURRENT_DATE() - 1, 60, 50, 1, "
            "CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)"
        )
    clock = Clock(datetime(2026, 11, 25, 2, 0))
    scheduler = Scheduler(warehouse, clock=clock)
    scheduler.load()
    assert scheduler.next_due[DAILY] == datetime(2026, 11, 25, 3, 0)
    scheduler.tick()  # the stream task drains the stream first
    clock.now = datetime(2026, 11, 25, 3, 0, 1)
    runs = scheduler.tick()
    # the build, then the task graph's child AFTER it (scoring, which fails here: no model is trained)
    assert [(r.task, r.state) for r in runs] == [(DAILY, "SUCCEEDED"), (SCORING, "FAILED")]
    assert runs[1].error and "no current churn model" in runs[1].error
    with warehouse.connect() as conn:  # the task's body builds as of CURRENT_DATE() - 1 (the real date)
        yesterday = datetime.now(UTC).date() - timedelta(days=1)
        assert conn.scalar("SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS") == yesterday
    # a new worker two days later (it was down): the missed 03:00 runs once, then back on schedule
    later = Clock(datetime(2026, 11, 27, 9, 0))
    restarted = Scheduler(warehouse, clock=later)
    restarted.load()
    assert restarted.next_due[DAILY] == datetime(2026, 11, 26, 3, 0)
    assert [r.task for r in restarted.tick() if r.task == DAILY] == [DAILY]
    assert restarted.next_due[DAILY] == datetime(2026, 11, 28, 3, 0)


def test_a_run_its_worker_died_in_is_cancelled_and_run_again(warehouse: Warehouse, tmp_path: Path) -> None:
    ingest(warehouse, [events(tmp_path / "e.jsonl", 10)])
    drain = Scheduler(warehouse, clock=Clock(datetime.now(UTC).replace(tzinfo=None)))
    drain.load()
    drain.next_due.pop(DAILY)
    drain.tick()  # the stream tasks drain their streams: the worker below has only the build to run
    today = datetime.now(UTC).replace(tzinfo=None)
    yesterday = today.date() - timedelta(days=1)
    with warehouse.connect() as conn:  # a view yesterday, and a build two days ago: the next build is due now
        conn.execute(
            "INSERT INTO SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT (event_id, subscriber_id, article_id, section, "
            "event_timestamp, event_date, time_spent_seconds, engagement_score, source_load_seq, staged_at) "
            "VALUES ('v1', 's1', 'a1', 'news', CURRENT_DATE() - 1, CURRENT_DATE() - 1, 60, 50, 1, "
            "CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)"
        )
        conn.run_native(
            "INSERT INTO C360_META.TASK_HISTORY (run_id, task_name, scheduled_at, started_at, finished_at, state) "
            "VALUES ('earlier', ?, ?, ?, ?, 'SUCCEEDED')",
            [DAILY, *[datetime.combine(yesterday - timedelta(days=1), datetime.min.time()).replace(hour=3)] * 3],
        )
    # the worker dies in the build (SIGKILL at its first COMMIT), leaving its run EXECUTING
    killed = run_cli("worker", "--jobs", "tasks", "--once", env={"C360_FAILPOINTS": "stream.before_commit"})
    assert killed.returncode == -9, killed.stderr
    assert history(warehouse)[-1] == (DAILY, "EXECUTING")
    restarted = run_cli("worker", "--jobs", "tasks", "--once")
    assert restarted.returncode == 0, restarted.stderr
    with warehouse.connect() as conn:
        runs = conn.query(
            "SELECT state, error, finished_at IS NOT NULL AS finished FROM C360_META.TASK_HISTORY "
            f"WHERE task_name = '{DAILY}' ORDER BY started_at"
        )
        built = conn.scalar("SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS")
    # the dead run is recorded as such, not as the day's run: the restarted worker ran the build again
    assert [r["state"] for r in runs] == ["SUCCEEDED", "CANCELLED", "SUCCEEDED"]
    assert all(r["finished"] for r in runs)
    assert runs[1]["error"] == ABANDONED
    assert built == yesterday
    shown = run_cli("status")
    assert shown.returncode == 0, shown.stderr
    daily_line = next(line for line in shown.stdout.splitlines() if line.startswith(DAILY))
    assert "SUCCEEDED" in daily_line and "EXECUTING" not in daily_line


def test_a_failed_task_is_recorded_and_the_worker_goes_on(warehouse: Warehouse, tmp_path: Path) -> None:
    ingest(warehouse, [events(tmp_path / "e.jsonl", 3)])
    with warehouse.connect() as conn:  # break the staging table the task writes
        conn.run_native("ALTER TABLE SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS RENAME TO STG_BROKEN")
    scheduler = Scheduler(warehouse, clock=Clock(datetime(2026, 11, 25, 10, 0)))
    scheduler.load()
    runs = scheduler.tick()
    assert [(r.task, r.state) for r in runs] == [(SUBSCRIBERS, "FAILED")]
    assert runs[0].error and "STG_SUBSCRIBER_EVENTS" in runs[0].error
    with warehouse.connect() as conn:
        assert conn.scalar("SELECT COUNT(*) FROM SFE_RAW_MEDIA.sfe_subscriber_events_stream") == 3  # nothing consumed


def test_a_failed_task_run_by_hand_is_a_task_failure_not_a_usage_error(warehouse: Warehouse, tmp_path: Path) -> None:
    ingest(warehouse, [events(tmp_path / "e.jsonl", 3)])
    with warehouse.connect() as conn:
        conn.run_native("ALTER TABLE SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS RENAME TO STG_BROKEN")
    failed = run_cli("pipeline", "task", "sfe_process_subscribers_task")
    assert failed.returncode == 1, failed.stderr
    assert failed.stderr.strip().splitlines()[-1].startswith("error: sfe_process_subscribers_task failed: ")


def test_poll_checks_stream_tasks_more_often_than_their_schedule(warehouse: Warehouse, tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 25, 10, 0, 0))
    scheduler = Scheduler(warehouse, clock=clock, poll=timedelta(seconds=2))
    scheduler.load()
    scheduler.tick()
    assert scheduler.next_due[SUBSCRIBERS] == datetime(2026, 11, 25, 10, 0, 2)
    assert scheduler.next_due[DAILY] == datetime(2026, 11, 26, 3, 0)  # cron tasks keep their schedule
    ingest(warehouse, [events(tmp_path / "e.jsonl", 4)])
    clock.now += timedelta(seconds=2)
    assert [r.task for r in scheduler.tick()] == [SUBSCRIBERS]


def test_suspended_tasks_do_not_run(warehouse: Warehouse, tmp_path: Path) -> None:
    ingest(warehouse, [events(tmp_path / "e.jsonl", 3)])
    with warehouse.connect() as conn:
        conn.run_native(f"UPDATE C360_META.TASKS SET state = 'suspended' WHERE task_name = '{SUBSCRIBERS}'")
    scheduler = Scheduler(warehouse, clock=Clock(datetime(2026, 11, 25, 10, 0)))
    scheduler.load()
    assert SUBSCRIBERS not in scheduler.tasks
    assert scheduler.tick() == []


def test_commands_wait_for_the_worker_and_name_a_holder_that_stays(warehouse: Warehouse, tmp_path: Path) -> None:
    path = warehouse.duckdb_path
    holder = subprocess.Popen(  # holds the file until told to go
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(path)!r}); print('held', flush=True); sys.stdin.readline()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdin and holder.stdout and holder.stdout.readline().strip() == "held"
        busy = run_cli("status", env={"C360_WAREHOUSE_LOCK_TIMEOUT": "0.5"})
        assert busy.returncode == 75
        assert busy.stderr.startswith(f"error: warehouse {path} is held by PID {holder.pid}")
        assert "waited 0.5 s" in busy.stderr and "Traceback" not in busy.stderr
        waiting = subprocess.Popen(
            [str(Path(sys.executable).parent / "c360"), "status"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "C360_WAREHOUSE_LOCK_TIMEOUT": "30"},
        )
        time.sleep(1.0)
        assert waiting.poll() is None  # still waiting for the holder
        holder.stdin.write("go\n")
        holder.stdin.flush()
        out, err = waiting.communicate(timeout=30)
        assert waiting.returncode == 0, err
        assert "RAW_SUBSCRIBER_EVENTS" in out
    finally:
        holder.kill()
        holder.wait()


def test_worker_holds_the_warehouse_only_while_a_task_runs(warehouse: Warehouse, tmp_path: Path) -> None:
    env = {**os.environ, "C360_TASK_POLL_SECONDS": "1"}
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "c360"), "worker", "--jobs", "tasks"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        time.sleep(1.5)
        for i in range(3):  # other writers get in between the worker's ticks
            loaded = run_cli(
                "ingest", str(events(tmp_path / f"e{i}.jsonl", 5 + i)), env={"C360_WAREHOUSE_LOCK_TIMEOUT": "10"}
            )
            assert loaded.returncode == 0, loaded.stderr
        deadline = time.monotonic() + 15
        staged = 0
        while time.monotonic() < deadline and staged < 7:
            with warehouse.connect() as conn:
                staged = int(conn.scalar("SELECT COUNT(DISTINCT event_id) FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS"))
            time.sleep(0.5)
        assert staged == 7  # the worker's stream task picked every load up
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    assert worker.returncode == 0, worker.stderr.read() if worker.stderr else ""


def test_a_second_worker_on_the_same_warehouse_is_refused_its_task_graph(warehouse: Warehouse) -> None:
    # it ran the daily build and scoring again beside the first, and said nothing
    first = subprocess.Popen(
        [str(Path(sys.executable).parent / "c360"), "worker", "--jobs", "tasks"],
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        lock = warehouse.duckdb_path.with_name(warehouse.duckdb_path.name + ".worker.lock")
        deadline = time.monotonic() + 20
        while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.1)
        second = run_cli("worker", "--jobs", "tasks,landing", "--once")
        assert second.returncode == 2, second.stderr
        assert f"error: another c360 worker (PID {first.pid}) runs the task graph" in second.stderr
        alerts_only = run_cli("worker", "--jobs", "alerts", "--once")
        assert "another c360 worker" not in alerts_only.stderr  # jobs that do not repeat the first's may run
    finally:
        first.terminate()
        first.wait(timeout=20)
    assert run_cli("worker", "--jobs", "tasks", "--once").returncode == 0  # the lock went with the first
