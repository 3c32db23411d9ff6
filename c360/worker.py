"""``c360 worker``: the process that owns background work, as a list of jobs.

Each job does a bounded amount of work per ``tick`` and returns; the worker calls every job whose
interval has passed, then sleeps a little. Blocking work (DuckDB tasks) runs in the loop itself, so
the embedded warehouse is opened by one job at a time and held only while that job's tick runs.
SIGTERM and SIGINT finish the current tick and stop.
"""

from __future__ import annotations

import fcntl
import gc
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from c360.errors import C360Error, UsageError, redacted_traceback, summary
from c360.settings import Settings
from c360.warehouse import Warehouse, ensure_migrated

if TYPE_CHECKING:
    from c360.ops.metrics import WorkerMetrics

log = logging.getLogger(__name__)


class Job(Protocol):
    """A unit of background work."""

    name: str
    interval: float  # seconds between ticks

    def tick(self) -> None:
        """Do what is due now; raise C360Error for failures worth logging."""


@dataclass
class SchedulerJob:
    """Runs the warehouse's task graph on its schedules (DuckDB only; Snowflake runs its own tasks)."""

    warehouse: Warehouse
    poll: float | None = None
    name: str = "tasks"
    interval: float = 1.0
    reload_every: float = 60.0
    report: Callable[[str], None] = log.info
    _scheduler: object = None
    _loaded_at: float = 0.0

    def tick(self) -> None:
        from c360.pipeline.scheduler import Scheduler

        if not isinstance(self._scheduler, Scheduler) or time.monotonic() - self._loaded_at > self.reload_every:
            scheduler = (
                self._scheduler
                if isinstance(self._scheduler, Scheduler)
                else Scheduler(self.warehouse, poll=timedelta(seconds=self.poll) if self.poll else None)
            )
            scheduler.load()  # picks up re-migrated, resumed or suspended tasks
            self._scheduler, self._loaded_at = scheduler, time.monotonic()
        assert isinstance(self._scheduler, Scheduler)
        for run in self._scheduler.tick():
            self.report(f"{run.task}: {run.state} in {run.seconds:.2f} s" + (f" ({run.error})" if run.error else ""))


JOB_NAMES = ("tasks", "landing", "inbox", "publish", "webhooks", "alerts")


def build_jobs(
    settings: Settings,
    report: Callable[[str], None] = log.info,
    only: frozenset[str] | None = None,
    *,
    once: bool = False,
    metrics: WorkerMetrics | None = None,
) -> list[Job]:
    """The worker's jobs for this configuration (``only``: just these, by name; ``once``: for one pass;
    ``metrics``: count and time them, for ``--metrics-port``)."""
    wanted = frozenset(JOB_NAMES) if only is None else only
    if not wanted:
        raise UsageError(f"no worker job named: expected some of {', '.join(JOB_NAMES)}")
    if unknown := sorted(wanted - set(JOB_NAMES)):
        raise UsageError(f"unknown worker job(s) {', '.join(unknown)}: expected some of {', '.join(JOB_NAMES)}")
    jobs: list[Job] = []
    if wanted & {"tasks", "inbox", "publish", "landing", "alerts"}:
        warehouse = Warehouse.from_settings(settings)
        ensure_migrated(warehouse)
        if "tasks" in wanted and warehouse.target == "duckdb":
            jobs.append(SchedulerJob(warehouse, poll=settings.task_poll_seconds, report=report))
        if "landing" in wanted:  # files the sources drop into C360_LANDING_DIR, on the seed's cadence
            from c360.ops.landing import landing_jobs

            for landing in landing_jobs(settings, warehouse, report=report):
                if metrics is not None:
                    landing.observers.append(metrics.observe_landing)
                jobs.append(landing)
    # the serving side: events accepted by the API into RAW, and each new scoring run published
    from c360.serving.migrate import require_migrated
    from c360.serving.publish import PublishJob
    from c360.sources.inbox import InboxJob
    from c360.webhooks.outbox import record_events

    if wanted & {"inbox", "publish", "webhooks", "alerts"}:
        require_migrated(settings)

    if "inbox" in wanted:
        jobs.append(InboxJob(settings, report=report))
    if "publish" in wanted:
        jobs.append(PublishJob(settings, record_events, report=report))
    # webhook deliveries of what publishing wrote to the outbox (an engine thread of its own)
    if "webhooks" in wanted:
        from c360.webhooks.job import WebhookJob

        jobs.append(WebhookJob(settings, report=report, once=once))
    # alerts on the SLAs and failure modes, as ops.alert.* webhook events (c360.ops.alerts)
    if "alerts" in wanted:
        from c360.ops.alerts import AlertsJob

        jobs.append(AlertsJob(settings, warehouse, report=report, metrics=metrics))
    if metrics is not None:
        from c360.ops.metrics import Timed

        return [Timed(job, metrics) for job in jobs]
    return jobs


