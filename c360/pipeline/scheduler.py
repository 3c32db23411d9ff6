"""The task scheduler of ``c360 worker`` on DuckDB: Snowflake's task semantics, run locally.

Tasks come from ``C360_META.TASKS`` (written by the migrations from the CREATE TASK statements):
only started (resumed) tasks run; ``SCHEDULE = 'N MINUTE'`` and ``'USING CRON … UTC'`` decide when a
root task is due; its ``WHEN`` condition is checked first (a false condition is not a run); tasks
``AFTER`` it run once all their predecessors succeeded in the same graph run. Runs are recorded in
``C360_META.TASK_HISTORY``; a daily run missed while the worker was down runs once when it is back, and so
does one its worker died in (killed, crashed, the machine restarted): that run is recorded CANCELLED.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from croniter import croniter

from c360.errors import C360Error, TaskDefinitionError, WarehouseBusy
from c360.model.procedures import native_procedures
from c360.warehouse import Warehouse, call_statement
from pipeline_sql import runtime
from pipeline_sql.emulation import META_SCHEMA

log = logging.getLogger(__name__)

# Snowflake's TASK_HISTORY() state for a run that did not finish; its error says why
ABANDONED = "the run did not finish: the worker running it stopped (killed, crashed or restarted)"
# the runs that count for the schedule: those that ended (a CANCELLED one is run again)
ENDED = "state IN ('SUCCEEDED', 'FAILED')"

_INTERVAL = re.compile(r"^\s*(\d+)\s+MINUTES?\s*$", re.I)
_CRON = re.compile(r"^\s*USING\s+CRON\s+(?P<expr>(?:\S+\s+){4}\S+)\s+(?P<tz>\S+)\s*$", re.I)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Schedule:
    """When a root task is due."""

    text: str
    interval: timedelta | None = None
    cron: str | None = None

    @classmethod
    def parse(cls, text: str) -> Schedule:
        if m := _INTERVAL.match(text):
            return cls(text, interval=timedelta(minutes=int(m.group(1))))
        if (m := _CRON.match(text)) and croniter.is_valid(m.group("expr")):
            if m.group("tz").upper() not in ("UTC", "ETC/UTC"):
                raise TaskDefinitionError(f"schedule {text!r}: only UTC cron schedules are supported")
            return cls(text, cron=m.group("expr"))
        raise TaskDefinitionError(f"unsupported task schedule {text!r}: expected 'N MINUTE' or 'USING CRON <expr> UTC'")

    def next_after(self, moment: datetime) -> datetime:
        """The first due time strictly after ``moment``."""
        if self.interval is not None:
            return moment + self.interval
        assert self.cron is not None
        nxt: datetime = croniter(self.cron, moment).get_next(datetime)
        return nxt


@dataclass
class Task:
    name: str
    schedule: Schedule | None
    after: tuple[str, ...]
    condition: str | None  # DuckDB SQL returning one boolean
    body: str  # CALL …


@dataclass(frozen=True)
class TaskRun:
    task: str
    state: str  # SUCCEEDED | FAILED
    scheduled_at: datetime
    seconds: float
    error: str | None = None


@dataclass
class Scheduler:
    """Runs due task graphs; call ``tick`` about once a second."""

    warehouse: Warehouse
    clock: Callable[[], datetime] = utcnow
    poll: timedelta | None = None  # stream tasks: check their condition this often (C360_TASK_POLL_SECONDS)
    tasks: dict[str, Task] = field(default_factory=dict)
    next_due: dict[str, datetime] = field(default_factory=dict)

    def load(self) -> None:
        """Read the started tasks and when each root last ran to an end."""
        with self.warehouse.connect() as conn:
            # A task runs inside one connection, and DuckDB lets one process hold the file: while this one
            # does, no run can be under way elsewhere, so a run still EXECUTING was left by a dead worker.
            # It is not the day's run (it did not finish), so the schedule below does not count it.
            conn.run_native(
                f"UPDATE {META_SCHEMA}.TASK_HISTORY SET state = 'CANCELLED', finished_at = ?, error = ? "
                "WHERE state = 'EXECUTING'",
                [self.clock(), ABANDONED],
            )
            rows = conn.run_native(
                f"SELECT task_name, schedule, after_tasks, condition, body FROM {META_SCHEMA}.TASKS "
                "WHERE state = 'started'"
            ).fetchall()
            last = dict(
                conn.run_native(
                    f"SELECT task_name, MAX(scheduled_at) FROM {META_SCHEMA}.TASK_HISTORY "
                    f"WHERE {ENDED} GROUP BY task_name"
                ).fetchall()
            )
        self.tasks = {
            name: Task(
                name,
                Schedule.parse(schedule) if schedule else None,
                tuple(json.loads(after or "[]")),
                condition,
                body,
            )
            for name, schedule, after, condition, body in rows
        }
        now = self.clock()
        for task in self.roots():
            assert task.schedule is not None
            previous = last.get(task.name)
            if task.name not in self.next_due:
                # interval tasks are due at once; cron tasks at their next time, or now if one was missed
                start = (
                    previous
                    if previous is not None
                    else (now - timedelta(seconds=1) if task.schedule.interval else now)
                )
                self.next_due[task.name] = (
                    now if task.schedule.interval and previous is None else task.schedule.next_after(start)
                )

    def roots(self) -> list[Task]:
        return [t for t in self.tasks.values() if not t.after and t.schedule is not None]

    def tick(self) -> list[TaskRun]:
        """Run every task graph whose root is due now."""
        runs: list[TaskRun] = []
        now = self.clock()
        for root in self.roots():
            due = self.next_due.get(root.name)
            if due is None or due > now:
                continue
            try:
                runs.extend(self.run_graph(root.name, due))
            except WarehouseBusy as exc:
                log.info("task %s waits: %s", root.name, exc.message)
                continue  # due again next tick
            self.next_due[root.name] = self._next(root, due, now)
        return runs

    def _next(self, root: Task, due: datetime, now: datetime) -> datetime:
        assert root.schedule is not None
        if self.poll and root.condition and root.schedule.interval:
            return now + min(self.poll, root.schedule.interval)
        nxt = root.schedule.next_after(due)
        while nxt <= now:  # several missed: run once, then back on schedule
            nxt = root.schedule.next_after(nxt)
        return nxt

    def run_graph(self, root: str, scheduled_at: datetime) -> list[TaskRun]:
        """Run ``root`` (if its condition holds), then its descendants in order."""
        runs: list[TaskRun] = []
        first = self.run_task(root, scheduled_at)
        if first is None:
            return runs
        runs.append(first)
        succeeded = {root} if first.state == "SUCCEEDED" else set()
        pending = [t for t in self.tasks.values() if t.after]
        progress = True
        while progress:
            progress = False
            for task in list(pending):
                if all(p in succeeded for p in task.after):
                    pending.remove(task)
                    run = self.run_task(task.name, scheduled_at)
                    if run:
                        runs.append(run)
                        if run.state == "SUCCEEDED":
                            succeeded.add(task.name)
                    progress = True
        return runs

    def run_task(self, name: str, scheduled_at: datetime) -> TaskRun | None:
        """Run one task now; None when its WHEN condition is false."""
        task = self.tasks[name]
        run_id = runtime.new_run_id()
        with self.warehouse.connect() as conn:
            if task.condition:
                row = conn.run_native(task.condition).fetchone()
                if not (row and row[0]):
                    return None
            started = self.clock()
            conn.run_native(
                f"INSERT INTO {META_SCHEMA}.TASK_HISTORY (run_id, task_name, scheduled_at, started_at, state) "
                "VALUES (?, ?, ?, ?, 'EXECUTING')",
                [run_id, name, scheduled_at, started],
            )
            error: str | None = None
            value = None
            try:
                value = call_statement(conn, task.body, natives=native_procedures(self.warehouse.settings))
            except C360Error as exc:
                error = exc.message
            except Exception as exc:  # a task failure is recorded, never kills the worker
                error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            state = "FAILED" if error else "SUCCEEDED"
            conn.run_native(
                f"UPDATE {META_SCHEMA}.TASK_HISTORY SET finished_at = ?, state = ?, return_value = ?, error = ? "
                "WHERE run_id = ?",
                [self.clock(), state, None if value is None else str(value), error, run_id],
            )
        if error:
            log.error("task %s failed: %s", name, error)
        seconds = (self.clock() - started).total_seconds()
        return TaskRun(name, state, scheduled_at, seconds, error)