def settle_collector() -> None:
    """For a worker that runs until stopped: what start-up built (modules, settings, engines) lives as long as
    the process, so the garbage collector stops scanning it (``gc.freeze``), and it runs less often. The
    webhook engine allocates per delivery (tasks, HTTP requests, rows): at the default threshold (700) a
    collection ran every 20-30 deliveries and took 20-28 µs of CPU per delivery, against 2 µs after this
    (docs/benchmarks.md). Reference counting still frees everything that is not in a cycle at once."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


@dataclass
class Worker:
    """Calls each job when its interval has passed, until stopped."""

    jobs: list[Job]
    idle_sleep: float = 0.05
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, *, once: bool = False) -> None:
        """Tick jobs until SIGTERM/SIGINT (or once), then close the jobs that hold work in flight."""
        if not once and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: self.stop.set())
        try:
            self._run(once)
        finally:
            # here, not at exit: by then the interpreter refuses new threads and futures, and the webhook
            # engine's last round (recording the attempts in flight) failed, leaving them to be sent again
            for job in self.jobs:
                if close := getattr(job, "close", None):
                    close()

    def _run(self, once: bool) -> None:
        due = dict.fromkeys(range(len(self.jobs)), 0.0)
        while not self.stop.is_set():
            now = time.monotonic()
            for i, job in enumerate(self.jobs):
                if self.stop.is_set():  # a stop asked during a long tick: leave the other jobs for next time
                    return
                if once or due[i] <= now:
                    self._tick(job)
                    due[i] = time.monotonic() + job.interval
            if once:
                return
            self.stop.wait(max(self.idle_sleep, min(due.values(), default=now + 1) - time.monotonic()))

    def _tick(self, job: Job) -> None:
        try:
            job.tick()
        except C360Error as exc:
            log.warning("%s: %s", job.name, exc.message)
        except Exception as exc:  # a job's bug must not stop the others
            # the stack and a one-line summary: a driver's full message can hold the rows it failed on
            log.error("%s failed: %s\n%s", job.name, summary(exc), redacted_traceback(exc))


# jobs two workers on one embedded warehouse would both do: the task graph (the daily build and scoring run
# twice) and the landing folders (both loading, then moving, the same files)
_ONE_WORKER = ("tasks", "landing:")


@contextmanager
def exclusive(settings: Settings, jobs: list[Job]) -> Iterator[None]:
    """Hold the embedded warehouse's worker lock while ``jobs`` run, if any of them is one that a second worker on
    the same warehouse would do again: the second is refused, naming the first (a lock file beside the DuckDB
    file, ``flock``: released by the kernel if the worker dies). Snowflake runs its own tasks: no lock."""
    warehouse = Warehouse.from_settings(settings)
    if warehouse.target != "duckdb" or not any(job.name.startswith(_ONE_WORKER) for job in jobs):
        yield
        return
    path = warehouse.duckdb_path.with_name(warehouse.duckdb_path.name + ".worker.lock")
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise UsageError(
                f"another c360 worker ({holder}) runs the task graph and landing folders of {warehouse.display}: "
                "stop it first, or give this one other --jobs (webhooks, inbox, publish, alerts)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"PID {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()  # and with it the lock
